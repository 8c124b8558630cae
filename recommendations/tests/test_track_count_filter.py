"""The minimum-tracks filter works once the catalog knows track counts: an album whose count
was unknown is given the benefit of the doubt until its Discogs master (recorded) says it is short."""

from pathlib import Path

import pytest
from django.conf import settings

from catalog import services
from catalog.factories import AlbumFactory, ArtistFactory, ReleaseFactory
from catalog.models import Album
from integrations.replay import record_fixture
from recommendations.albums import Listener, candidate_albums
from recommendations.profile import TasteProfile
from vinilogy.demo import replaying

pytestmark = pytest.mark.django_db

O_FORTUNA = 33687  # Apotheosis, "O Fortuna": a two-track 12"
RECORDED = Path(settings.BASE_DIR) / "integrations" / "fixtures" / "discogs" / "master_33687_apotheosis_o-fortuna.json"


def test_the_minimum_tracks_filter_now_excludes_a_short_album(tmp_path):
    record_fixture(
        tmp_path,
        "GET",
        f"https://api.discogs.com/masters/{O_FORTUNA}",
        200,
        RECORDED.read_bytes(),
        {"Content-Type": "application/json"},
    )
    artist = ArtistFactory(name="Apotheosis")
    short = AlbumFactory(artist=artist, title="O Fortuna", discogs_master_id=O_FORTUNA, track_count=None)
    ReleaseFactory(album=short)
    listener = Listener(user_id=0, country="DE", min_tracks=8, profile=TasteProfile())
    assert list(candidate_albums(listener, [artist.pk])) == [short]

    with replaying(tmp_path):
        services.sync_album_tracklist(short)

    assert Album.objects.get(pk=short.pk).track_count == 2
    assert list(candidate_albums(listener, [artist.pk])) == []
