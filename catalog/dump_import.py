"""Bulk import of the Discogs monthly data dumps (CC0) into the catalog.

`import_dump_files(paths)` reads artists, then masters, then releases, whatever order the
files are given in, and records the run as an IngestionJob of kind DISCOGS_DUMP. Each batch
of a few thousand records is one transaction: one query per table fetches the rows the batch
already has, values are compared in Python, and only new or changed rows are written, with
bulk statements. A second import of the same files therefore writes nothing.

The rules are catalog.upsert's (external id first, then normalized name; a blank never
overwrites a value), applied a batch at a time because one upsert per row manages a few
hundred rows a second and a releases dump has millions. On rows that another source created
the dump only fills blanks: it is a month-old snapshot, weaker than the live API or
MusicBrainz. Whether an album is a studio album is catalog.studio's verdict on what the
master (credit, genres, styles, data quality) and its main release (format descriptions)
say; the dump only ever takes the studio mark away, and never from an album MusicBrainz made.
The batch helpers it shares with the orphan linker are in catalog.bulk.
"""

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import job_lease, studio
from .bulk import free_album_keys, free_artist_keys, link_orphan_releases, new_album, write_batch
from .discogs_dump import KINDS, BadRecord, DumpArtist, DumpReader, SkippedRelease
from .editions import classify_albums, classify_unclassified
from .models import Album, Artist, IngestionJob, Release, Source, Track, YearSource
from .normalize import normalize_artist_name, normalize_title, strip_discogs_suffix
from .orphans import link_orphans
from .pressing_facts import fact_fields
from .upsert import PRESSING_FACTS, fit, format_objects, is_blank, track_rows, year_fields

BATCH_SIZE = 2000
FILES = "files"  # job.stats key: the dump files of the job, as absolute paths
KEEP = "keep"  # job.stats key: "all" vinyl pressings (the default) or only those of "tracked" masters
RESUME = "resume"  # job.stats keys "resume.<file>.records" / ".done": what was committed of each file
MAX_STORED_ERRORS = 200
# Main releases of masters without an album, kept for the albums made from orphan pressings
# at the end of the run; past this many, the next import teaches the rest.
MAX_KEPT_ORPHAN_MAINS = 20_000
DUMP = Source.DISCOGS_DUMP
MUSICBRAINZ = Source.MUSICBRAINZ
RELEASE_FIELDS = (
    "album_id",
    "discogs_master_id",
    "title",
    "artist_credit",
    "country",
    "year",
    "released",
    "formats",
    "format_summary",
    "label",
    "catalog_number",
    "is_official",
    "is_main_release",
    "styles",
    *PRESSING_FACTS,
)
ARTIST_FIELDS = ["name", "normalized_name", "discogs_id", "image_url"]
ALBUM_FIELDS = [
    "title",
    "normalized_title",
    "discogs_master_id",
    "first_release_year",
    "year_source",
    "genre",
    "is_studio",
    "exclusion_reason",
]
ALBUM_FACTS = ["is_studio", "exclusion_reason", "track_count"]


@dataclass
class Outcome:
    """What one batch did; merged into the run only once its transaction has committed."""

    counts: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)  # (record id, reason)
    orphan_mains: list = field(default_factory=list)  # main releases whose master has no album

    def tally(self, kind, created=0, updated=0, unchanged=0):
        self.counts.update({f"{kind}.created": created, f"{kind}.updated": updated, f"{kind}.unchanged": unchanged})


# --- the run ----------------------------------------------------------------------------


def import_dump_files(paths, *, batch_size=BATCH_SIZE, on_progress=None, created_by=None, tracked_only=False):
    """Import dump files in this process; returns the finished (or failed) IngestionJob.

    on_progress(n) is called with the number of file bytes consumed since the last call.
    A damaged or truncated file fails the job and stops the run; batches committed before
    the damage stay. Unreadable single records are listed in job.errors and skipped.
    tracked_only keeps only the vinyl pressings (and main releases) of masters the catalog
    already has, or that the same run's masters file brings; else every vinyl pressing.
    """
    job = create_dump_job(paths, created_by=created_by, tracked_only=tracked_only)
    run_dump_job(job.pk, batch_size=batch_size, on_progress=on_progress)
    return IngestionJob.objects.get(pk=job.pk)


