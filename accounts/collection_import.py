"""The listener's Discogs collection CSV, imported as a job: stored, then read and applied by a
task under a lease (catalog.job_lease), as the operators' CSV import of artists is.

    create_job(user, name, data) -> CollectionImport   # NotAnExport when the file is not one
    start(user, upload) -> CollectionImport            # create, and run after the response
    resume_if_stalled(job)                             # a poll of the progress page restarts a dead run
    stalled() -> QuerySet                              # what the periodic resume task restarts
    run_import(job_id) -> bool                         # the task's body
    import_file(user, data) -> CollectionImport        # create and run at once (commands, tests)

The records are applied in batches of BATCH_SIZE with bulk writes; each batch commits together
with the job's counts and lease, so the counts always equal the rows stored, and a run that died
resumes after its last committed batch (every record applied once). Each record is one of:
stored (a vinyl record written to the collection, or another format kept as taste only), known
(already in the collection as the file says, or a release repeated in the file) or refused
(with its line). The snapshot that feeds the taste (ListeningSnapshot) and the seeds are written
last, in the transaction of the last batch: a snapshot never names rows that were not stored.
The file is the collection: records of an earlier file that this one no longer holds are removed.
"""

import hashlib
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from catalog import job_lease
from catalog.models import Album, Release, Source
from catalog.normalize import normalize_title
from catalog.upsert import find_artist
from integrations.queue import collecting_api_tasks, enqueue_api_task, run_collected

from . import listening
from .discogs_csv import CsvError, CsvRelease, read_collection_csv
from .language import override_for
from .models import CollectionImport, CollectionItem, ListeningSource
from .services import CSV_COLUMN_LIMITS, _refresh_recommendations, rebuild_seeds, save_snapshot

logger = logging.getLogger(__name__)

TASK = "accounts.import_collection_csv"
SOURCE = ListeningSource.DISCOGS_CSV
COLLECTION = CollectionItem.Folder.COLLECTION
BATCH_SIZE = 1000
# A job still queued this long after its upload lost its run (the process stopped first).
QUEUED_STALL_SECONDS = 30


class NotAnExport(ValueError):
    """The file as a whole is not a Discogs collection export: nothing is stored."""


# --- starting ------------------------------------------------------------------------------------


def create_job(user, name: str, data: bytes) -> CollectionImport:
    """Store the file as a queued job (the same file already under way: that job)."""
    problem, _items = read_collection_csv(data[:65536])
    if problem:
        raise NotAnExport(problem)
    digest = hashlib.sha256(data).hexdigest()
    running = CollectionImport.objects.filter(user=user, digest=digest).exclude(
        status__in=[CollectionImport.Status.DONE, CollectionImport.Status.FAILED]
    )
    job = running.first()
    if job is None:
        job = CollectionImport(user=user, name=name[:300], digest=digest)
        job.upload.save(f"{digest[:16]}.csv", ContentFile(data), save=False)
        job.save()
    return job


def start(user, upload) -> CollectionImport:
    """Store an uploaded file as a job and have the task run it (after the response, on the
    embedded default: the request answers at once)."""
    job = create_job(user, upload.name, upload.read())
    enqueue_api_task(TASK, job.pk)
    return job


def stalled():
    """Jobs whose run died (running under a lease that ran out) or never started (queued for
    longer than a start takes)."""
    now = timezone.now()
    return CollectionImport.objects.filter(
        Q(status=CollectionImport.Status.RUNNING, lease_expires_at__lt=now)
        | Q(status=CollectionImport.Status.RUNNING, lease_expires_at=None)
        | Q(status=CollectionImport.Status.QUEUED, created_at__lt=now - timedelta(seconds=QUEUED_STALL_SECONDS))
    )


def resume_if_stalled(job: CollectionImport):
    """Run a stalled job again (a poll of its progress page asks); the lease makes a second
    delivery harmless."""
    if not job.finished and stalled().filter(pk=job.pk).exists():
        enqueue_api_task(TASK, job.pk)


def import_file(user, data: bytes | str, name="collection.csv") -> CollectionImport:
    """Create a job for `data` and run it here; the finished job."""
    job = create_job(user, name, data.encode() if isinstance(data, str) else data)
    run_import(job.pk)
    job.refresh_from_db()
    return job


# --- the run -------------------------------------------------------------------------------------


class _Run:
    """What one run carries between batches: the counts (as committed), the release ids already
    seen in the file, and the artists already looked up."""

    def __init__(self, job: CollectionImport):
        self.job_id, self.user_id = job.pk, job.user_id
        self.processed, self.stored, self.taste_only = job.processed, job.stored, job.taste_only
        self.known, self.errors = job.known, list(job.errors)
        self.seen, self.artists = set(), {}

    def fields(self) -> dict:
        return {
            "processed": self.processed,
            "stored": self.stored,
            "taste_only": self.taste_only,
            "known": self.known,
            "errors": self.errors,
        }


