"""An album's standard tracklist, track count and first-release year, database first, from
its Discogs master.

The master says when the album first came out (a pressing's year is often a reissue's) and
which release is its main one: the standard edition, whose tracklist the album page shows and
the minimum-tracks filter counts, never a 41-track deluxe reissue that happens to be the most
wanted pressing. Discogs gives a master the tracklist of its main release, so one call
usually answers; the main release itself is asked only when the master carries none.
Tracks are what catalog.upsert.track_rows makes of integrations.discogs.parse_tracklist:
headings dropped, an index track (a suite of sub-tracks) counted once.
"""
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.clients import discogs
from integrations.errors import ApiError
from integrations.runs import note, record_permanent_error, stamp

from ..models import Album, Release, Track
from ..upsert import earliest_year, track_rows
from .covers import offer_cover


def albums_due_for_tracklist():
    return Album.objects.tracklist_due().order_by("pk")


def sync_album_tracklist(album, *, force=False):
    """The standard tracklist and first-release year from the album's master; the album."""
    if not album.discogs_master_id or not (force or album.tracklist_checked_at is None):
        note("cache_hits")
        return album
    note("api_lookups")
    client = discogs()
    try:
        master = client.master(album.discogs_master_id)
        tracklist = master.tracklist or _main_release_tracklist(client, master.main_release_id)
    except ApiError as error:
        record_permanent_error(album, error, tracklist_checked_at=timezone.now())
        return album
    mark_main_release(album, master.main_release_id)
    replace_tracklist(album, tracklist)
    stamp(album, tracklist_checked_at=timezone.now(), first_release_year=earliest_year(album.first_release_year, master.year))
    offer_cover(album, master.image_url)
    return album


def _main_release_tracklist(client, main_release_id):
    return client.release(main_release_id).tracklist if main_release_id else ()


def mark_main_release(album, main_release_id):
    """Our pressing that is the master's main release (when vinyl, so we hold it) becomes
    the album's representative one; no other pressing of the album keeps the mark."""
    if main_release_id and album.releases.filter(discogs_id=main_release_id).exists():
        Release.objects.filter(album=album, is_main_release=True).exclude(discogs_id=main_release_id).update(is_main_release=False)
        Release.objects.filter(album=album, discogs_id=main_release_id).update(is_main_release=True)


def replace_tracklist(album, tracklist):
    """The album's tracks become `tracklist` (a blank one changes nothing), its count with them."""
    if not tracklist:
        return
    rows = track_rows(album.pk, tracklist)
    try:
        with transaction.atomic():
            album.tracks.all().delete()
            Track.objects.bulk_create(rows)
    except IntegrityError:
        return  # a concurrent worker wrote the same album's tracks first
    stamp(album, track_count=len(rows))
