"""How much one listening source's data says a listener likes an artist: pure Python, no Django.

`seed_weights` turns what one listening source says (an artist's plays or rank in each
period) into one weight per artist: source weight × log1p(plays) × period recency, summed
over periods; `collection_weight` does the same from records owned and wanted. The accounts
services store the result as SeedArtist rows; recommendations.profile sums them per listener.
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

# Sources that rank artists without counting plays: rank 1 counts as this many plays,
# rank 10 as a tenth of it, so log1p keeps the top of the list well apart from its tail.
RANK_ONE_PLAYS = 500

# Owning a record is the strongest signal there is; wanting one comes next.
OWNED_WEIGHT = 6.0
WANTED_WEIGHT = 3.0
# An artist added by hand weighs about as much as one played a few hundred times.
MANUAL_SEED_WEIGHT = 8.0


@dataclass(frozen=True)
class Listen:
    """One artist as one listening source saw it in one period."""

    key: Hashable
    source: str
    period: str
    playcount: int | None = None
    rank: int = 1


@dataclass(frozen=True)
class SeedWeight:
    weight: float
    playcount: int | None


def listen_weight(listen: Listen, source_weight: float = 1.0, recency: dict | None = None) -> float:
    """source weight × log1p(plays) × period recency; ranks stand in for missing plays.

    The source's weight and its periods' recency come from the listening source itself
    (accounts/sources): recent listening says more about today's taste than all-time listening.
    """
    plays = listen.playcount if listen.playcount is not None else RANK_ONE_PLAYS / max(listen.rank, 1)
    return source_weight * math.log1p(max(plays, 0)) * (recency or {}).get(listen.period, 1.0)


def seed_weights(
    listens: Iterable[Listen], source_weight: float = 1.0, recency: dict | None = None
) -> dict[Hashable, SeedWeight]:
    """One weight per artist key (one source's listens), summed over the periods it appears in.

    The play count kept is the highest seen: the all-time period already contains the others.
    """
    weights = defaultdict(float)
    plays = {}
    for listen in listens:
        weights[listen.key] += listen_weight(listen, source_weight, recency)
        if listen.playcount is not None:
            plays[listen.key] = max(plays.get(listen.key, 0), listen.playcount)
    return {key: SeedWeight(round(weight, 4), plays.get(key)) for key, weight in weights.items()}


def collection_weight(owned: int, wanted: int) -> float:
    """Weight of an artist from how many of their records a listener owns and wants."""
    return round(_diminishing(owned) * OWNED_WEIGHT + _diminishing(wanted) * WANTED_WEIGHT, 4)


def _diminishing(count: int) -> float:
    # The first record counts fully, each further one a little less.
    return 1 + math.log(count) if count > 0 else 0.0
