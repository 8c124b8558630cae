"""Diversity re-rank: a page of records, not twelve albums by the same band.

Greedy, slot by slot: each slot takes the candidate with the best score after a genre
penalty, skipping artists that already have their share of the first slots. Locked items
are pinned to their slots first and count towards those shares. When the rules leave a
slot empty (a small catalog, one artist) the best remaining candidate fills it anyway:
a full page beats a perfectly varied short one.

A second tier (`backfill`: the discovery albums) only fills the slots the first tier cannot:
however well a backfill item scores, it never goes before a first-tier item.

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


def diversify(
    items: Iterable[Ranked],
    size: int,
    *,
    pinned: dict[int, Ranked] | None = None,
    backfill: Iterable[Ranked] = (),
    per_artist: int = PER_ARTIST,
    window: int = ARTIST_WINDOW,
) -> list[Ranked]:
    """Order `items` into `size` slots (fewer when there are not enough items).

    `pinned` maps 1-based positions to items that must keep their slot; a pinned position
    past `size` moves to the last free slot, and pinned items are always kept. `backfill`
    items take the slots left once `items` has run out.
    """
    slots = _pin(pinned or {}, size)
    pinned_keys = {item.key for item in slots.values()}
    tiers = [sorted((i for i in tier if i.key not in pinned_keys), key=_best_first) for tier in (items, backfill)]
    placed: list[Ranked] = []
    for position in range(1, max(size, max(slots, default=0)) + 1):
        item = slots.get(position) or _pick_from_tiers(tiers, placed, position, slots, per_artist, window)
        if item is None:
            continue
        placed.append(item)
        for pool in tiers:
            if item in pool:
                pool.remove(item)
    return placed


def _pick_from_tiers(tiers, placed, position, pinned, per_artist, window) -> Ranked | None:
    """The pick of the first tier that still has candidates."""
    pool = next((tier for tier in tiers if tier), [])
    return pick_for_slot(pool, placed, position, pinned, per_artist, window)


def pick_for_slot(
    pool: Sequence[Ranked],
    placed: Sequence[Ranked],
    position: int,
    pinned: dict[int, Ranked] | None = None,
    per_artist: int = PER_ARTIST,
    window: int = ARTIST_WINDOW,
) -> Ranked | None:
    """The best candidate for one slot, given the records before it (and pinned ones after)."""
    crowded = _crowded_artists(placed, pinned or {}, per_artist, window) if position <= window else set()
    allowed = [item for item in pool if item.artist not in crowded] or list(pool)
    recent = placed[-GENRE_WINDOW:]
    best, best_value = None, None
    # Strictly greater: ties keep the earlier (best-first) candidate, so the order is stable.
    for item in allowed:
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


def _crowded_artists(placed, pinned, per_artist, window) -> set:
    counts = Counter(item.artist for item in placed[:window])
    placed_keys = {item.key for item in placed}
    for position, item in pinned.items():
        if position <= window and item.key not in placed_keys:
            counts[item.artist] += 1
    return {artist for artist, count in counts.items() if count >= per_artist}


def _adjusted(item: Ranked, recent: Sequence[Ranked]) -> float:
    repeats = sum(1 for other in recent if item.genres & other.genres)
    return item.score * GENRE_DECAY**repeats


def _best_first(item: Ranked):
    return (-item.score, str(item.key))
