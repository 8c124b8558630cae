"""Every vinyl pressing of an album and the details of one pressing, over recorded Discogs answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import services
from catalog.factories import AlbumFactory
from catalog.models import Album, Release
from integrations.errors import Unavailable
from integrations.models import ApiCall
from integrations.replay import record_fixture
from vinilogy.demo import replaying

pytestmark = pytest.mark.django_db

NEIL_YOUNG_LP = 2535152  # Neil Young, "Neil Young", 2009 US reissue; master 38677
VERSIONS_PAGE_1 = "https://api.discogs.com/masters/38677/versions?format=Vinyl&per_page=100&page=1"


@pytest.fixture
def replay():
    with replaying():
        yield


@pytest.fixture
def neil_young(replay):
    """The album as a pressing first shows it to us: from the details of one LP."""
    return services.get_or_create_release(NEIL_YOUNG_LP).album


def test_a_pressing_brings_its_album_and_tracklist_with_durations(neil_young):
    assert (neil_young.artist.name, neil_young.title, neil_young.discogs_master_id) == ("Neil Young", "Neil Young", 38677)
    assert neil_young.is_studio and neil_young.track_count == 10
    tracks = list(neil_young.tracks.values_list("sequence", "position", "title", "duration_seconds"))
    assert tracks[0] == (1, "A1", "The Emperor Of Wyoming", 140)
    assert tracks[-1] == (10, "B5", "The Last Trip To Tulsa", 567)
    assert neil_young.cover_url == ""  # recorded on img.discogs.com, which Discogs retired: its sleeve shows


def test_every_vinyl_version_of_the_master_is_stored_once(neil_young):
    services.sync_album_releases(neil_young)

    releases = Release.objects.filter(album=neil_young)
    assert releases.count() == 76  # of 112 versions on two pages, the vinyl ones
    assert not releases.filter(format_summary__startswith="CD").exists()
    assert releases.filter(discogs_id=NEIL_YOUNG_LP).count() == 1
    first_us = releases.get(discogs_id=1657174)
    assert (first_us.country, first_us.year, first_us.want) == ("US", 1968, 1025)


def test_a_second_sync_of_fresh_pressings_costs_no_api_call(neil_young):
    services.sync_album_releases(neil_young)
    calls, count = ApiCall.objects.count(), Release.objects.count()

    services.sync_album_releases(Album.objects.get(pk=neil_young.pk))

    assert (ApiCall.objects.count(), Release.objects.count()) == (calls, count)


def test_a_forced_resync_updates_rows_without_duplicating_them(neil_young):
    services.sync_album_releases(neil_young)
    count = Release.objects.count()

    services.sync_album_releases(Album.objects.get(pk=neil_young.pk), force=True)

    assert Release.objects.count() == count


def test_an_album_claimed_by_another_worker_is_left_to_it(neil_young):
    Album.objects.filter(pk=neil_young.pk).update(releases_sync_started_at=timezone.now())
    calls = ApiCall.objects.count()

    services.sync_album_releases(Album.objects.get(pk=neil_young.pk))

    assert ApiCall.objects.count() == calls
    assert Release.objects.filter(album=neil_young).count() == 1


def test_an_abandoned_claim_expires_after_its_lease(neil_young):
    abandoned = timezone.now() - services.RELEASES_CLAIM_LEASE - timedelta(minutes=1)
    Album.objects.filter(pk=neil_young.pk).update(releases_sync_started_at=abandoned)

    services.sync_album_releases(Album.objects.get(pk=neil_young.pk))

    album = Album.objects.get(pk=neil_young.pk)
    assert album.releases.count() == 76 and album.releases_sync_started_at is None


def test_representative_pressing_is_the_most_wanted_official_one(neil_young):
    services.sync_album_releases(neil_young)

    assert services.representative_release(neil_young).discogs_id == 1657174


def test_a_pressing_that_is_not_vinyl_gives_its_album_but_no_release(replay):
    assert services.get_or_create_release(603365) is None  # The Fall, a deluxe CD

    album = Album.objects.get(discogs_master_id=38998)
    # Its 41 tracks (the album and a disc of bonus tracks) are not the album's tracklist.
    assert album.title == "Live At The Witch Trials" and not album.tracks.exists() and album.track_count is None
    assert not Release.objects.exists()


def test_fresh_release_details_cost_no_api_call(neil_young):
    release = Release.objects.get(discogs_id=NEIL_YOUNG_LP)
    calls = ApiCall.objects.count()

    services.sync_release_details(release)

    assert ApiCall.objects.count() == calls


def test_a_permanent_error_on_versions_is_kept_on_the_album_and_frees_the_claim(tmp_path):
    album = AlbumFactory(discogs_master_id=38677, releases_refreshed_at=None)
    record_fixture(tmp_path, "GET", VERSIONS_PAGE_1, 404, {"message": "The requested resource was not found."})
    with replaying(tmp_path):
        services.sync_album_releases(album)

    album.refresh_from_db()
    assert "404" in album.last_error
    assert album.releases_refreshed_at is not None and album.releases_sync_started_at is None


def test_a_transient_error_frees_the_claim_and_propagates(tmp_path, settings):
    settings.HTTP_MAX_RETRIES = 1
    album = AlbumFactory(discogs_master_id=38677, releases_refreshed_at=None)
    record_fixture(tmp_path, "GET", VERSIONS_PAGE_1, 503, {"message": "Service unavailable"})
    with replaying(tmp_path), pytest.raises(Unavailable):
        services.sync_album_releases(album)

    album.refresh_from_db()
    assert album.releases_sync_started_at is None and album.releases_refreshed_at is None


def test_an_album_discogs_cannot_be_asked_about_stays_due(replay):
    album = AlbumFactory(discogs_master_id=None, releases_refreshed_at=None)

    services.sync_album_releases(album)  # no master, and no credentials to search with

    album.refresh_from_db()
    assert album.releases_refreshed_at is None and album.releases_sync_started_at is None
    assert not ApiCall.objects.exists()