def create_dump_job(paths, *, created_by=None, tracked_only=False):
    """A queued job for the files (the catalog.import_discogs_dump task or the command runs it)."""
    readers = [DumpReader(path) for path in paths]
    return IngestionJob.objects.create(
        kind=IngestionJob.Kind.DISCOGS_DUMP,
        name=fit(IngestionJob, "name", " ".join(reader.path.name for reader in readers)),
        total=sum(reader.size for reader in readers),
        stats={FILES: [str(Path(path).resolve()) for path in paths], **({KEEP: "tracked"} if tracked_only else {})},
        created_by=created_by,
    )


def run_dump_job(job_id, *, batch_size=BATCH_SIZE, on_progress=None) -> bool:
    """Run a dump job under a lease (catalog.job_lease), or resume it after the last batch a
    dead runner committed; False when it is finished or another runner took it over."""
    return job_lease.run(job_id, lambda job, owner: _import(job, owner, batch_size, on_progress))


def _import(job, owner, batch_size, on_progress):
    tracked = _tracked_master_ids if job.stats.get(KEEP) == "tracked" else None
    readers = sorted(
        (DumpReader(path, vinyl_or_main_only=True, tracked_masters=tracked) for path in job.stats[FILES]), key=_import_order
    )
    # Once a masters file was read, a pressing still without its master will not find it in
    # this dump; a releases-only import leaves its orphans waiting for the masters file.
    reads_masters = any(reader.kind == "masters" for reader in readers)
    run = DumpRun(job, owner, on_progress, gives_orphans_albums=reads_masters and tracked is None)
    try:
        if all(run.import_file(reader, batch_size) for reader in readers):
            run.counts["releases.orphans_linked"] += link_orphan_releases()
            run.give_orphans_albums()
            classify_unclassified()  # pressings linked to their album after their batch
            run.finish()
    except job_lease.LeaseLost:
        raise
    except Exception as exc:
        run.fail(f"{type(exc).__name__}: {exc}")
        raise


def _tracked_master_ids():
    """The masters the catalog has an album for (a set of ints: ~60 MB at a million albums)."""
    return set(Album.objects.filter(discogs_master_id__isnull=False).values_list("discogs_master_id", flat=True).iterator())


def _import_order(reader):
    return KINDS.index(reader.kind) if reader.kind in KINDS else len(KINDS)


