"""An album's year is its first release as a source states it (catalog.upsert.album_year):
a Discogs master's year, MusicBrainz's first-release date, a list's year; a pressing's year
only once every version of the master was read. Over recorded Discogs answers where a
source is involved (integrations/fixtures/SOURCES.md)."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from catalog import services
from catalog.factories import AlbumFactory, ArtistFactory, ReleaseFactory
from catalog.models import Album, YearSource
from catalog.orphans import albums_from_orphan_masters
from catalog.services.pressings import VersionsWalk, record_walk
from catalog.upsert import album_year, upsert_album
from integrations.discogs import parse_versions_page
from integrations.replay import record_fixture
from vinilogy.demo import replaying

pytestmark = pytest.mark.django_db

RECORDED = Path(settings.BASE_DIR) / "integrations" / "fixtures" / "discogs"
OK_COMPUTER = 21491  # master: year 1997
EARTH_ROT = 67464  # master: 5 versions on one page, the first a 1970 US LP, then 2000 and 2001 reissues
WITCH_TRIALS = 38998  # master: 16 versions, the first 1979 LPs


def versions_url(master_id):
    return f"https://api.discogs.com/masters/{master_id}/versions?format=Vinyl&per_page=100&page=1"


@pytest.fixture
def recorded(tmp_path):
    record = lambda url, name: record_fixture(  # noqa: E731
        tmp_path, "GET", url, 200, (RECORDED / name).read_bytes(), {"Content-Type": "application/json"}
    )
    record(f"https://api.discogs.com/masters/{OK_COMPUTER}", "master_21491_radiohead_ok-computer.json")
    record(versions_url(EARTH_ROT), "master_67464_versions.json")
    record(versions_url(WITCH_TRIALS), "master_38998_versions.json")
    return tmp_path


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "current, incoming, expected",
    [
        # A stated year replaces one of unknown source or a pressing's, even a later one.
        ((2009, YearSource.UNKNOWN), (1997, YearSource.DISCOGS_MASTER), (1997, YearSource.DISCOGS_MASTER)),
        ((1999, YearSource.PRESSINGS), (2000, YearSource.MUSICBRAINZ), (2000, YearSource.MUSICBRAINZ)),
        # Of two stated years the earlier stays.
        ((1976, YearSource.LIST), (1977, YearSource.DISCOGS_MASTER), (1976, YearSource.LIST)),
        ((1977, YearSource.DISCOGS_MASTER), (1976, YearSource.MUSICBRAINZ), (1976, YearSource.MUSICBRAINZ)),
        # A lone pressing's year (no source) or a blank never changes anything.
        ((None, YearSource.UNKNOWN), (2019, None), (None, YearSource.UNKNOWN)),
        ((1976, YearSource.LIST), (None, YearSource.DISCOGS_MASTER), (1976, YearSource.LIST)),
        # The earliest of every version: only where no source stated the year.
        ((None, YearSource.UNKNOWN), (1979, YearSource.PRESSINGS), (1979, YearSource.PRESSINGS)),
        ((1982, YearSource.LIST), (1979, YearSource.PRESSINGS), (1982, YearSource.LIST)),
    ],
)
def test_the_year_rule(current, incoming, expected):
    assert album_year(*current, *incoming) == expected


# --- every writer follows it ---------------------------------------------------------------------


def test_the_masters_year_wins_over_a_year_a_reissue_gave(recorded):
    album = AlbumFactory(
        title="OK Computer",
        discogs_master_id=OK_COMPUTER,
        first_release_year=2009,
        year_source=YearSource.UNKNOWN,
        tracklist_checked_at=None,
    )
    with replaying(recorded):
        services.sync_album_tracklist(album)

    album.refresh_from_db()
    assert (album.first_release_year, album.year_source) == (1997, YearSource.DISCOGS_MASTER)


def test_a_lone_reissue_pressing_does_not_set_the_year():
    # Ry Cooder's Chicken Skin Music: the only pressing we hold is a 2019 Music On Vinyl reissue.
    ReleaseFactory(
        album=None,
        discogs_id=14220525,
        discogs_master_id=81122,
        title="Chicken Skin Music",
        artist_credit="Ry Cooder",
        year=2019,
        format_summary="LP, Ltd, Num, RE",
        formats=[],
    )

    albums_from_orphan_masters()

    album = Album.objects.get(discogs_master_id=81122)
    assert (album.title, album.first_release_year, album.year_source) == ("Chicken Skin Music", None, YearSource.UNKNOWN)


def test_a_pressings_year_through_an_upsert_changes_nothing():
    album = AlbumFactory(first_release_year=None, year_source=YearSource.UNKNOWN, mbid=None)
    upsert_album(album.artist, album.title, first_release_year=2004)  # Dance Hall Style's 2004 reissue

    assert Album.objects.get(pk=album.pk).first_release_year is None


def test_the_earliest_version_gives_the_year_once_every_version_was_read(recorded):
    album = AlbumFactory(
        artist=ArtistFactory(name="David Axelrod"),
        title="Earth Rot",
        discogs_master_id=EARTH_ROT,
        first_release_year=None,
        year_source=YearSource.UNKNOWN,
        releases_refreshed_at=None,
    )
    with replaying(recorded):
        services.sync_album_releases(album)

    album.refresh_from_db()
    assert (album.first_release_year, album.year_source) == (1970, YearSource.PRESSINGS)
    assert album.versions_total == 5 and album.all_versions_read_at is not None
    assert album.releases.count() == 3  # the vinyl ones of the five


def test_a_stated_year_stays_when_every_version_was_read(recorded):
    album = AlbumFactory(
        title="Live At The Witch Trials",
        discogs_master_id=WITCH_TRIALS,
        first_release_year=1979,
        year_source=YearSource.LIST,
        releases_refreshed_at=None,
    )
    with replaying(recorded):
        services.sync_album_releases(album)

    album.refresh_from_db()
    assert (album.first_release_year, album.year_source, album.versions_total) == (1979, YearSource.LIST, 16)


def test_a_walk_that_did_not_read_every_version_gives_no_year():
    versions = parse_versions_page(json.loads((RECORDED / "master_67464_versions.json").read_text())).items
    album = AlbumFactory(first_release_year=None, year_source=YearSource.UNKNOWN)

    record_walk(album, VersionsWalk(versions[1:], total=5), now=None)  # the 1970 LP's page never came

    album.refresh_from_db()
    assert (album.first_release_year, album.versions_total, album.all_versions_read_at) == (None, 5, None)


def test_a_walk_whose_earliest_vinyl_is_a_reissue_gives_no_year():
    versions = parse_versions_page(json.loads((RECORDED / "master_67464_versions.json").read_text())).items
    album = AlbumFactory(first_release_year=None, year_source=YearSource.UNKNOWN)

    # Without the 1970 LP, Earth Rot's earliest versions are 2000 reissues ("LP, Album, RE"):
    # an album first issued in another format, whose year they do not give.
    record_walk(album, VersionsWalk(versions[1:], total=4), now=timezone.now())

    album.refresh_from_db()
    assert (album.first_release_year, album.versions_total) == (None, 4) and album.all_versions_read_at is not None
