"""CSV import of artists: the file format, row validation and the import run.

The format (also shown on the upload page):

- a header row naming the columns, in any case and order: ``name`` (required), ``mbid``,
  ``rating``, ``image_url`` (``image`` is accepted for it); other columns are ignored;
- UTF-8 with or without a byte-order mark, comma- or semicolon-separated; a line that is not
  UTF-8, holds a NUL or control character, a cell over the csv module's field limit or a quote
  that never closes is that line's error (see `csv_rows`), and the other lines are imported;
- ``mbid`` is a MusicBrainz id (a UUID), ``image_url`` an http(s) URL;
- ``rating`` is the operator's rating on a 0–5 scale (stars, like Discogs' community
  rating), decimals allowed with a point or a comma ("4.5", "4,5").

Line numbers in reports are the file's own, the header being line 1. Every row ends up
counted as created, updated, unchanged or error; a completely empty line is not a row.
The upload is checked whole before anything is queued (`inspect_csv`); the rows are then
imported by `run_import` from a Celery task under a lease (`job_lease`): a second delivery
while the first runs waits, one after it finished does nothing, and one after its worker died
resumes after the last committed row, so every row is imported once.
"""

import contextlib
import csv
import logging
import math
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import csv_rows, job_lease
from .models import Artist, IngestionJob, Source
from .normalize import normalize_artist_name
from .upsert import upsert_artist

COLUMNS = ("name", "mbid", "rating", "image_url")
COLUMN_ALIASES = {"image": "image_url"}
DELIMITERS = ",;"
RATING_MAX = 5
# Progress is written every this many rows, so the panel moves without a write per row.
PROGRESS_EVERY = 25
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
NAME_MAX = Artist._meta.get_field("name").max_length
IMAGE_URL_MAX = Artist._meta.get_field("image_url").max_length

logger = logging.getLogger(__name__)
_http_url = URLValidator(schemes=["http", "https"])


class CsvRejected(ValueError):
    """The file as a whole cannot be imported (no `name` column, not UTF-8…); nothing is queued."""


class RowError(ValueError):
    """One row cannot be imported; its message is the reason shown to the operator."""


@dataclass(frozen=True)
class ArtistRow:
    name: str
    mbid: str | None = None
    rating: float | None = None
    image_url: str = ""


# --- reading the file -----------------------------------------------------------------------


