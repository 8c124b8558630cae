"""The album page's facts say what we know and why: how many pressings (all, checked when, or
known so far), where the year comes from, and the studio verdict with its reason."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from catalog.factories import AlbumFactory, ReleaseFactory
from catalog.models import Source, YearSource

pytestmark = pytest.mark.django_db
CHECKED = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def facts_of(client, album):
    """The facts list as text, its tags dropped."""
    html = client.get(reverse("catalog:album", args=[album.pk])).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html[html.index('<dl class="facts">') : html.index("</dl>")]).split())


def test_every_pressing_read_says_all_and_when(client):
    album = AlbumFactory(all_versions_read_at=CHECKED, versions_total=9)
    ReleaseFactory.create_batch(4, album=album)

    assert "all 4, checked 3 December 2026" in facts_of(client, album)


def test_the_only_pressing_of_an_album_read_whole(client):
    album = AlbumFactory(all_versions_read_at=CHECKED, versions_total=3)
    ReleaseFactory(album=album)

    assert "the only one, checked 3 December 2026" in facts_of(client, album)


def test_pressings_known_so_far_say_so(client):
    album = AlbumFactory(all_versions_read_at=None)
    ReleaseFactory(album=album)

    facts = facts_of(client, album)
    assert "1 known so far" in facts and "checked" not in facts


def test_a_year_from_the_earliest_pressing_says_no_source_states_it(client):
    stated = AlbumFactory(first_release_year=1976, year_source=YearSource.DISCOGS_MASTER)
    derived = AlbumFactory(first_release_year=1979, year_source=YearSource.PRESSINGS)

    assert "1976" in facts_of(client, stated) and "earliest pressing" not in facts_of(client, stated)
    assert "1979 (its earliest pressing; no source states the year)" in facts_of(client, derived)


def test_the_verdict_gives_its_reason(client):
    compilation = AlbumFactory(title="Greatest Hits", is_studio=False, exclusion_reason='a compilation (title "Greatest Hits")')
    listed = AlbumFactory(mbid=None, source=Source.ROLLING_STONE)
    typed = AlbumFactory()  # made by MusicBrainz (it has an MBID)

    assert "Not recommended: a compilation (title &quot;Greatest Hits&quot;)" in facts_of(client, compilation)
    assert "Studio album: the Rolling Stone list calls it a studio album" in facts_of(client, listed)
    assert "Studio album: MusicBrainz types it as an album" in facts_of(client, typed)


def test_an_album_without_pressings_says_none_known_yet(client):
    assert "Vinyl pressings none known yet" in facts_of(client, AlbumFactory(all_versions_read_at=None))