class DumpRun:
    """Counts, errors and progress of one import, committed on its job with every batch.

    job.total and job.processed are in file bytes: a dump does not say how many records it
    holds, and counting them first would mean reading it twice. How many records of each
    file were committed is kept in job.stats, in the transaction of their batch, so a run
    that resumes a dead one skips exactly those and writes every record once. (Main releases
    kept in memory for orphan albums are lost with the dead runner: the next import teaches
    those albums, as past MAX_KEPT_ORPHAN_MAINS.)
    """

    def __init__(self, job, owner, on_progress=None, *, gives_orphans_albums=False):
        self.job, self.owner = job, owner
        self.on_progress = on_progress or (lambda consumed: None)
        stats = job.stats or {}
        self.files = stats.get(FILES, [])
        self.counts = Counter({k: v for k, v in stats.items() if isinstance(v, int)})
        self.keep = stats.get(KEEP)
        self.seconds = Counter(stats.get("seconds", {}))
        self.errors = list(job.errors or [])
        self.gives_orphans_albums = gives_orphans_albums
        self.orphan_mains = {}  # master id -> its main release, while the master has no album

    def import_file(self, reader, batch_size):
        """Import one file, or what a dead run left of it; False when it was damaged (the job
        has then failed)."""
        done_key, read_key = f"{RESUME}.{reader.path.name}.done", f"{RESUME}.{reader.path.name}.records"
        if self.counts[done_key]:
            return True
        write = WRITERS.get(reader.kind)
        if write is None:
            self.counts[f"{reader.kind}.files_skipped"] += 1
            return self._file_done(done_key, reader.size)
        started, records = time.monotonic(), _skip(iter(reader), self.counts[read_key])
        consumed = reader.position if self.counts[read_key] else 0  # bytes a dead run counted
        for batch in _batches(records, batch_size):
            with transaction.atomic():  # the batch and the count of it, together or not at all
                self._commit(write, batch, reader)
                self.counts[read_key] += len(batch)
                self._advance(reader.position - consumed)
                self._save()
            consumed = reader.position
        self.seconds[reader.kind] += time.monotonic() - started
        if reader.failure:
            self.fail(reader.failure)
            return False
        return self._file_done(done_key, reader.size - consumed)

    def _file_done(self, done_key, remaining_bytes):
        with transaction.atomic():
            self.counts[done_key] = 1
            self._advance(remaining_bytes)
            self._save()
        return True

    def _commit(self, write, batch, reader):
        records = []
        for record in batch:
            if isinstance(record, BadRecord):
                self._error(reader, record.id, record.reason, line=record.line)
            elif isinstance(record, SkippedRelease):
                self.counts["releases.not_vinyl_skipped"] += 1
            else:
                records.append(record)
        outcome = write_batch(write, records)
        self.counts.update(outcome.counts)
        self.counts[f"{reader.kind}.read"] += len(batch)
        for record_id, reason in outcome.errors:
            self._error(reader, record_id, reason)
        self._keep_orphan_mains(outcome.orphan_mains)

    def _keep_orphan_mains(self, mains):
        if self.gives_orphans_albums and len(self.orphan_mains) < MAX_KEPT_ORPHAN_MAINS:
            self.orphan_mains.update((release.master_id, release) for release in mains)

    def give_orphans_albums(self):
        """Albums for the pressings left without one (catalog.orphans), then what the main
        releases read meanwhile teach those albums, as they teach any album: so the next
        import of the same files has nothing left to learn."""
        if not self.gives_orphans_albums:
            return
        self.counts.update(link_orphans().dump_counts())
        self.counts["tracks.created"] += self._teach_orphan_albums()

    def _teach_orphan_albums(self):
        """Tracks added. The albums the main releases touch are not counted again: the
        orphans pass counted them as created or found."""
        tracks = 0
        for mains in _batches(list(self.orphan_mains.values()), BATCH_SIZE):
            albums, outcome = _albums_for(mains), Outcome()
            with transaction.atomic():
                _learn_from_main_releases([r for r in mains if r.master_id in albums], albums, outcome)
            tracks += outcome.counts["tracks.created"]
        return tracks

    def _error(self, reader, record_id, reason, line=None):
        self.counts["errors"] += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            entry = {"file": reader.path.name, "kind": reader.kind, "id": str(record_id), "reason": reason}
            self.errors.append(entry if line is None else {**entry, "line": line})

    def _advance(self, consumed):
        self.job.processed = min(self.job.processed + consumed, self.job.total)
        self.on_progress(consumed)

    def _fields(self):
        fields = {
            name: sum(self.counts[f"{kind}.{name}"] for kind in ("artists", "albums", "releases", "orphans"))
            for name in ("created", "updated", "unchanged")
        }
        return {**fields, "processed": self.job.processed, "errors": self.errors, "stats": self.stats()}

    def _save(self):
        """Renew the lease with the progress: inside the transaction of the rows it counts."""
        job_lease.renew(self.job.pk, self.owner, **self._fields())

    def stats(self):
        seconds = {kind: round(s, 2) for kind, s in self.seconds.items()}
        return {**self.counts, "seconds": seconds, FILES: self.files, **({KEEP: self.keep} if self.keep else {})}

    def _end(self, status, message):
        fields = {**self._fields(), "status": status, "finished_at": timezone.now(), "message": message}
        job_lease.release(self.job.pk, self.owner, **fields)
        for name, value in fields.items():
            setattr(self.job, name, value)

    def finish(self):
        self._end(IngestionJob.Status.DONE, self.summary())

    def fail(self, reason):
        self._end(IngestionJob.Status.FAILED, f"{reason}. Kept what was committed before: {self.summary()}")

    def releases_per_minute(self):
        seconds = self.seconds["releases"]
        return round(self.counts["releases.read"] * 60 / seconds) if seconds else 0

    def summary(self):
        """The one line the command prints: what happened to each kind of row."""
        c = self.counts
        parts = [_tally_text(kind, c) for kind in ("artists", "albums", "releases")]
        parts.append(f"vinyl kept {c['releases.vinyl_kept']:,}, skipped {c['releases.not_vinyl_skipped']:,} not vinyl")
        parts.append(
            f"linked {c['releases.linked']:,}, unlinked {c['releases.unlinked']:,}, "
            f"orphans linked {c['releases.orphans_linked']:,}"
        )
        parts.append(
            f"orphan masters: {c['orphans.albums_found_by_title']:,} albums found by title, "
            f"{c['orphans.albums_created']:,} made from pressings ({c['orphans.albums_excluded']:,} not studio), "
            f"{c['orphans.artists_created']:,} artists added, {c['orphans.linked']:,} pressings linked"
        )
        parts.append(f"tracks added {c['tracks.created']:,}")
        parts.append(f"{self.releases_per_minute():,} releases/min")
        parts.append(f"{c['errors']:,} errors")
        return " | ".join(parts)


