"""An album's standard tracklist, track count and first-release year, database first, from
its Discogs master.

The master says when the album first came out (a pressing's year is often a reissue's) and
which release is its main one. The standard tracklist, which the album page shows and the
minimum-tracks filter counts, is the original LP's: the earliest vinyl pressing of the
album's first year (`original_pressing`), asked for its tracklist; else the main release's,
which Discogs gives the master (the main release itself is asked only when the master
carries none). A deluxe, expanded or special edition, or a box (`is_bonus_edition`: the
41-track Live At The Witch Trials), never gives the album its tracklist.
Tracks are what catalog.upsert.track_rows makes of integrations.discogs.parse_tracklist:
headings dropped, an index track (a suite of sub-tracks) counted once.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.clients import discogs
from integrations.errors import ApiError
from integrations.runs import note, record_permanent_error, stamp

from .. import studio
from ..models import Album, Release, Track, YearSource
from ..upsert import track_rows, year_fields
from .covers import offer_cover
from .verdicts import learn_verdict


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
        stamp(album, **year_fields(album, master.year, YearSource.DISCOGS_MASTER))
        learn_master_verdict(album, master)
        tracklist = _original_tracklist(client, album, master.main_release_id)
        tracklist = tracklist or master.tracklist or _main_release_tracklist(client, master.main_release_id)
    except ApiError as error:
        record_permanent_error(album, error, tracklist_checked_at=timezone.now())
        return album
    mark_main_release(album, master.main_release_id)
    replace_tracklist(album, tracklist)
    stamp(album, tracklist_checked_at=timezone.now())
    offer_cover(album, master.image_url)
    return album


def learn_master_verdict(album, master):
    """What the master's genres and styles say of the album's kind ("Soundtrack", "Score"),
    applied as a pressing's are (services.verdicts)."""
    learn_verdict(album, studio.Facts(title=album.title, styles=master.genres + master.styles))


def original_pressing(album):
    """The original LP: the album's earliest official vinyl pressing of its first year (a full
    release date before a bare year), or None when the year or such a pressing is unknown."""
    if not album.first_release_year:
        return None
    pressings = album.releases.filter(is_official=True, year=album.first_release_year)
    return min(pressings, key=lambda p: (_date_key(p.released), p.discogs_id), default=None)


def _date_key(released):
    """ "1979-03-16" before "1979-03-00" before "1979": an unknown day or month sorts last."""
    parts = (released or "").split("-") + ["99", "99"]
    return tuple(part if part.strip("0") else "99" for part in parts[:3])


def _original_tracklist(client, album, main_release_id):
    """The original pressing's tracklist when it is not the main release (whose tracklist the
    master carries); () when there is none, or it is a bonus edition."""
    original = original_pressing(album)
    if original is None or original.discogs_id == main_release_id:
        return ()
    data = client.release(original.discogs_id)
    return () if is_bonus_edition(data.formats) else data.tracklist


def _main_release_tracklist(client, main_release_id):
    return client.release(main_release_id).tracklist if main_release_id else ()


BONUS_EDITIONS = frozenset({"Deluxe Edition", "Special Edition", "Box Set"})


def is_bonus_edition(formats):
    """Whether a pressing (its parsed Discogs formats) is a deluxe, expanded or special
    edition or a box: bonus tracks, not the album's tracklist."""
    descriptions = {d for fmt in formats for d in fmt.descriptions}
    return bool(descriptions & BONUS_EDITIONS) or any("expanded" in fmt.text.lower() for fmt in formats)


def mark_main_release(album, main_release_id):
    """Our pressing that is the master's main release (when vinyl, so we hold it) becomes
    the album's representative one; no other pressing of the album keeps the mark."""
    if main_release_id and album.releases.filter(discogs_id=main_release_id).exists():
        Release.objects.filter(album=album, is_main_release=True).exclude(discogs_id=main_release_id).update(
            is_main_release=False
        )
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
