"""The chain as Celery tasks (run eagerly in tests): thin, fanned out, retried, safe twice."""

import pytest
from celery.exceptions import Retry

from catalog import tasks
from catalog.factories import AlbumFactory, ArtistFactory
from catalog.models import Album, Artist
from integrations.models import ApiCall
from integrations.replay import record_fixture
from vinilogy.demo import replaying

pytestmark = pytest.mark.django_db

NIRVANA_MBID = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
MB_NIRVANA = f"https://musicbrainz.org/ws/2/artist/{NIRVANA_MBID}?inc=url-rels&fmt=json"


def test_ingest_task_fans_out_into_the_whole_chain():
    with replaying():
        artist_id = tasks.ingest_artist.delay(mbid=NIRVANA_MBID).get()

    nirvana = Artist.objects.get(pk=artist_id)
    assert nirvana.similar_to.count() == 100 and nirvana.albums.count() == 8


def test_running_a_task_twice_changes_nothing_and_calls_nothing():
    with replaying():
        artist_id = tasks.ingest_artist.delay(mbid=NIRVANA_MBID).get()
        calls, albums = ApiCall.objects.count(), Album.objects.count()
        tasks.sync_artist.delay(artist_id).get()

    assert (ApiCall.objects.count(), Album.objects.count()) == (calls, albums)


def test_a_transient_error_becomes_a_celery_retry(tmp_path, settings):
    settings.HTTP_MAX_RETRIES = 1
    record_fixture(tmp_path, "GET", MB_NIRVANA, 503, {"error": "busy"})
    nirvana = ArtistFactory(name="Nirvana", mbid=NIRVANA_MBID, refreshed_at=None)
    with replaying(tmp_path), pytest.raises(Retry):
        tasks.sync_artist.delay(nirvana.pk, follow=False)

    assert tasks.sync_artist.max_retries == 6


def test_a_permanent_error_is_kept_on_the_row_and_the_task_ends(tmp_path):
    record_fixture(tmp_path, "GET", MB_NIRVANA, 404, {"error": "Not Found"})
    nirvana = ArtistFactory(name="Nirvana", mbid=NIRVANA_MBID, refreshed_at=None)
    with replaying(tmp_path):
        assert tasks.sync_artist.delay(nirvana.pk, follow=False).get() == nirvana.pk

    assert "404" in Artist.objects.get(pk=nirvana.pk).last_error


def test_tasks_are_routed_to_their_provider_queue():
    assert tasks.sync_artist.queue == "musicbrainz"
    assert tasks.sync_artist_similars.queue == "lastfm"
    assert tasks.sync_album_releases.queue == "discogs"


def test_the_monthly_fan_out_enqueues_one_task_per_stale_row(monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.sync_artist, "delay", lambda pk, **kw: queued.append(("artist", pk)))
    monkeypatch.setattr(tasks.sync_album_releases, "delay", lambda pk, **kw: queued.append(("album", pk)))
    monkeypatch.setattr(tasks.sync_album_tracklist, "delay", lambda pk, **kw: queued.append(("tracklist", pk)))
    stale = ArtistFactory(refreshed_at=None)
    ArtistFactory()  # fresh
    album = AlbumFactory(releases_refreshed_at=None)

    counts = tasks.refresh_stale.delay().get()

    assert ("artist", stale.pk) in queued and ("album", album.pk) in queued
    assert counts["artists"] == Artist.objects.stale().count()


def test_every_beat_schedule_names_a_registered_task():
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    from vinilogy.celery import app

    call_command("sync_schedules")  # schedules live in vinilogy/schedules.py, not in migrations
    app.loader.import_default_modules()
    scheduled = set(PeriodicTask.objects.values_list("task", flat=True))

    assert {"catalog.refresh_followed_artists", "pricing.refresh_all_prices", "pricing.refresh_best_prices"} <= scheduled
    assert scheduled <= set(app.tasks)
