"""Parser for the collection CSV that Discogs exports (Collection → Export).

Its header, as Discogs writes it:

    Catalog#,Artist,Title,Label,Format,Rating,Released,release_id,CollectionFolder,
    Date Added,Collection Media Condition,Collection Sleeve Condition,Collection Notes

followed by one column per custom collection field the user created. Rows often carry a
trailing empty field, the year is 0 when unknown, and artists carry Discogs' " (2)" suffix.
A bad row becomes an error with its line number and the good rows are kept: that includes
lines that are not UTF-8, hold NUL or control characters, a cell over the csv module's field
limit, a quote that never closes, or a release id no database column can hold (catalog.csv_rows).

Pure Python (no Django; catalog.csv_rows is pure too): accounts.services turns the parsed rows into catalog and
collection rows.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.translation import gettext as _, ngettext

from catalog.csv_rows import decode, parse_id, read_table

REQUIRED_COLUMNS = ("release_id", "Artist", "Title")
# A format is vinyl when it names a record: "LP", "2xLP", 7", 10", 12", "Vinyl", "Flexi-disc".
_VINYL_FORMAT = re.compile(r'(?:^|[\s,x])(?:LP|Vinyl|Flexi-disc|Lathe Cut|Acetate|\d+")(?=[\s,]|$)', re.IGNORECASE)
_YEAR = re.compile(r"^\s*(\d{4})")
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


@dataclass(frozen=True)
class CsvRelease:
    line: int
    release_id: int
    artist: str
    title: str
    label: str = ""
    catalog_number: str = ""
    format: str = ""
    rating: int | None = None
    year: int | None = None
    folder: str = ""
    added_at: datetime | None = None

    @property
    def is_vinyl(self) -> bool:
        return bool(_VINYL_FORMAT.search(self.format))


@dataclass(frozen=True)
class CsvError:
    line: int
    reason: str

    def as_dict(self):
        return {"line": self.line, "reason": self.reason}


@dataclass
class ParsedCsv:
    rows: list[CsvRelease] = field(default_factory=list)
    errors: list[CsvError] = field(default_factory=list)
    duplicates: int = 0
    records: int = 0  # every non-blank record after the header: rows + duplicates + errors


class RowError(ValueError):
    """A row that cannot be imported; the message says why, in words a user understands."""


def parse_collection_csv(data: bytes | str, max_lengths: dict[str, int] | None = None) -> ParsedCsv:
    """Every good row of a Discogs collection export, and one error per bad row.

    `max_lengths` caps columns (by header name) at what the rows they land in can hold.
    """
    problem, items = read_collection_csv(data, max_lengths)
    if problem:
        return ParsedCsv(errors=[CsvError(1, problem)])
    parsed, seen = ParsedCsv(), set()
    for item in items:
        parsed.records += 1
        if isinstance(item, CsvError):
            parsed.errors.append(item)
        elif item.release_id in seen:
            parsed.duplicates += 1
        else:
            seen.add(item.release_id)
            parsed.rows.append(item)
    return parsed


def read_collection_csv(data: bytes | str, max_lengths: dict[str, int] | None = None):
    """(why the file is not a collection export, or '', iterator of one CsvRelease or CsvError
    per record, in the file's order). The records are parsed as they are read."""
    header, records = read_table(decode(data))
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        said = ngettext(
            "not a Discogs collection export: the %(columns)s column is missing",
            "not a Discogs collection export: the %(columns)s columns are missing",
            len(missing),
        ) % {"columns": ", ".join(missing)}
        return said, iter(())
    return "", (_parsed(header, record, max_lengths or {}) for record in records)


def _parsed(header: list[str], record, max_lengths) -> "CsvRelease | CsvError":
    try:
        return parse_row(_fitting(_as_dict(header, record), max_lengths), record.line)
    except RowError as error:
        return CsvError(record.line, str(error))


def _as_dict(header: list[str], record) -> dict:
    """The record by column name, surplus cells under None (as csv.DictReader files them)."""
    if record.error:
        raise RowError(record.error)
    values = dict(zip(header, record.cells))
    if len(record.cells) > len(header):
        values[None] = record.cells[len(header) :]
    return values


def _fitting(values: dict, max_lengths: dict[str, int]) -> dict:
    for column, limit in max_lengths.items():
        if len(values.get(column) or "") > limit:
            raise RowError(_("%(column)s is longer than %(count)s characters") % {"column": column, "count": limit})
    return values


def parse_row(record: dict, line: int) -> CsvRelease:
    if None in record:
        # DictReader files surplus fields under None; Discogs' trailing empty field is harmless.
        surplus = [value for value in record.pop(None) if value.strip()]
        if surplus:
            raise RowError(
                ngettext(
                    "%(count)s more field than the header has columns",
                    "%(count)s more fields than the header has columns",
                    len(surplus),
                )
                % {"count": len(surplus)}
            )
    artist, title = _text(record, "Artist"), _text(record, "Title")
    if not artist or not title:
        raise RowError(_("the Artist and Title columns must not be empty"))
    return CsvRelease(
        line=line,
        release_id=_release_id(_text(record, "release_id")),
        artist=artist,
        title=title,
        label=_text(record, "Label"),
        catalog_number=_text(record, "Catalog#"),
        format=_text(record, "Format"),
        rating=_rating(_text(record, "Rating")),
        year=_year(_text(record, "Released")),
        folder=_text(record, "CollectionFolder"),
        added_at=_added_at(_text(record, "Date Added")),
    )


def _text(record: dict, column: str) -> str:
    return (record.get(column) or "").strip()


def _release_id(value: str) -> int:
    try:
        return parse_id(value, "release_id", _("a Discogs release number"))
    except ValueError as error:
        raise RowError(str(error)) from None


def _rating(value: str) -> int | None:
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > 5:
        raise RowError(_("Rating must be a whole number from 0 to 5, not “%(value)s”") % {"value": value[:40]})
    return int(value) or None


def _year(value: str) -> int | None:
    # Discogs writes 0 (or nothing) for an unknown year, and sometimes a full date.
    match = _YEAR.match(value)
    year = int(match.group(1)) if match else 0
    return year or None


def _added_at(value: str) -> datetime | None:
    if not value:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise RowError(_("Date Added must look like 2020-11-12 12:24:52, not “%(value)s”") % {"value": value[:40]})
