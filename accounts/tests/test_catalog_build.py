"""Taste builds its catalog: adding artists enqueues the chain the set needs, ahead of
background work; its progress is shown; the set is generated again once it is done."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import catalog_build, services
from accounts.factories import SeedArtistFactory
from accounts.models import Profile
from catalog import tasks as catalog_tasks
from catalog.factories import AlbumFactory, ArtistFactory, ArtistSimilarityFactory, ReleaseFactory
from integrations import queue
from recommendations.models import RecommendationSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain_on(settings, monkeypatch):
    """The chain switched on, and the tasks it starts captured instead of run."""
    settings.BUILD_CATALOG_ON_TASTE = True
    started = []
    for task in (catalog_tasks.sync_artist, catalog_tasks.sync_album_releases):
        monkeypatch.setattr(
            task,
            "apply_async",
            lambda args, kwargs, priority=None, task=task: started.append((task.name, task.queue, args, kwargs, priority)),
        )
    return started


def test_adding_a_seed_enqueues_the_chain_of_its_artist_ahead_of_background_work(chain_on, listener, settings):
    new = ArtistFactory(name="Slowdive", refreshed_at=None, albums_refreshed_at=None)

    services.add_seed_artist(listener, new)

    assert chain_on == [("catalog.sync_artist", "musicbrainz", (new.pk,), {"follow": True, "price": True, "priority": 0}, 0)]
    assert settings.LISTENER_CHAIN_PRIORITY < settings.CELERY_TASK_DEFAULT_PRIORITY
    assert Profile.objects.get(user=listener).catalog_requested_at is not None


def test_the_chain_covers_the_closest_neighbours_and_albums_still_without_pressings(chain_on, listener):
    known = ArtistFactory(name="Cocteau Twins", albums_refreshed_at=timezone.now())
    unpressed = AlbumFactory(artist=known, is_studio=True, releases_refreshed_at=None)
    AlbumFactory(artist=known, is_studio=True, releases_refreshed_at=timezone.now())
    neighbour = ArtistFactory(name="Lush", albums_refreshed_at=None)
    ArtistSimilarityFactory(from_artist=known, to_artist=neighbour, score=0.9, source="lastfm")
    SeedArtistFactory(user=listener, artist=known, weight=5.0)

    assert catalog_build.build_catalog(listener) == 2

    started = {(name, args[0]) for name, _, args, _, _ in chain_on}
    assert started == {("catalog.sync_artist", neighbour.pk), ("catalog.sync_album_releases", unpressed.pk)}


def test_nothing_is_enqueued_when_the_catalog_already_has_it(chain_on, listener):
    artist = ArtistFactory(albums_refreshed_at=timezone.now())
    AlbumFactory(artist=artist, is_studio=True, releases_refreshed_at=timezone.now())
    SeedArtistFactory(user=listener, artist=artist)

    assert catalog_build.build_catalog(listener) == 0 and chain_on == []
    assert Profile.objects.get(user=listener).catalog_requested_at is None


def test_progress_counts_albums_and_estimates_minutes_from_the_rate_limits(listener, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "discogs": 8.0, "musicbrainz": 60.0, "lastfm": 60.0}
    artist = ArtistFactory(albums_refreshed_at=timezone.now())
    AlbumFactory.create_batch(3, artist=artist, is_studio=True, releases_refreshed_at=None)
    AlbumFactory(artist=artist, is_studio=True, releases_refreshed_at=timezone.now())
    SeedArtistFactory(user=listener, artist=artist)

    progress = catalog_build.catalog_progress(listener)

    assert (progress.albums_done, progress.albums_total, progress.artists_pending) == (1, 4, 0)
    assert progress.minutes == 3  # 3 albums × 8 Discogs calls at 8 a minute
    assert progress.sentence() == "Building your catalog: 1 of 4 albums, about 3 minutes."


def test_the_banner_polls_until_done_then_the_set_is_generated_again(client, listener):
    artist = ArtistFactory(albums_refreshed_at=timezone.now())
    album = AlbumFactory(artist=artist, is_studio=True, releases_refreshed_at=None)
    SeedArtistFactory(user=listener, artist=artist)
    Profile.objects.filter(user=listener).update(catalog_requested_at=timezone.now())

    html = client.get(reverse("accounts:catalog_progress"), HTTP_HX_REQUEST="true").content.decode()
    assert "Building your catalog: 0 of 1 albums" in html and "every 5s" in html
    assert not RecommendationSet.objects.filter(user=listener).exists()

    album.releases_refreshed_at = timezone.now()
    album.save()
    html = client.get(reverse("accounts:catalog_progress"), HTTP_HX_REQUEST="true").content.decode()

    assert "Your catalog is ready: 1 albums." in html and "every 5s" not in html
    assert RecommendationSet.objects.filter(user=listener).count() == 1
    assert Profile.objects.get(user=listener).catalog_requested_at is None
    client.get(reverse("accounts:catalog_progress"))
    assert RecommendationSet.objects.filter(user=listener).count() == 1  # told once


def test_the_beat_fan_out_finishes_builds_nobody_is_watching(listener):
    from accounts.tasks import finish_catalog_builds

    SeedArtistFactory(user=listener, artist=ArtistFactory(albums_refreshed_at=timezone.now()))
    Profile.objects.filter(user=listener).update(catalog_requested_at=timezone.now())

    assert finish_catalog_builds.delay().get() == 1
    assert RecommendationSet.objects.filter(user=listener).exists()


def test_the_chain_prices_an_album_once_its_pressings_are_in(monkeypatch):
    album = AlbumFactory(releases_refreshed_at=timezone.now())
    ReleaseFactory(album=album)
    priced = []
    price_task = queue.task("pricing.refresh_album_prices")
    monkeypatch.setattr(price_task, "apply_async", lambda args, kwargs, priority=None: priced.append((args, priority)))
    monkeypatch.setattr(catalog_tasks.sync_album_tracklist, "apply_async", lambda *a, **k: None)

    catalog_tasks.sync_album_releases.delay(album.pk, follow=True, price=True, priority=0)

    assert priced == [((album.pk,), 0)]


# --- lookups that failed: counted, said with their retry time, retried then -----------------------


def _fail(task, pk):
    """A worker's task failed for good: the failure note a page reads (integrations.queue)."""
    from celery.signals import task_failure

    from integrations.errors import Unreachable

    error = Unreachable("Unreachable: HTTPSConnectionPool(host='musicbrainz.org') [Errno -2]", provider="musicbrainz")
    task_failure.send(sender=task, args=(pk,), exception=error)


