"""Two workers syncing one album's pressings at the same moment, on real PostgreSQL connections."""

import threading

import pytest
from django.db import connection

from catalog import services
from catalog.models import Album, Release
from integrations.clients import discogs
from integrations.models import ApiCall
from vinilogy.demo import replaying

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 2


def run_in_threads(work, count):
    """Run `work()` in `count` threads released together; return the errors they raised."""
    start, errors = threading.Barrier(count), []

    def worker():
        try:
            start.wait()
            work()
        except Exception as error:  # noqa: BLE001 - the test reports every worker's failure
            errors.append(error)
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_workers_syncing_one_album_make_no_duplicate_and_no_error():
    with replaying():
        album_id = services.get_or_create_release(2535152).album_id
        calls = ApiCall.objects.count()

        errors = run_in_threads(lambda: services.sync_album_releases(Album.objects.get(pk=album_id)), WORKERS)

    assert errors == []
    assert Release.objects.filter(album_id=album_id).count() == 76
    assert Release.objects.values("discogs_id").distinct().count() == Release.objects.count()
    album = Album.objects.get(pk=album_id)
    assert album.releases_refreshed_at is not None and album.releases_sync_started_at is None
    assert ApiCall.objects.count() - calls == 2  # one worker read both pages; the other stood aside


def test_two_workers_forced_to_sync_one_album_together_still_make_no_duplicate():
    with replaying():
        album_id = services.get_or_create_release(2535152).album_id
        Album.objects.filter(pk=album_id).update(releases_sync_started_at=None)

        def forced_sync():
            # Both workers skip the claim, so their upserts really race on the unique ids.
            services.store_vinyl_releases(Album.objects.get(pk=album_id), discogs())

        errors = run_in_threads(forced_sync, WORKERS)

    assert errors == []
    assert Release.objects.filter(album_id=album_id).count() == 76