def run_import(job_id) -> bool:
    """Apply a job's records after its last committed batch; False when it was finished.

    Raises job_lease.LeaseHeld while another live runner has it. A failure of the run (the
    stored file is gone, the database went away) is written on the job: the rows committed so
    far are counted there, and uploading the file again completes it.
    """
    return job_lease.run(job_id, _import_and_finish, CollectionImport)


def _import_and_finish(job, owner):
    with override_for(job.user):  # the summary and the lines' errors, stored, in the listener's language
        _import_in_language(job, owner)


def _import_in_language(job, owner):
    try:
        changed = _import(job, owner)
    except job_lease.LeaseLost:
        raise
    except Exception:
        logger.exception("Collection import %s stopped", job.pk)
        message = _(
            "The import stopped before the end. The records counted here are stored; upload the file again to import the rest."
        )
        job_lease.release(job.pk, owner, CollectionImport, status=job.Status.FAILED, message=message, finished_at=timezone.now())
        _drop_upload(job)
        return
    _drop_upload(job)
    if changed:
        _refresh_recommendations_later(job.user)


def _drop_upload(job):
    """A finished job needs its file no more (a failed one cannot resume: the listener uploads
    again), and the file is the listener's data: delete it."""
    CollectionImport.objects.filter(pk=job.pk).update(upload="")
    job.upload.delete(save=False)


def _refresh_recommendations_later(user):
    """Build the catalog the new taste needs and let recommendations know. On the embedded
    default those API tasks would run inside this one and the first provider failure would end
    it; as after a web request, they run one after another, a failure noted, not raised. With a
    broker nothing is collected: they are on the queues."""
    with collecting_api_tasks() as follow_ups:
        _refresh_recommendations(user)
    run_collected(follow_ups)


def _import(job, owner) -> bool:
    with job.upload.open("rb") as stored:
        data = stored.read()
    run = _Run(job)
    if job.total is None:
        job.total = sum(1 for _item in read_collection_csv(data, CSV_COLUMN_LIMITS)[1])
        job_lease.renew(job.pk, owner, CollectionImport, total=job.total)
    batch = []
    for index, item in enumerate(read_collection_csv(data, CSV_COLUMN_LIMITS)[1]):
        if index < job.processed:
            if isinstance(item, CsvRelease):
                run.seen.add(item.release_id)  # applied by an earlier run: only remembered
            continue
        batch.append(item)
        if len(batch) == BATCH_SIZE:
            with transaction.atomic():
                _apply(run, batch)
                job_lease.renew(job.pk, owner, CollectionImport, **run.fields())
            batch = []
    with transaction.atomic():
        job_lease.renew(job.pk, owner, CollectionImport)
        _apply(run, batch)
        return _finish(job, owner, run, data)


def _apply(run: _Run, batch):
    """Count every record of the batch, and write its new or changed vinyl records in bulk."""
    fresh = []
    for item in batch:
        run.processed += 1
        if isinstance(item, CsvError):
            run.errors.append(item.as_dict())
        elif item.release_id in run.seen:
            run.known += 1
        else:
            run.seen.add(item.release_id)
            fresh.append(item)
    vinyl = [row for row in fresh if row.is_vinyl]
    run.taste_only += len(fresh) - len(vinyl)
    if vinyl:
        _store_items(run, vinyl, _release_pks(run, vinyl))


def _store_items(run: _Run, rows, releases: dict[int, int]):
    existing = {
        item.release_id: item
        for item in CollectionItem.objects.filter(user_id=run.user_id, folder=COLLECTION, release_id__in=releases.values())
    }
    new, changed = [], []
    for row in rows:
        item = existing.get(releases[row.release_id])
        if item is None:
            new.append(
                CollectionItem(
                    user_id=run.user_id,
                    release_id=releases[row.release_id],
                    folder=COLLECTION,
                    rating=row.rating,
                    source=SOURCE,
                    added_at=row.added_at,
                )
            )
        elif (item.rating, item.added_at, item.source) != (row.rating, row.added_at, SOURCE):
            item.rating, item.added_at, item.source = row.rating, row.added_at, SOURCE
            changed.append(item)
        else:
            run.known += 1
    CollectionItem.objects.bulk_create(new, batch_size=500)
    CollectionItem.objects.bulk_update(changed, ["rating", "added_at", "source"], batch_size=500)
    run.stored += len(new) + len(changed)