def _tally_text(kind, counts):
    created, updated, unchanged = (counts[f"{kind}.{name}"] for name in ("created", "updated", "unchanged"))
    return f"{kind} {created:,} created, {updated:,} updated, {unchanged:,} unchanged"


def _skip(records, count):
    """The records after the first `count` (those a dead run committed), read and dropped."""
    for _ in range(count):
        if next(records, None) is None:
            break
    return records


def _batches(records, size):
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- artists ----------------------------------------------------------------------------


def write_artists(records):
    outcome = Outcome()
    _upsert_artists(_latest(records), outcome, refresh=True)
    return outcome


def _upsert_artists(records, outcome, *, refresh):
    """Discogs artist id -> our pk for every record, creating the artists we lack.

    refresh=False is for artists met only in a master's credit: they are created when
    missing but existing rows are left as they are, and not counted.
    """
    existing = {a.discogs_id: a for a in Artist.objects.filter(discogs_id__in=[r.id for r in records])}
    missing = [r for r in records if r.id not in existing]
    claimed = _claim_artists_by_name(missing)
    created = _create_artists([r for r in missing if r.id not in claimed])
    changed = [_take_discogs_id(claimed[r.id], r) for r in missing if r.id in claimed]
    if refresh:
        changed += [existing[r.id] for r in records if r.id in existing and _refresh_artist(existing[r.id], r)]
    if changed:
        Artist.objects.bulk_update(changed, ARTIST_FIELDS)
    unchanged = len(records) - len(created) - len(changed) if refresh else 0
    outcome.tally("artists", len(created), len(changed), unchanged)
    return {a.discogs_id: a.pk for a in [*existing.values(), *claimed.values(), *created]}


def _claim_artists_by_name(records):
    """record id -> an artist of the same normalized name that has no Discogs id yet, so a
    MusicBrainz "Radiohead" gains its Discogs id instead of gaining a twin.

    "Nirvana (2)" claims nothing: by Discogs' own account another artist is the better-known
    holder of the name, and a twin does less harm than giving a band another's pressings.
    """
    wanted = defaultdict(list)
    for record in records:
        if strip_discogs_suffix(record.name) == record.name:
            wanted[normalize_artist_name(record.name)].append(record)
    candidates = defaultdict(list)
    found = Artist.objects.filter(discogs_id__isnull=True, normalized_name__in=list(wanted))
    for artist in found.order_by(F("listeners").desc(nulls_last=True), "pk"):
        candidates[artist.normalized_name].append(artist)
    return {r.id: artist for key, rs in wanted.items() for r, artist in zip(rs, candidates[key])}