def _delimiters(text: str) -> list[str]:
    """Comma and semicolon, the one the sniffer finds in the first lines first.

    Only the delimiter is taken from the sniffer: its guesses of quoting go wrong on names
    like "Guns N' Roses". A one-column file has no delimiter to find, so comma comes first.
    """
    try:
        sniffed = csv.Sniffer().sniff(text[:8192], delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = DELIMITERS[0]
    return [sniffed, *(d for d in DELIMITERS if d != sniffed)]


def _header_map(header: list[str]) -> dict[str, int]:
    """Known column → its index, matching names case-insensitively and through the aliases."""
    positions = {}
    for index, raw in enumerate(header):
        column = raw.strip().lower()
        column = COLUMN_ALIASES.get(column, column)
        if column in COLUMNS and column not in positions:
            positions[column] = index
    return positions


def _records(text: str):
    """(header columns, iterator of csv_rows.Record) with the file's own line numbers.

    The header decides when the sniffer guessed wrong: the delimiter that yields a `name`
    column wins ("name;rating" then "Crosby, Stills & Nash;4,5" is semicolon-separated).
    """
    headers = []
    for delimiter in _delimiters(text):
        header, records = csv_rows.read_table(text, delimiter=delimiter)
        if "name" in _header_map(header):
            return _header_map(header), records
        headers.append(header)
    if csv_rows.cell_problem(headers[0]):
        raise CsvRejected(
            gettext("The header line cannot be read: %(problem)s.") % {"problem": csv_rows.cell_problem(headers[0])}
        )
    found = ", ".join(c.strip() for c in headers[0] if c.strip()) or gettext("nothing")
    raise CsvRejected(gettext("The first line must be a header with a “name” column; found: %(found)s.") % {"found": found})


def _values(columns: dict[str, int], cells: list[str]) -> dict[str, str]:
    return {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()}


def inspect_csv(data: bytes) -> int:
    """Check a whole upload before queuing it; return its number of rows or raise CsvRejected."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise CsvRejected(gettext("The file is larger than %(count)s MB.") % {"count": MAX_UPLOAD_BYTES // (1024 * 1024)})
    _, records = _records(csv_rows.decode(data))
    return sum(1 for _ in records)


# --- validating one row ---------------------------------------------------------------------


def parse_row(values: dict[str, str]) -> ArtistRow:
    """Validated fields of one row, or RowError with the reason."""
    name = values.get("name", "")
    if not name:
        raise RowError(gettext("empty name"))
    if len(name) > NAME_MAX:
        raise RowError(gettext("name longer than %(count)s characters") % {"count": NAME_MAX})
    if "\n" in name or "\r" in name:
        raise RowError(gettext("name spans several lines (is a quote left open?)"))
    return ArtistRow(
        name=name,
        mbid=_mbid(values.get("mbid", "")),
        rating=_rating(values.get("rating", "")),
        image_url=_image_url(values.get("image_url", "")),
    )


def _mbid(raw: str) -> str | None:
    if not raw:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise RowError(gettext("invalid MBID “%(value)s”") % {"value": raw[:60]}) from None


def _rating(raw: str) -> float | None:
    if not raw:
        return None
    try:
        value = float(raw.replace(",", ".", 1) if raw.count(",") == 1 else raw)
    except ValueError:
        value = math.nan
    if not 0 <= value <= RATING_MAX:  # also false for NaN
        raise RowError(gettext("rating must be a number between 0 and %(max)s") % {"max": RATING_MAX})
    return value


def _image_url(raw: str) -> str:
    if not raw:
        return ""
    if len(raw) > IMAGE_URL_MAX:
        raise RowError(gettext("image URL longer than %(count)s characters") % {"count": IMAGE_URL_MAX})
    try:
        _http_url(raw)
    except ValidationError:
        raise RowError(gettext("invalid image URL “%(value)s”") % {"value": raw[:60]}) from None
    return raw


# --- the run --------------------------------------------------------------------------------


@dataclass
class Tally:
    """Running counts of one import, written to its IngestionJob as it goes."""

    processed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)

    def count(self, outcome: str):
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.processed += 1

    def fail(self, line: int, reason: str):
        self.errors.append({"line": line, "reason": reason})
        self.processed += 1

    @classmethod
    def resumed(cls, job: IngestionJob) -> "Tally":
        """The counts a previous run of the job committed (all zero on a first run)."""
        return cls(job.processed, job.created, job.updated, job.unchanged, list(job.errors))

    @property
    def error_lines(self) -> set[int]:
        return {error["line"] for error in self.errors}

    def as_fields(self):
        return {
            "processed": self.processed,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
        }


def create_job(upload, user) -> IngestionJob:
    """Check an uploaded file and store it as a queued job (the caller enqueues the task)."""
    data = upload.read()
    total = inspect_csv(data)
    job = IngestionJob(
        kind=IngestionJob.Kind.CSV_ARTISTS,
        name=upload.name[: IngestionJob._meta.get_field("name").max_length],
        total=total,
        created_by=user if user and user.is_authenticated else None,
    )
    job.upload.save(upload.name, ContentFile(data), save=False)
    job.save()
    return job


def run_import(job_id) -> bool:
    """Import a CSV job's rows, resuming after its last committed row; False when it is finished.

    Raises job_lease.LeaseHeld while another live runner has it (the task retries after the
    lease). A failure of the whole run (the stored file is gone, the database went away) is
    recorded on the job for the operator rather than raised: re-running would fail the same way.
    """
    return job_lease.run(job_id, _import_and_finish)


def _import_and_finish(job, owner):
    try:
        tally = import_rows(job, owner)
    except job_lease.LeaseLost:
        raise
    except Exception as exc:
        logger.exception("CSV import %s stopped", job.pk)
        _finish(job.pk, owner, IngestionJob.Status.FAILED, f"Import stopped: {exc}")
        return
    _finish(job.pk, owner, IngestionJob.Status.DONE, _summary(tally), tally)


def import_rows(job: IngestionJob, owner: str) -> Tally:
    """Import the rows after `job.processed`, committing each batch together with its counts."""
    with job.upload.open("rb") as upload:
        columns, records = _records(csv_rows.decode(upload.read()))
    tally, seen = Tally.resumed(job), SeenRows()
    batch = []
    for index, record in enumerate(records):
        if index < job.processed:
            seen.replay(record, _values(columns, record.cells), tally)
            continue
        batch.append(record)
        if len(batch) == PROGRESS_EVERY:
            _commit(job.pk, owner, batch, columns, seen, tally)
            batch = []
    _commit(job.pk, owner, batch, columns, seen, tally)
    return tally


def _commit(job_id, owner, batch, columns, seen, tally):
    with transaction.atomic():
        for record in batch:
            if record.error:
                tally.fail(record.line, record.error)
            else:
                _import_one(record.line, _values(columns, record.cells), seen, tally)
        job_lease.renew(job_id, owner, **tally.as_fields())


class SeenRows:
    """Rows already imported from this file, to report a later row naming the same artist.

    Two rows name the same artist when they share an MBID, or share a name without carrying
    two different MBIDs (different MBIDs tell apart artists with one name, as upsert does).
    """

    def __init__(self):
        self.by_mbid = {}
        self.by_name = {}

    def earlier_line(self, row: ArtistRow) -> int | None:
        if row.mbid in self.by_mbid:
            return self.by_mbid[row.mbid]
        same_name = self.by_name.get(normalize_artist_name(row.name), [])
        return next((line for line, mbid in same_name if not (mbid and row.mbid)), None)

    def add(self, line: int, row: ArtistRow):
        if row.mbid:
            self.by_mbid[row.mbid] = line
        self.by_name.setdefault(normalize_artist_name(row.name), []).append((line, row.mbid))

    def replay(self, record, values, tally: "Tally"):
        """Remember a row a previous run imported (its errors are in `tally`), without importing it."""
        if record.error or record.line in tally.error_lines:
            return
        with contextlib.suppress(RowError):  # its error is already in the tally
            self.add(record.line, parse_row(values))


def _import_one(line, values, seen: SeenRows, tally: Tally):
    """Validate, refuse a duplicate of an earlier row, else upsert; every path counts the row."""
    try:
        row = parse_row(values)
        earlier = seen.earlier_line(row)
        if earlier:
            raise RowError(gettext("duplicate of line %(line)s") % {"line": earlier})
        outcome = _upsert(row)
    except RowError as exc:
        tally.fail(line, str(exc))
        return
    seen.add(line, row)
    tally.count(outcome)


def _upsert(row: ArtistRow) -> str:
    """Upsert one artist; a row the database refuses is that row's error, not the whole run's."""
    try:
        with transaction.atomic():
            result = upsert_artist(row.name, mbid=row.mbid, rating=row.rating, image_url=row.image_url, source=Source.CSV)
    except (IntegrityError, DataError) as exc:
        raise RowError(f"refused by the database: {exc}") from exc
    return result.outcome


def _summary(tally: Tally) -> str:
    return (
        f"{tally.processed} rows: {tally.created} created, {tally.updated} updated, "
        f"{tally.unchanged} unchanged, {len(tally.errors)} errors"
    )


def _finish(job_id, owner, status, message, tally: Tally | None = None):
    fields = tally.as_fields() if tally else {}
    job_lease.release(job_id, owner, status=status, message=message, finished_at=timezone.now(), **fields)
