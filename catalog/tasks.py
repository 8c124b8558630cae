"""Catalog Celery tasks: thin wrappers that take ids and call one service."""

from functools import partial

from celery import shared_task

from integrations import queue
from integrations.errors import RateLimited, Unavailable

from . import covers, csv_import, dump_import, job_lease, services
from .models import Album, Artist, IngestionJob, Release
from .services.covers import sync_album_cover as sync_cover

# --- long jobs under a lease (catalog.job_lease): a redelivery resumes, never repeats ------------
#
# A delivery after the job finished does nothing; one while another worker's lease is live
# (the message came back because that worker's process died moments ago) tries again once
# the lease has run out, and then resumes after the last row the dead run committed. A live
# lease is renewed every batch: ten waits for one cover a slow runner, not only a dead one.


def _run_leased(task, run, job_id):
    try:
        return run(job_id)
    except job_lease.LeaseHeld as held:
        raise task.retry(countdown=max(1, held.seconds + 1)) from held


@shared_task(name="catalog.import_artists_csv", bind=True, acks_late=True, max_retries=10)
def import_artists_csv(self, job_id):
    """Import an uploaded CSV of artists, or resume it after its last committed row."""
    return _run_leased(self, csv_import.run_import, job_id)


@shared_task(name="catalog.import_discogs_dump", bind=True, acks_late=True, max_retries=10)
def import_discogs_dump(self, job_id, batch_size=dump_import.BATCH_SIZE):
    """Import the Discogs dump files of a job, or resume it after its last committed batch."""
    return _run_leased(self, partial(dump_import.run_dump_job, batch_size=batch_size), job_id)


LEASED_JOBS = {IngestionJob.Kind.CSV_ARTISTS: import_artists_csv, IngestionJob.Kind.DISCOGS_DUMP: import_discogs_dump}


@shared_task(name="catalog.resume_abandoned_imports", acks_late=True)
def resume_abandoned_imports():
    """Enqueue every import left running: by a worker that died, its message still unacked
    for the visibility timeout. A job whose runner is alive makes its task wait, then no-op."""
    resumed = 0
    for kind, task in LEASED_JOBS.items():
        for job_id in job_lease.running_job_ids(kind):
            task.delay(job_id)
            resumed += 1
    return resumed


# --- ingestion: one task per artist, album or pressing ------------------------------------------
#
# Each task is routed to the queue of the provider it mostly talks to, so a worker per queue
# lets MusicBrainz (1 call/s), Discogs and Last.fm proceed side by side and the wall time is
# bounded by the slowest provider (see README, "Celery worker and beat"). Transient API
# errors retry with exponential backoff and jitter; permanent ones are kept on the row by the
# service. Every task is safe to run twice: the services are database first.

RETRYING = {
    "acks_late": True,
    "autoretry_for": (RateLimited, Unavailable),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 6,
}


def follow_up(task, *args, priority=None, **kwargs):
    """Enqueue the next step of a chain at the priority the chain was started with (a
    listener's chain goes ahead of background refreshes; None is the queue's default)."""
    return task.apply_async(args, kwargs, priority=priority)


@shared_task(name="catalog.sync_artist", queue="musicbrainz", **RETRYING)
def sync_artist(artist_id, follow=True, price=False, priority=None):
    """Refresh one artist (MusicBrainz + Last.fm); then its similar artists and albums (and,
    with `price`, every studio album's prices once its pressings are in)."""
    artist = Artist.objects.filter(pk=artist_id).first()
    if artist is None:
        return None
    artist = services.refresh_artist(artist)
    if follow:
        follow_up(sync_artist_similars, artist.pk, priority=priority)
        follow_up(sync_artist_albums, artist.pk, follow=True, price=price, priority=priority)
    return artist.pk


@shared_task(name="catalog.sync_artist_similars", queue="lastfm", **RETRYING)
def sync_artist_similars(artist_id):
    artist = Artist.objects.filter(pk=artist_id).first()
    return services.sync_artist_similars(artist) if artist else None


@shared_task(name="catalog.sync_artist_albums", queue="musicbrainz", **RETRYING)
def sync_artist_albums(artist_id, follow=True, price=False, priority=None):
    """The artist's albums; then one pressings task per studio album."""
    artist = Artist.objects.filter(pk=artist_id).first()
    if artist is None:
        return []
    albums = services.sync_artist_albums(artist)
    studio_ids = [album.pk for album in albums if album.is_studio]
    if follow:
        for album_id in studio_ids:
            follow_up(sync_album_releases, album_id, follow=True, price=price, priority=priority)
    return studio_ids


