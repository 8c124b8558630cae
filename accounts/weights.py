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

# How much one source's plays count. Spotify gives a rank, not plays, so it counts a bit less.
SOURCE_WEIGHTS = {"lastfm": 1.0, "listenbrainz": 1.0, "spotify": 0.8}

# Recent listening says more about today's taste than all-time listening.
PERIOD_RECENCY = {
    # Last.fm
    "overall": 1.0,
    "12month": 1.25,
    "6month": 1.5,
    "3month": 1.6,
    "1month": 1.7,
    "7day": 1.8,
    # Spotify
    "long_term": 1.0,
    "medium_term": 1.25,
    "short_term": 1.5,
    # ListenBrainz
    "all_time": 1.0,
    "year": 1.25,
    "half_yearly": 1.5,
    "quarter": 1.6,
    "month": 1.7,
    "week": 1.8,
}

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


def listen_weight(listen: Listen) -> float:
    """source weight × log1p(plays) × period recency; ranks stand in for missing plays."""
    plays = listen.playcount if listen.playcount is not None else RANK_ONE_PLAYS / max(listen.rank, 1)
    source = SOURCE_WEIGHTS.get(listen.source, 1.0)
    return source * math.log1p(max(plays, 0)) * PERIOD_RECENCY.get(listen.period, 1.0)


def seed_weights(listens: Iterable[Listen]) -> dict[Hashable, SeedWeight]:
    """One weight per artist key, summed over the periods it appears in.

    The play count kept is the highest seen: the all-time period already contains the others.
    """
    weights = defaultdict(float)
    plays = {}
    for listen in listens:
        weights[listen.key] += listen_weight(listen)
        if listen.playcount is not None:
            plays[listen.key] = max(plays.get(listen.key, 0), listen.playcount)
    return {key: SeedWeight(round(weight, 4), plays.get(key)) for key, weight in weights.items()}


def collection_weight(owned: int, wanted: int) -> float:
    """Weight of an artist from how many of their records a listener owns and wants."""
    return round(_diminishing(owned) * OWNED_WEIGHT + _diminishing(wanted) * WANTED_WEIGHT, 4)


def _diminishing(count: int) -> float:
    # The first record counts fully, each further one a little less.
    return 1 + math.log(count) if count > 0 else 0.0
