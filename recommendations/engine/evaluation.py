"""Offline rankings from CSV files, for `manage.py evaluate_recommender`.

Reads listening (user_id,artist_id,weight), the users to rank (user_id) and optional tags
(user_id,artist_id,tag_id), fits the engine on the listening and ranks every requested user
with `rank_batch`: exactly the artist-ranking stage the product runs, with no database.

Ids are kept as the strings the files give, so they come back out unchanged. A row that
cannot be read is reported (file, line, reason) and skipped; the good rows are kept.
"""

import csv
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from .model import DEFAULT_CONFIG, EngineConfig, fit_model
from .ranking import rank_batch

USERS_PER_BATCH = 512


@dataclass(frozen=True)
class BadRow:
    path: str
    line: int
    reason: str

    def __str__(self):
        return f"{self.path} line {self.line}: {self.reason}"


@dataclass
class Table:
    """The good rows of one CSV file, each a tuple of its wanted columns, with their line
    numbers, and the bad ones."""

    rows: list[tuple[str, ...]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)


def read_columns(path, columns: tuple[str, ...]) -> Table:
    """The named columns of each row; a row missing one, or with an empty one, is bad."""
    table = Table()
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in columns if name not in header]
        if missing:
            found = ", ".join(header) or "nothing"
            raise ValueError(f"{path}: the header has no {', '.join(missing)} column (it has: {found})")
        positions = [header.index(name) for name in columns]
        for line, fields in enumerate(reader, start=2):
            _read_row(table, str(path), line, fields, positions, columns)
    return table


def _read_row(table: Table, path: str, line: int, fields: list[str], positions: list[int], columns: tuple[str, ...]) -> None:
    if not any(value.strip() for value in fields):
        return  # a blank line is not data
    if len(fields) <= max(positions):
        table.bad.append(BadRow(path, line, f"{len(fields)} field(s), expected at least {max(positions) + 1}"))
        return
    values = tuple(fields[p].strip() for p in positions)
    empty = [name for name, value in zip(columns, values) if not value]
    if empty:
        table.bad.append(BadRow(path, line, f"empty {', '.join(empty)}"))
        return
    table.rows.append(values)
    table.lines.append(line)


def parse_weight(text: str) -> float | None:
    """A finite, non-negative number, or None."""
    try:
        weight = float(text)
    except ValueError:
        return None
    return weight if math.isfinite(weight) and weight >= 0 else None


@dataclass
class Listening:
    """Summed weight per (user, artist); a pair with weight 0 still counts as "has it"."""

    weights: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    bad: list[BadRow] = field(default_factory=list)


def read_listening(path) -> Listening:
    table = read_columns(path, ("user_id", "artist_id", "weight"))
    listening = Listening(bad=table.bad)
    for line, (user, artist, text) in zip(table.lines, table.rows):
        weight = parse_weight(text)
        if weight is None:
            listening.bad.append(BadRow(str(path), line, f"weight {text!r} is not a non-negative number"))
            continue
        listening.weights[(user, artist)] += weight
    listening.bad.sort(key=lambda bad: bad.line)
    return listening


def read_users(path) -> tuple[list[str], list[BadRow]]:
    """The requested user ids, each once, in file order."""
    table = read_columns(path, ("user_id",))
    return list(dict.fromkeys(user for (user,) in table.rows)), table.bad


def read_tags(path) -> tuple[list[tuple[str, str, str]], list[BadRow]]:
    """(user id, artist id, tag id) rows; who gave a tag is not used, only how often."""
    table = read_columns(path, ("user_id", "artist_id", "tag_id"))
    return table.rows, table.bad


@dataclass
class Catalog:
    """Users and artists as matrix rows and columns, in first-seen order."""

    user_ids: list[str]
    artist_ids: list[str]

    def __post_init__(self):
        self.user_row = {user: n for n, user in enumerate(self.user_ids)}
        self.artist_column = {artist: n for n, artist in enumerate(self.artist_ids)}


def catalog_of(listening: Listening, requested: list[str], tags: list[tuple[str, str, str]]) -> Catalog:
    users = dict.fromkeys([user for user, _ in listening.weights] + requested)
    artists = dict.fromkeys([artist for _, artist in listening.weights] + [artist for _, artist, _ in tags])
    return Catalog(list(users), list(artists))


def matrices(listening: Listening, catalog: Catalog) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """(users × artists weights, users × artists "has it" including weight-0 rows)."""
    pairs = list(listening.weights.items())
    rows = np.array([catalog.user_row[user] for (user, _), _ in pairs], dtype=np.int64)
    columns = np.array([catalog.artist_column[artist] for (_, artist), _ in pairs], dtype=np.int64)
    weights = np.array([weight for _, weight in pairs], dtype=np.float64)
    shape = (len(catalog.user_ids), len(catalog.artist_ids))
    has = sparse.csr_matrix((np.ones(len(pairs)), (rows, columns)), shape=shape)
    return sparse.csr_matrix((weights, (rows, columns)), shape=shape), has


def tag_matrix(tags: list[tuple[str, str, str]], catalog: Catalog) -> sparse.csr_matrix | None:
    """Artists × tags: how many times each tag was given to each artist."""
    if not tags:
        return None
    tag_column = {tag: n for n, tag in enumerate(dict.fromkeys(tag for _, _, tag in tags))}
    rows = [catalog.artist_column[artist] for _, artist, _ in tags]
    columns = [tag_column[tag] for _, _, tag in tags]
    return sparse.csr_matrix((np.ones(len(tags)), (rows, columns)), shape=(len(catalog.artist_ids), len(tag_column)))


def rank_users(
    listening: Listening,
    requested: list[str],
    tags: list[tuple[str, str, str]],
    *,
    k: int,
    config: EngineConfig = DEFAULT_CONFIG,
    progress=None,
) -> Iterator[tuple[str, str, int]]:
    """(user id, artist id, rank from 1) for each requested user, best first, k per user
    (fewer only if the catalog runs out of artists the user does not have)."""
    catalog = catalog_of(listening, requested, tags)
    plays, has = matrices(listening, catalog)
    artist_ids = np.array(catalog.artist_ids, dtype=object)
    model = fit_model(plays, artist_ids, artist_tags=tag_matrix(tags, catalog), config=config)
    rows = np.array([catalog.user_row[user] for user in requested], dtype=np.int64)
    for start in range(0, len(rows), USERS_PER_BATCH):
        batch = rows[start : start + USERS_PER_BATCH]
        columns, _ = rank_batch(plays[batch], model, exclude=has[batch], k=k)
        for user_row, row_columns in zip(batch, columns):
            ranked = row_columns[row_columns >= 0]
            yield from ((catalog.user_ids[user_row], catalog.artist_ids[c], rank) for rank, c in enumerate(ranked, start=1))
        if progress:
            progress(len(batch))


def write_ranks(path, ranks) -> int:
    """Writes user_id,artist_id,rank rows; returns how many."""
    count = 0
    with open(Path(path), "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user_id", "artist_id", "rank"])
        for count, row in enumerate(ranks, start=1):  # noqa: B007 the count is what the loop leaves
            writer.writerow(row)
    return count
