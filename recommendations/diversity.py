"""Diversity re-rank: a page of records, not twelve albums by the same band.

Greedy, slot by slot: each slot takes the candidate with the best score after a genre
penalty, skipping artists that already have their share of the first slots. Locked items
are pinned to their slots first and count towards those shares. The share is a rule, not a
wish: when only crowded artists are left for one of the first slots, a pinned item further
down moves up into it, or the list ends there. Fewer cards beat a first screen of one band.

A second tier (`backfill`: albums linked to the listener by genre or wantlist only) fills
the slots the first tier cannot: a backfill item never goes before a first-tier item the
artist rule allows there.

Pure Python (no Django).
"""

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

# No artist more than twice among the first twelve records (the first screen of the grid).
PER_ARTIST = 2
ARTIST_WINDOW = 12
# Each record sharing a genre with one of the last few placed costs this share of its score.
GENRE_DECAY = 0.85
GENRE_WINDOW = 4


@dataclass(frozen=True)
class Ranked:
    key: Hashable
    artist: Hashable
    score: float
    genres: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ArtistRule:
    per_artist: int = PER_ARTIST
    window: int = ARTIST_WINDOW

    def crowded(self, placed: Sequence[Ranked], pinned: dict[int, Ranked], position: int) -> set:
        """Artists that may not take `position`: their share of the window is already placed
        or pinned."""
        if position > self.window:
            return set()
        counts = Counter(item.artist for item in placed[: self.window])
        counts.update(item.artist for wanted, item in pinned.items() if wanted <= self.window)
        return {artist for artist, count in counts.items() if count >= self.per_artist}


def diversify(
    items: Iterable[Ranked],
    size: int,
    *,
    pinned: dict[int, Ranked] | None = None,
    backfill: Iterable[Ranked] = (),
    per_artist: int = PER_ARTIST,
    window: int = ARTIST_WINDOW,
) -> list[Ranked]:
    """Order `items` into at most `size` slots (fewer when the items or the artist rule run out).

    `pinned` maps 1-based positions to items that keep their slot; a pinned position past
    `size` moves to the last free slot, and a pinned item moves up when nothing may fill
    the slots before it. `backfill` items take the slots `items` cannot fill.
    """
    rule = ArtistRule(per_artist, window)
    pending = _pin(pinned or {}, size)
    pinned_keys = {item.key for item in pending.values()}
    tiers = [sorted((i for i in tier if i.key not in pinned_keys), key=_best_first) for tier in (items, backfill)]
    placed: list[Ranked] = []
    while True:
        position = len(placed) + 1
        item = _take_pinned(pending, placed, position, rule)
        if item is None and position <= size:
            item = _pick_from_tiers(tiers, placed, position, pending, rule)
        if item is None:
            item = _take_pinned(pending, placed, position, rule, moving_up=True)
        if item is None:
            return placed
        placed.append(item)
        for pool in tiers:
            if item in pool:
                pool.remove(item)


def _take_pinned(pending: dict[int, Ranked], placed, position, rule: ArtistRule, moving_up=False) -> Ranked | None:
    """The pinned item due at `position` (with `moving_up`, the next one, however far down)
    whose artist still has room there; removed from `pending`."""
    crowded = rule.crowded(placed, {}, position)
    for wanted in sorted(pending):
        if wanted > position and not moving_up:
            break
        if pending[wanted].artist not in crowded:
            return pending.pop(wanted)
    return None


def _pick_from_tiers(tiers, placed, position, pinned, rule: ArtistRule) -> Ranked | None:
    """The pick of the first tier that has a candidate the artist rule allows here."""
    for pool in tiers:
        item = pick_for_slot(pool, placed, position, pinned, rule.per_artist, rule.window, best_first=True)
        if item is not None:
            return item
    return None


def pick_for_slot(
    pool: Sequence[Ranked],
    placed: Sequence[Ranked],
    position: int,
    pinned: dict[int, Ranked] | None = None,
    per_artist: int = PER_ARTIST,
    window: int = ARTIST_WINDOW,
    best_first: bool = False,
) -> Ranked | None:
    """The best candidate for one slot, given the records before it (and pinned ones after);
    None when the pool is empty or every candidate's artist already has its share.

    With `best_first` the pool is ordered by score, highest first (diversify's tiers are), and
    the scan stops at the first candidate that can no longer win: the genre decay only brings
    a score towards 0, so no later candidate's value exceeds max(its score, 0). Same pick,
    a few candidates read per slot instead of the whole pool."""
    crowded = ArtistRule(per_artist, window).crowded(placed, pinned or {}, position)
    recent = placed[-GENRE_WINDOW:]
    best, best_value = None, None
    # Strictly greater: ties keep the earlier (best-first) candidate, so the order is stable.
    for item in pool:
        if best_first and best_value is not None and max(item.score, 0.0) <= best_value:
            break
        if item.artist in crowded:
            continue
        value = _adjusted(item, recent)
        if best_value is None or value > best_value:
            best, best_value = item, value
    return best


def _pin(pinned: dict[int, Ranked], size: int) -> dict[int, Ranked]:
    """Pinned items by slot: out-of-range or colliding positions move to the nearest free slot."""
    slots: dict[int, Ranked] = {}
    for position, item in sorted(pinned.items()):
        wanted = min(max(position, 1), max(size, 1))
        while wanted in slots:
            wanted += 1
        slots[wanted] = item
    return slots


def _adjusted(item: Ranked, recent: Sequence[Ranked]) -> float:
    repeats = sum(1 for other in recent if item.genres & other.genres)
    return item.score * GENRE_DECAY**repeats


def _best_first(item: Ranked):
    return (-item.score, str(item.key))