def _take_discogs_id(artist, record):
    artist.discogs_id = record.id
    artist.image_url = artist.image_url or record.image_url
    return artist


def _refresh_artist(artist, record):
    """Apply a dump record to an artist that already has its Discogs id; True if it changed.
    Only an artist the dump created follows a rename on Discogs."""
    before = (artist.name, artist.image_url)
    artist.image_url = artist.image_url or record.image_url
    name = fit(Artist, "name", record.name)
    if artist.source == DUMP and artist.name != name:
        artist.name = name
        artist.normalized_name = free_artist_keys([record], exclude=artist.pk)[0]
    return (artist.name, artist.image_url) != before


def _create_artists(records):
    keys = free_artist_keys(records)
    artists = [
        Artist(
            name=fit(Artist, "name", record.name),
            normalized_name=key,
            discogs_id=record.id,
            image_url=record.image_url,
            source=DUMP,
        )
        for record, key in zip(records, keys)
    ]
    return Artist.objects.bulk_create(artists)


# --- masters -> albums ------------------------------------------------------------------


def write_masters(records):
    outcome = Outcome()
    masters = []
    for master in _latest(records):
        if master.main_artist is None or master.main_artist.id is None:
            outcome.errors.append((master.id, "no artist credit with a Discogs id"))
        else:
            masters.append(master)
    artist_pks = _upsert_artists(_credited_artists(masters), outcome, refresh=False)
    _upsert_albums(masters, artist_pks, outcome)
    return outcome


def _credited_artists(masters):
    credits = {m.main_artist.id: DumpArtist(id=m.main_artist.id, name=m.main_artist.name) for m in masters}
    return list(credits.values())


def _upsert_albums(masters, artist_pks, outcome):
    existing = {a.discogs_master_id: a for a in Album.objects.filter(discogs_master_id__in=[m.id for m in masters])}
    missing = [m for m in masters if m.id not in existing]
    claimed = _claim_albums_by_title(missing, artist_pks)
    created = _create_albums([m for m in missing if m.id not in claimed], artist_pks)
    changed = [claimed[m.id] for m in missing if m.id in claimed and _take_master(claimed[m.id], m)]
    changed += [existing[m.id] for m in masters if m.id in existing and _refresh_album(existing[m.id], m)]
    if changed:
        Album.objects.bulk_update(changed, ALBUM_FIELDS)
    outcome.tally("albums", len(created), len(changed), len(masters) - len(created) - len(changed))


def _claim_albums_by_title(masters, artist_pks):
    """master id -> an album of the same artist and normalized title without a master id yet."""
    wanted = defaultdict(list)
    for master in masters:
        wanted[(artist_pks[master.main_artist.id], normalize_title(master.title))].append(master)
    found = Album.objects.filter(
        discogs_master_id__isnull=True,
        artist_id__in={artist for artist, _ in wanted},
        normalized_title__in={title for _, title in wanted},
    )
    candidates = defaultdict(list)
    for album in found.order_by("pk"):
        candidates[(album.artist_id, album.normalized_title)].append(album)
    return {m.id: album for key, ms in wanted.items() for m, album in zip(ms, candidates[key])}


def _take_master(album, master):
    album.discogs_master_id = master.id
    _refresh_album(album, master)
    return True