@pytest.fixture
def unlisted(listener):
    """A seed artist not looked up yet, with an album whose pressings wait on its listing."""
    artist = ArtistFactory(name="Slowdive", albums_refreshed_at=None)
    AlbumFactory(artist=artist, is_studio=True, releases_refreshed_at=None)
    SeedArtistFactory(user=listener, artist=artist, weight=9.0)
    return artist


def test_failed_lookups_are_counted_with_their_retry_time_and_no_eta_when_nothing_can_proceed(listener, unlisted):
    _fail(catalog_tasks.sync_artist, unlisted.pk)

    progress = catalog_build.catalog_progress(listener)

    assert (progress.failed, progress.stalled) == (1, True)
    sentence = progress.sentence()
    assert sentence.startswith("Building your catalog: 0 of 1 albums, 1 artist still to look up. 1 lookup failed: ")
    assert "MusicBrainz did not answer; we will try them again at" in sentence
    assert "minute" not in sentence and "HTTPS" not in sentence


def test_the_eta_counts_only_the_work_that_can_proceed(listener, unlisted, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "discogs": 8.0, "musicbrainz": 60.0, "lastfm": 60.0}
    listed = ArtistFactory(albums_refreshed_at=timezone.now())
    AlbumFactory.create_batch(3, artist=listed, is_studio=True, releases_refreshed_at=None)
    SeedArtistFactory(user=listener, artist=listed, weight=5.0)
    _fail(catalog_tasks.sync_artist, unlisted.pk)

    progress = catalog_build.catalog_progress(listener)

    assert not progress.stalled and progress.minutes == 3  # Slowdive's album waits: 3 albums x 8 calls at 8 a minute
    assert "about 3 minutes. 1 lookup failed: MusicBrainz did not answer" in progress.sentence()


def test_the_banner_slows_its_polling_while_everything_waits_for_a_retry(client, listener, unlisted):
    Profile.objects.filter(user=listener).update(catalog_requested_at=timezone.now())
    _fail(catalog_tasks.sync_artist, unlisted.pk)

    html = client.get(reverse("accounts:catalog_progress"), HTTP_HX_REQUEST="true").content.decode()

    assert "1 lookup failed" in html and "every 30s" in html


def test_failed_lookups_are_started_again_once_their_retry_time_has_come(chain_on, listener, unlisted, monkeypatch):
    _fail(catalog_tasks.sync_artist, unlisted.pk)
    catalog_build.finish_if_built(listener)
    assert chain_on == []  # not yet

    later = catalog_build.catalog_progress(listener).failure.retry_at + 1
    monkeypatch.setattr(catalog_build.time, "time", lambda: later)
    progress = catalog_build.finish_if_built(listener)

    assert [(name, args) for name, _, args, _, _ in chain_on] == [("catalog.sync_artist", (unlisted.pk,))]
    assert progress.failed == 0 and queue.failure_note("catalog.sync_artist", unlisted.pk) is None


def test_a_build_nobody_is_working_on_is_started_again_once_a_minute(chain_on, listener, unlisted):
    """Its notes were lost with the process that kept them (a restarted server): the poll restarts it."""
    from django.core.cache import cache

    Profile.objects.filter(user=listener).update(catalog_requested_at=timezone.now())
    assert catalog_build.catalog_progress(listener).idle

    catalog_build.finish_if_built(listener)
    cache.delete(queue._pending_key("catalog.sync_artist", (unlisted.pk,)))  # the run "ended" unseen
    catalog_build.finish_if_built(listener)

    assert [(name, args) for name, _, args, _, _ in chain_on] == [("catalog.sync_artist", (unlisted.pk,))]


def test_an_artist_typed_by_name_and_never_looked_up_is_part_of_the_build_however_weak(chain_on, listener):
    for number in range(catalog_build.STRONGEST_ARTISTS):
        SeedArtistFactory(
            user=listener, artist=ArtistFactory(albums_refreshed_at=timezone.now()), source="lastfm", weight=50.0 + number
        )
    typed = ArtistFactory(name="Slowdive", refreshed_at=None, albums_refreshed_at=None)
    SeedArtistFactory(user=listener, artist=typed, weight=0.1)

    assert typed.pk in catalog_build.chain_artist_ids(listener)
    catalog_build.build_catalog(listener)
    assert [args for _, _, args, _, _ in chain_on] == [(typed.pk,)]
