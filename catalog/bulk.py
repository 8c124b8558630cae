"""Batch writes shared by the Discogs dump import and the orphan linker.

Both write thousands of rows a batch with bulk statements rather than one upsert per row
(catalog.upsert), so they share what a batch needs: a transaction that survives a concurrent
writer (`write_batch`), free normalized keys for new rows under the unique constraints
(`free_artist_keys`, `free_album_keys`), new albums for masters (`new_album`), and linking the pressings that wait for a master
to the album now holding it (`link_orphan_releases`). Column lengths are catalog.upsert.fit.
"""

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery

from .models import Album, Artist, Release, YearSource
from .normalize import normalize_artist_name, normalize_name, normalize_title
from .upsert import album_year, fit


def write_batch(write, records):
    """One transaction per batch. If a concurrent writer created one of the batch's rows
    first, the insert fails on a unique constraint; the second attempt finds that row in its
    prefetch and updates it instead."""
    try:
        with transaction.atomic():
            return write(records)
    except IntegrityError:
        with transaction.atomic():
            return write(records)


def new_album(master_id, title, *, artist_id, normalized_title, year, verdict, source, genre="", year_source=None):
    """An unsaved Album for a Discogs master, with the studio verdict on it, for bulk_create;
    `year` is what `year_source` says of its first release (catalog.upsert.album_year)."""
    is_studio, reason = verdict
    year, year_source = album_year(None, YearSource.UNKNOWN, year, year_source)
    return Album(
        artist_id=artist_id,
        title=fit(Album, "title", title),
        normalized_title=normalized_title,
        discogs_master_id=master_id,
        first_release_year=year,
        year_source=year_source,
        genre=fit(Album, "genre", genre),
        is_studio=is_studio,
        exclusion_reason=fit(Album, "exclusion_reason", reason),
        source=source,
    )


def link_orphan_releases(master_ids=None):
    """Point every release still waiting for its master (of master_ids, when given) at the
    album now holding that master."""
    album = Album.objects.filter(discogs_master_id=OuterRef("discogs_master_id")).values("pk")[:1]
    known = Album.objects.filter(discogs_master_id__isnull=False)
    if master_ids is not None:
        known = known.filter(discogs_master_id__in=master_ids)
    orphans = Release.objects.filter(album__isnull=True, discogs_master_id__in=known.values("discogs_master_id"))
    return orphans.update(album=Subquery(album))


def free_artist_keys(records, exclude=None):
    """A normalized name for each record (id, name) that no artist without an MBID holds yet.

    Only one MBID-less artist may hold a name key, but Discogs keeps homonyms apart with its
    " (2)" suffix: the first homonym gets the plain key, the next keeps its suffix in its
    key ("nirvana 2"), and the Discogs id settles the rare case where both are taken.
    """
    options = [_artist_key_options(record) for record in records]
    holders = Artist.objects.filter(mbid__isnull=True, normalized_name__in={k for keys in options for k in keys})
    taken = set(holders.exclude(pk=exclude).values_list("normalized_name", flat=True))
    return _first_free(options, taken)


def _artist_key_options(record):
    plain = normalize_artist_name(record.name)
    keys = (plain, normalize_name(record.name), f"{plain} discogs {record.id}")
    return [fit(Artist, "normalized_name", k) for k in keys]


def free_album_keys(masters, artist_of, exclude=None):
    """A normalized title per master (id, title) that no MBID-less album of the same artist
    holds yet; the same ladder as free_artist_keys, for an artist's two masters of one title."""
    options = [_album_key_options(master) for master in masters]
    holders = Album.objects.filter(
        mbid__isnull=True,
        artist_id__in=set(artist_of.values()),
        normalized_title__in={k for keys in options for k in keys},
    )
    taken = set(holders.exclude(pk=exclude).values_list("artist_id", "normalized_title"))
    scoped = [[(artist_of[m.id], k) for k in keys] for m, keys in zip(masters, options)]
    return [key for _, key in _first_free(scoped, taken)]


def _album_key_options(master):
    plain = normalize_title(master.title)
    keys = (plain, normalize_name(master.title), f"{plain} discogs master {master.id}")
    return [fit(Album, "normalized_title", k) for k in keys]


def _first_free(options, taken):
    """The first option not taken, for each record; marks it taken so a batch never collides
    with itself. The last option carries a Discogs id, so it is free in practice."""
    chosen = []
    for keys in options:
        key = next((k for k in keys if k not in taken), keys[-1])
        taken.add(key)
        chosen.append(key)
    return chosen
