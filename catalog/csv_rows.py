"""Reading uploaded CSV files so that one bad record is one error at its line, never the file's.

Both importers (artists in the admin, a listener's Discogs collection export) read through
`read_table`. It decodes leniently (a line that is not UTF-8 becomes that line's error instead
of a "Bad � Artist"), turns the csv module's refusals (a cell over its field limit, a quote
that never closes) into errors at the record's first line and carries on from the next line,
and flags cells holding NUL bytes or other control characters before they reach the database.

Pure Python (no Django), so the Discogs parser in accounts stays pure as well.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _, gettext_lazy

from .text import control_problem

# A quoted cell may span lines (Discogs' collection notes do); one running past this many lines
# is a quote that never closes, not a note.
MAX_RECORD_LINES = 50
BIGINT_MAX = 2**63 - 1
# Lone surrogates are the bytes `decode` could not read as UTF-8.
_UNDECODABLE = re.compile(r"[\udc80-\udcff]")
NOT_UTF8 = gettext_lazy("this line is not UTF-8 text (save the file as UTF-8 and upload it again)")
UNCLOSED_QUOTE = gettext_lazy("a quote in this line is never closed (or has text right after it)")


@dataclass(frozen=True)
class Record:
    """One record of the file: its first line, its cells, and why it cannot be read ('' if it can)."""

    line: int
    cells: list[str]
    error: str = ""


def decode(data: bytes | str) -> str:
    """The text of an upload; bytes that are not UTF-8 are kept as markers `cell_problem` finds."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    return data.decode("utf-8-sig", errors="surrogateescape")


def cell_problem(cells: list[str]) -> str:
    """Why these cells cannot be stored, in words for the person who made the file, or ''."""
    text = "".join(cells)
    if _UNDECODABLE.search(text):
        return str(NOT_UTF8)
    problem = control_problem(text)
    return _("this line %(problem)s") % {"problem": problem} if problem else ""


def parse_id(value: str, column: str, meaning="") -> int:
    """A positive database id from a cell, or ValueError saying what is wrong with it."""
    if not (value.isascii() and value.isdigit()) or int(value) == 0:
        words = {"column": column, "meaning": meaning or _("a positive whole number"), "value": value[:40]}
        raise ValueError(_("%(column)s must be %(meaning)s, not “%(value)s”") % words)
    if int(value) > BIGINT_MAX:
        raise ValueError(_("%(column)s %(value)s is larger than any id can be") % {"column": column, "value": value[:40]})
    return int(value)


class _Lines:
    """The file's lines, fed to one csv.reader, with a position that can be moved back."""

    def __init__(self, text: str):
        self.lines = io.StringIO(text, newline="").readlines()
        self.pos = 0
        self.stop = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.pos >= min(self.stop, len(self.lines)):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def read_table(text: str, *, delimiter=","):
    """(header cells, iterator of Records) for every non-blank record after the header.

    A record spanning several lines must have the header's width (give or take the trailing
    empty cell Discogs writes); when it has not, a quote swallowed the lines after it: its first
    line is reported as an unclosed quote and reading resumes on the next line, so the rows the
    quote swallowed are read as rows.
    """
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    header = next(_records(lines, reader, lambda cells: True), None)
    header_cells = header.cells if header else []
    width = len(header_cells)
    return header_cells, _records(lines, reader, lambda cells: width <= len(cells) <= width + 1)


def _records(lines: _Lines, reader, spans_ok):
    while lines.pos < len(lines.lines):
        start = lines.pos
        lines.stop = start + MAX_RECORD_LINES
        try:
            cells = next(reader)
        except csv.Error as exc:
            lines.pos = start + 1
            yield Record(start + 1, [], _reason(exc))
            continue
        if lines.pos - start > 1 and not spans_ok(cells):
            lines.pos = start + 1
            yield Record(start + 1, [], str(UNCLOSED_QUOTE))
        elif len(cells) > 1 or (cells and cells[0].strip()):  # a blank line is not a record
            yield Record(start + 1, cells, cell_problem(cells))


def _reason(exc: csv.Error) -> str:
    if "field limit" in str(exc):
        return _("a cell in this line is longer than %(count)s characters") % {"count": csv.field_size_limit()}
    return str(UNCLOSED_QUOTE)