def _refresh_album(album, master):
    """Apply a master to an album; True if it changed. Dump values replace those of albums
    the dump created and only fill the blanks of the others."""
    values = {"title": fit(Album, "title", master.title), "genre": fit(Album, "genre", master.genre)}
    owned = album.source == DUMP
    changed = [name for name, value in values.items() if _replaces(getattr(album, name), value, owned)]
    for name in changed:
        setattr(album, name, values[name])
    # The master states the album's year: catalog.upsert.album_year decides, whoever owns the row.
    for name, value in year_fields(album, master.year, YearSource.DISCOGS_MASTER).items():
        setattr(album, name, value)
        changed.append(name)
    if "title" in changed and normalize_title(album.title) != album.normalized_title:
        album.normalized_title = free_album_keys([master], {master.id: album.artist_id}, exclude=album.pk)[0]
    return _exclude(album, master_verdict(master)) or bool(changed)


def _replaces(current, value, owned):
    """Whether a dump value goes in: never a blank; over a value only on rows the dump owns."""
    if is_blank(value) or current == value:
        return False
    return owned or is_blank(current)


def master_verdict(master):
    """(is_studio, reason) from what a master says: its credit, genres, styles, data quality."""
    artist = master.main_artist
    return studio.verdict(
        studio.Facts(
            credit=artist.name if artist else "",
            credit_discogs_id=artist.id if artist else None,
            styles=master.genres + master.styles,
            data_quality=master.data_quality,
            title=master.title,
        )
    )


def main_release_verdict(release):
    """(is_studio, reason) from what a master's main release says, whatever its format."""
    return studio.verdict(
        studio.Facts(
            descriptions=release.descriptions,
            styles=release.genres + release.styles,
            data_quality=release.data_quality,
            title=release.title,
        )
    )


def _exclude(album, verdict):
    """Apply a "not a studio album" verdict, unless MusicBrainz (which knows better) made the
    album; True if the album changed. A studio verdict from the dump never overrides another."""
    is_studio, reason = verdict
    if is_studio or not album.is_studio or album.source == MUSICBRAINZ:
        return False
    album.is_studio, album.exclusion_reason = is_studio, fit(Album, "exclusion_reason", reason)
    return True


def _create_albums(masters, artist_pks):
    artist_of = {m.id: artist_pks[m.main_artist.id] for m in masters}
    keys = free_album_keys(masters, artist_of)
    albums = [_new_album(master, artist_of[master.id], key) for master, key in zip(masters, keys)]
    return Album.objects.bulk_create(albums)


def _new_album(master, artist_pk, normalized_title):
    return new_album(
        master.id,
        master.title,
        artist_id=artist_pk,
        normalized_title=normalized_title,
        year=master.year,
        year_source=YearSource.DISCOGS_MASTER,
        verdict=master_verdict(master),
        source=DUMP,
        genre=master.genre,
    )


# --- releases ---------------------------------------------------------------------------


def write_releases(records):
    outcome = Outcome()
    releases = _latest(records)
    albums = _albums_for(releases)
    vinyl = [release for release in releases if release.is_vinyl]
    outcome.counts["releases.not_vinyl_skipped"] += len(releases) - len(vinyl)
    _upsert_releases(vinyl, albums, outcome)
    classify_albums({albums[release.master_id].pk for release in vinyl if release.master_id in albums})
    # A master's main release speaks for the album whatever its format.
    mains = [release for release in releases if release.is_main_release and release.master_id in albums]
    _learn_from_main_releases(mains, albums, outcome)
    outcome.orphan_mains = [r for r in releases if r.is_main_release and r.master_id and r.master_id not in albums]
    return outcome


def _albums_for(releases):
    master_ids = {release.master_id for release in releases if release.master_id}
    albums = Album.objects.filter(discogs_master_id__in=master_ids).only("discogs_master_id", "source", *ALBUM_FACTS)
    return {album.discogs_master_id: album for album in albums}