@shared_task(name="catalog.sync_album_releases", queue="discogs", bind=True, **RETRYING)
def sync_album_releases(self, album_id, follow=True, price=False, priority=None):
    """Every vinyl pressing of one album; then its standard tracklist and representative
    pressing and, with `price`, the album's prices (a pricing task, enqueued by name: pricing
    sits to our right). A redelivery that finds another worker's claim on the album (that
    worker is on it, or died on it) waits for the claim to run out rather than ending the chain."""
    album = Album.objects.filter(pk=album_id).first()
    if album is None:
        return None
    services.sync_album_releases(album)
    held = services.releases_claim_held_for(album)
    if held:
        raise self.retry(countdown=held + 1)
    if follow:
        follow_up(sync_album_tracklist, album.pk, follow=True, priority=priority)
    if follow and price and album.releases.exists():
        follow_up(queue.task("pricing.refresh_album_prices"), album.pk, priority=priority)
    return album.releases.count()


@shared_task(name="catalog.sync_album_tracklist", queue="discogs", **RETRYING)
def sync_album_tracklist(album_id, follow=False, priority=None):
    """The album's standard tracklist and first-release year from its master; then the
    details of its representative pressing (the main release, once the master named it)."""
    album = Album.objects.filter(pk=album_id).first()
    if album is None:
        return None
    album = services.sync_album_tracklist(album)
    release = services.representative_release(album) if follow else None
    if release is not None:
        follow_up(sync_release_details, release.pk, priority=priority)
        # The pressings the guide needs details of: the most wanted and collected (issue 23).
        for release_id in services.pressings_worth_details(album, exclude=[release.pk]):
            follow_up(sync_release_details, release_id, priority=priority)
    if follow and not covers.has_cover_as_good_as(album.cover_url, "lastfm"):
        follow_up(sync_album_cover, album.pk, priority=priority)  # Discogs gave no cover: ask the rest
    return album.track_count


@shared_task(name="catalog.sync_album_cover", queue="lastfm", **RETRYING)
def sync_album_cover(album_id):
    """A cover from the Cover Art Archive or Last.fm for an album Discogs gave none (its
    pressings' sync leads here, so once per pressings window)."""
    album = Album.objects.filter(pk=album_id).select_related("artist").first()
    return sync_cover(album).cover_url if album else None


@shared_task(name="catalog.sync_release_details", queue="discogs", **RETRYING)
def sync_release_details(release_id):
    release = Release.objects.filter(pk=release_id).first()
    return services.sync_release_details(release).pk if release else None


@shared_task(name="catalog.ingest_artist", queue="musicbrainz", **RETRYING)
def ingest_artist(name=None, mbid=None):
    """The whole chain for an artist we may not know yet, fanned out task by task."""
    artist = services.get_or_create_artist(name=name, mbid=mbid)
    sync_artist_similars.delay(artist.pk)
    sync_artist_albums.delay(artist.pk, follow=True)
    return artist.pk


# --- fan-out: beat selects what is stale and enqueues one task per id ---------------------------


@shared_task(name="catalog.refresh_followed_artists", acks_late=True)
def refresh_followed_artists():
    """Weekly: artists that active users follow, when stale."""
    artist_ids = services.followed_stale_artist_ids()
    for artist_id in artist_ids:
        sync_artist.delay(artist_id)
    return len(artist_ids)


@shared_task(name="catalog.refresh_stale", acks_late=True)
def refresh_stale():
    """Monthly: every stale artist, stale album pressings, albums whose master's standard
    tracklist was never asked for, and albums still without tracks."""
    counts = {"artists": 0, "albums": 0, "standard_tracklists": 0, "tracklists": 0}
    for artist_id in services.stale_artist_ids():
        sync_artist.delay(artist_id)
        counts["artists"] += 1
    for album_id in services.albums_due_for_releases().values_list("pk", flat=True):
        sync_album_releases.delay(album_id)
        counts["albums"] += 1
    for album_id in services.albums_due_for_tracklist().values_list("pk", flat=True):
        sync_album_tracklist.delay(album_id)
        counts["standard_tracklists"] += 1
    for album in services.albums_missing_tracklist():
        release = services.representative_release(album)
        if release is not None:
            sync_release_details.delay(release.pk)
            counts["tracklists"] += 1
    return counts
