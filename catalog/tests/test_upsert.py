"""Upserts match on external ids, then normalized names, and never blank a good field."""

import pytest

from catalog.factories import AlbumFactory, ArtistFactory, ReleaseFactory
from catalog.models import Album, Artist, Release
from catalog.upsert import upsert_album, upsert_artist, upsert_release

pytestmark = pytest.mark.django_db

RADIOHEAD_MBID = "a74b1b7f-71a5-4011-9441-d0b5e4122711"


def test_artist_is_created_once_and_found_again_by_mbid():
    first = upsert_artist("Radiohead", mbid=RADIOHEAD_MBID, listeners=4_500_000)
    second = upsert_artist("radiohead", mbid=RADIOHEAD_MBID)
    assert first.created and not second.created and not second.changed
    assert Artist.objects.count() == 1
    assert second.obj.name == "Radiohead"


def test_artist_found_by_normalized_name_gains_its_ids():
    upsert_artist("Beatles, The")
    result = upsert_artist("The Beatles", mbid="b10bbbfc-cf9e-42e0-be17-e2c3e1d2600d", discogs_id=82730)
    assert not result.created and result.changed
    artist = Artist.objects.get()
    assert str(artist.mbid) == "b10bbbfc-cf9e-42e0-be17-e2c3e1d2600d" and artist.discogs_id == 82730


def test_a_blank_value_never_overwrites_a_good_one():
    upsert_artist("Nirvana", image_url="https://img.example/nirvana.jpg", listeners=10)
    result = upsert_artist("Nirvana", image_url="", listeners=None)
    assert not result.changed
    assert Artist.objects.get().image_url == "https://img.example/nirvana.jpg"


def test_same_name_with_a_different_mbid_is_another_artist():
    upsert_artist("Nirvana", mbid="5b11f4ce-a62d-471e-81fc-a69a8278c7da")
    result = upsert_artist("Nirvana", mbid="9282c8b4-ca0b-4c6b-b7e3-4f7762dfc4d6")
    assert result.created
    assert Artist.objects.count() == 2


def test_discogs_suffix_matches_the_plain_name():
    upsert_artist("Nirvana")
    assert not upsert_artist("Nirvana (2)").created


def test_album_matches_on_master_then_on_title_of_the_same_artist():
    artist = ArtistFactory(name="Radiohead")
    upsert_album(artist, "OK Computer", discogs_master_id=21491)
    assert not upsert_album(artist, "OK Computer (Remastered)").created
    assert not upsert_album(artist, "Whatever", discogs_master_id=21491).created
    other = ArtistFactory(name="Other")
    assert upsert_album(other, "OK Computer").created
    assert Album.objects.count() == 2


def test_release_upsert_is_idempotent():
    album = AlbumFactory()
    first = upsert_release(249504, album=album, title="Never Gonna Give You Up", year=1987)
    again = upsert_release(249504, album=album, title="Never Gonna Give You Up", year=1987)
    assert first.created and again.outcome == "unchanged"
    assert Release.objects.count() == 1


def test_create_race_returns_the_winners_row(monkeypatch):
    winner = ReleaseFactory(discogs_id=777)
    from catalog import upsert

    # Simulate the other worker committing between our lookup and our insert.
    monkeypatch.setattr(upsert.Release.objects, "filter", _first_call_empty(upsert.Release.objects.filter))
    result = upsert_release(777, title="x")
    assert result.obj.pk == winner.pk and not result.created


def _first_call_empty(real_filter):
    calls = {"n": 0}

    def fake(*args, **kwargs):
        calls["n"] += 1
        queryset = real_filter(*args, **kwargs)
        return queryset.none() if calls["n"] == 1 else queryset

    return fake


def test_a_text_longer_than_its_column_is_cut_to_the_model_fields_length():
    """PostgreSQL refuses an over-long value; the length comes from the model, not a literal."""
    title = "Symphony " * 80
    release = upsert_release(42, title=title, label="L" * 400, have=7).obj

    release.refresh_from_db()
    limits = {name: Release._meta.get_field(name).max_length for name in ("title", "label")}
    assert (release.title, release.label) == (title[: limits["title"]], "L" * limits["label"])
    assert release.have == 7
    assert upsert_release(42, title=title).outcome == "unchanged"  # the cut value is what is stored


def test_an_id_is_never_cut_as_text():
    artist = upsert_artist("Nirvana", mbid="5b11f4ce-a62d-471e-81fc-a69a8278c7da").obj

    assert str(artist.mbid) == "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