def _upsert_releases(vinyl, albums, outcome):
    incoming = {release.id: _release_values(release, albums) for release in vinyl}
    stored = Release.objects.filter(discogs_id__in=list(incoming)).values("discogs_id", "source", *RELEASE_FIELDS)
    existing = {row.pop("discogs_id"): row for row in stored}
    rows = []
    for discogs_id, values in incoming.items():
        old = existing.get(discogs_id)
        merged = values if old is None else _merge_release(old, values)
        if old is None or any(merged[name] != old[name] for name in RELEASE_FIELDS):
            rows.append(Release(discogs_id=discogs_id, source=DUMP, **merged))
        outcome.counts["releases.linked" if merged["album_id"] else "releases.unlinked"] += 1
    # Inserts and updates in one statement; ON CONFLICT also absorbs a row created meanwhile.
    Release.objects.bulk_create(rows, update_conflicts=True, unique_fields=["discogs_id"], update_fields=RELEASE_FIELDS)
    created = len(incoming) - len(existing)
    outcome.tally("releases", created, len(rows) - created, len(incoming) - len(rows))
    outcome.counts["releases.vinyl_kept"] += len(incoming)


def _release_values(release, albums):
    album = albums.get(release.master_id)
    return {
        "album_id": album.pk if album else None,
        "discogs_master_id": release.master_id,
        "title": fit(Release, "title", release.title),
        "artist_credit": fit(Release, "artist_credit", release.artist_credit),
        "country": fit(Release, "country", release.country),
        "year": release.year,
        "released": fit(Release, "released", release.released),
        "formats": format_objects(release.formats),
        "format_summary": fit(Release, "format_summary", release.format_summary),
        "label": fit(Release, "label", release.label),
        "catalog_number": fit(Release, "catalog_number", release.catalog_number),
        "is_official": release.is_official,
        "is_main_release": release.is_main_release,
        "styles": list(release.genres + release.styles),
        **{name: fit(Release, name, value) if isinstance(value, str) else value for name, value in fact_fields(release).items()},
    }


def _merge_release(stored, values):
    """A release the API stored keeps its values: the dump, a month old, only fills blanks."""
    owned = stored["source"] == DUMP
    return {name: value if _replaces(stored[name], value, owned) else stored[name] for name, value in values.items()}


def _learn_from_main_releases(mains, albums, outcome):
    """What only a release shows about its album: compilation/live/single descriptions, and
    the tracklist (track_count when unknown, Track rows when the album has none)."""
    touched = {}
    for release in mains:
        album = albums[release.master_id]
        flagged = _exclude(album, main_release_verdict(release))
        if _count_tracks(album, release) or flagged:
            touched[album.pk] = album
    _update_by_value(Album, touched.values(), ALBUM_FACTS)
    outcome.counts["albums.updated"] += len(touched)
    outcome.counts["tracks.created"] += _add_missing_tracks(mains, albums)


def _update_by_value(model, rows, fields):
    """One UPDATE per distinct set of values: a batch's albums share a handful of track
    counts and reasons, and bulk_update's CASE per row costs more than it saves."""
    groups = defaultdict(list)
    for row in rows:
        groups[tuple(getattr(row, name) for name in fields)].append(row.pk)
    for values, pks in groups.items():
        model.objects.filter(pk__in=pks).update(**dict(zip(fields, values)))


def _count_tracks(album, release):
    if album.track_count is not None or not release.tracklist:
        return False
    album.track_count = len(release.tracklist)
    return True


def _add_missing_tracks(mains, albums):
    tracklists = {albums[r.master_id].pk: r.tracklist for r in mains if r.tracklist}
    have = set(Track.objects.filter(album_id__in=list(tracklists)).values_list("album_id", flat=True).distinct())
    tracks = [
        row for album_pk, tracklist in tracklists.items() if album_pk not in have for row in track_rows(album_pk, tracklist)
    ]
    Track.objects.bulk_create(tracks)
    return len(tracks)


# --- helpers ----------------------------------------------------------------------------


WRITERS = {"artists": write_artists, "masters": write_masters, "releases": write_releases}


def _latest(records):
    """One record per id; a later copy in the same batch wins, as it would row by row."""
    return list({record.id: record for record in records}.values())
