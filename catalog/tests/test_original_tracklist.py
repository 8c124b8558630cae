"""The standard tracklist is the original LP's (the earliest vinyl pressing of the album's first
year), never a deluxe or expanded edition's: over recorded masters' versions and releases
(integrations/fixtures/SOURCES.md, catalog/tests/fixtures/discogs/SOURCES.md)."""

from pathlib import Path

import pytest
from django.conf import settings

from catalog import services
from catalog.factories import AlbumFactory, ArtistFactory, TrackFactory
from catalog.models import Album, YearSource
from catalog.services.tracks import original_pressing
from integrations.replay import record_fixture
from vinilogy.demo import replaying

pytestmark = pytest.mark.django_db

INTEGRATIONS = Path(settings.BASE_DIR) / "integrations" / "fixtures" / "discogs"
CATALOG = Path(settings.BASE_DIR) / "catalog" / "tests" / "fixtures" / "discogs"
EARTH_ROT, WITCH_TRIALS = 67464, 38998
RECORDINGS = {
    f"masters/{EARTH_ROT}/versions?format=Vinyl&per_page=100&page=1": INTEGRATIONS / "master_67464_versions.json",
    f"masters/{WITCH_TRIALS}/versions?format=Vinyl&per_page=100&page=1": INTEGRATIONS / "master_38998_versions.json",
    "releases/679324": CATALOG / "release_679324_david-axelrod_earth-rot_1970.json",  # the 1970 US LP
    "releases/1823781": INTEGRATIONS / "release_1823781_david-axelrod_earth-rot.json",  # a 2000 reissue
    "releases/603365": INTEGRATIONS / "release_603365_the-fall_live-at-the-witch-trials.json",  # 2004 deluxe 2xCD
}
EARTH_ROT_TRACKS = [
    ("A1", "Part I"),
    ("A2", "Part II"),
    ("A3", "Part III"),
    ("A4", "Part IV"),
    ("B1", "Part I"),
    ("B2", "Part II"),
    ("B3", "Part III"),
]


@pytest.fixture
def recorded(tmp_path):
    for path, body in RECORDINGS.items():
        record_fixture(
            tmp_path, "GET", f"https://api.discogs.com/{path}", 200, body.read_bytes(), {"Content-Type": "application/json"}
        )
    with replaying(tmp_path):
        yield


def album_of(master_id, title):
    return AlbumFactory(
        artist=ArtistFactory(),
        title=title,
        discogs_master_id=master_id,
        first_release_year=None,
        year_source=YearSource.UNKNOWN,
        track_count=None,
        releases_refreshed_at=None,
        mbid=None,
    )


def test_the_original_is_the_earliest_vinyl_pressing_of_the_first_year(recorded):
    album = album_of(WITCH_TRIALS, "Live At The Witch Trials")
    services.sync_album_releases(album)

    album.refresh_from_db()
    assert album.first_release_year == 1979  # every version read: the 1979 LPs are the first
    # The UK LP of 16 March 1979 before the US LP that says only "1979".
    assert original_pressing(album).discogs_id == 372000


def test_a_deluxe_edition_never_gives_the_album_its_tracklist(recorded):
    album = album_of(WITCH_TRIALS, "Live At The Witch Trials")
    services.sync_album_releases(album)

    services.get_or_create_release(603365)  # the 2004 expanded deluxe 2xCD: 41 tracks

    album.refresh_from_db()
    assert (album.tracks.count(), album.track_count) == (0, None)


def test_the_original_lps_tracklist_replaces_another_editions(recorded):
    album = album_of(EARTH_ROT, "Earth Rot")
    for n in range(1, 42):  # what an edition with bonus tracks had told us
        TrackFactory(album=album, sequence=n, title=f"Bonus {n}")
    Album.objects.filter(pk=album.pk).update(track_count=41)
    services.sync_album_releases(album)

    services.get_or_create_release(679324)  # the 1970 US LP
    services.get_or_create_release(1823781)  # a 2000 reissue afterwards changes nothing

    album.refresh_from_db()
    assert original_pressing(album).discogs_id == 679324
    assert list(album.tracks.values_list("position", "title")) == EARTH_ROT_TRACKS and album.track_count == 7