def _release_pks(run: _Run, rows) -> dict[int, int]:
    """Discogs release id → our pressing's pk; the pressings we did not have are created in bulk
    (linked to their album by main artist and title when we know it) and left to the catalog's
    own sync to complete."""
    ids = [row.release_id for row in rows]
    found = dict(Release.objects.filter(discogs_id__in=ids).values_list("discogs_id", "pk"))
    missing = [row for row in rows if row.release_id not in found]
    if missing:
        albums = _album_pks(run, missing)
        Release.objects.bulk_create(
            [_pressing(row, albums.get(row.release_id)) for row in missing], batch_size=500, ignore_conflicts=True
        )
        found.update(Release.objects.filter(discogs_id__in=[row.release_id for row in missing]).values_list("discogs_id", "pk"))
    return found


def _pressing(row: CsvRelease, album_id) -> Release:
    return Release(
        discogs_id=row.release_id,
        album_id=album_id,
        title=row.title,
        artist_credit=row.artist,
        year=row.year,
        format_summary=row.format,
        label=row.label,
        catalog_number=row.catalog_number,
        source=Source.DISCOGS,
    )


def _album_pks(run: _Run, rows) -> dict[int, int]:
    """Release id → the album of its main artist with its title, for the artists we know."""
    wanted = {}
    for row in rows:
        artist_id = _artist_pk(run, row.artist)
        if artist_id:
            wanted[row.release_id] = (artist_id, normalize_title(row.title))
    if not wanted:
        return {}
    albums = {}
    candidates = Album.objects.filter(
        artist_id__in={a for a, _t in wanted.values()}, normalized_title__in={t for _a, t in wanted.values()}
    ).order_by("-pk")
    for pk, artist_id, title in candidates.values_list("pk", "artist_id", "normalized_title"):
        albums[(artist_id, title)] = pk  # the lowest pk wins, as find_album's
    return {release_id: albums[key] for release_id, key in wanted.items() if key in albums}


def _artist_pk(run: _Run, credit: str):
    if credit not in run.artists:
        ref = listening.main_artist({"artists": [{"id": None, "name": credit}]})
        artist = find_artist(ref.name) if ref else None
        run.artists[credit] = artist.pk if artist else None
    return run.artists[credit]


# --- the end: snapshot, seeds, what the page says ----------------------------------------------


def _finish(job, owner, run: _Run, data: bytes) -> bool:
    """In the transaction of the last batch: the file's snapshot (from the rows it stored), the
    records of an earlier file no longer in this one removed, the seeds, and the counts."""
    user = job.user
    snapshot_changed = save_snapshot(user, SOURCE, "collection", {"releases": list(_entries(data, run))})
    removed = _remove_missing(run)
    changed = bool(snapshot_changed or removed or run.stored)
    if changed:
        rebuild_seeds(user, SOURCE)
    job_lease.release(
        job.pk,
        owner,
        CollectionImport,
        status=job.Status.DONE,
        finished_at=timezone.now(),
        removed=removed,
        changed=changed,
        message=summary(run.stored, run.taste_only, run.known, len(run.errors), changed),
        **run.fields(),
    )
    return changed


def _entries(data: bytes, run: _Run):
    """The snapshot's releases: each release the file stored or knew, once (refused lines are not in it)."""
    kept = set()
    for item in read_collection_csv(data, CSV_COLUMN_LIMITS)[1]:
        if isinstance(item, CsvRelease) and item.release_id not in kept:
            kept.add(item.release_id)
            yield _entry(item)


def _entry(row: CsvRelease) -> dict:
    return {
        "id": row.release_id,
        "master_id": None,
        "title": row.title,
        "year": row.year,
        "artists": [{"id": None, "name": row.artist}],
        "format": row.format,
        "is_vinyl": row.is_vinyl,
        "rating": row.rating,
        "date_added": row.added_at.isoformat() if row.added_at else None,
        "label": row.label,
        "catno": row.catalog_number,
        "thumb": "",
    }


def _remove_missing(run: _Run) -> int:
    items = CollectionItem.objects.filter(user_id=run.user_id, source=SOURCE, folder=COLLECTION)
    stale = [pk for pk, discogs_id in items.values_list("pk", "release__discogs_id") if discogs_id not in run.seen]
    for start_at in range(0, len(stale), 500):
        CollectionItem.objects.filter(pk__in=stale[start_at : start_at + 500]).delete()
    return len(stale)


def summary(stored: int, taste_only: int, known: int, refused: int, changed: bool) -> str:
    """One sentence of what an import did, in the listener's words."""
    parts = [
        ngettext("%(n)d vinyl record stored", "%(n)d vinyl records stored", stored) % {"n": stored},
        ngettext("%(n)d other format kept as taste only", "%(n)d other formats kept as taste only", taste_only)
        % {"n": taste_only},
        ngettext("%(n)d already known", "%(n)d already known", known) % {"n": known},
        ngettext("%(n)d line refused", "%(n)d lines refused", refused) % {"n": refused},
    ]
    sentence = ", ".join(parts) + "."
    if not changed:
        sentence += " " + _("Nothing changed: your collection already held this file.")
    return sentence
