"""The taste profile: how much a listener likes each artist, and why.

Two steps, both pure Python (no Django) so they are tested fast:

1. `seed_weights` turns what one listening source says (an artist's plays or rank in each
   period) into one weight per artist: source weight × log1p(plays) × period recency,
   summed over periods. The accounts app stores the result as SeedArtist rows.
2. `build_profile` sums a listener's seeds over their sources (Last.fm, Spotify, the Discogs
   collection, artists added by hand…), applies the listener's import options (minimum
   play count, blocked artists) and turns weights into an affinity from 0 to 1.
"""
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

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

# How many of the strongest artists count as favourites (the favourite-artist boost).
FAVOURITE_COUNT = 10


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


@dataclass(frozen=True)
class Seed:
    """A SeedArtist row as the profile sees it."""

    artist_id: int
    source: str
    weight: float
    playcount: int | None = None


@dataclass(frozen=True)
class ArtistTaste:
    artist_id: int
    weight: float
    affinity: float
    playcount: int | None
    sources: frozenset[str]


@dataclass
class TasteProfile:
    artists: dict[int, ArtistTaste] = field(default_factory=dict)

    def __bool__(self):
        return bool(self.artists)

    @property
    def weights(self) -> dict[int, float]:
        return {artist_id: taste.weight for artist_id, taste in self.artists.items()}

    def affinity(self, artist_id: int) -> float:
        taste = self.artists.get(artist_id)
        return taste.affinity if taste else 0.0

    def favourites(self, count: int = FAVOURITE_COUNT) -> set[int]:
        strongest = sorted(self.artists.values(), key=lambda t: (-t.weight, t.artist_id))
        return {taste.artist_id for taste in strongest[:count]}


def build_profile(seeds: Iterable[Seed], *, min_playcount: int = 0, blocked: Iterable[int] = ()) -> TasteProfile:
    """Sum each artist's seeds; drop blocked artists and rarely played listening seeds."""
    blocked = set(blocked)
    kept = _apply_min_playcount([s for s in seeds if s.artist_id not in blocked], min_playcount)
    grouped = defaultdict(list)
    for seed in kept:
        grouped[seed.artist_id].append(seed)
    weights = {artist_id: sum(s.weight for s in group) for artist_id, group in grouped.items()}
    strongest = max(weights.values(), default=0.0)
    return TasteProfile(
        {
            artist_id: _taste(artist_id, weights[artist_id], strongest, group)
            for artist_id, group in grouped.items()
            if weights[artist_id] > 0
        }
    )


def _apply_min_playcount(seeds: list[Seed], min_playcount: int) -> list[Seed]:
    """Drop the play-counted seeds of an artist whose highest play count is below the minimum.

    Seeds without a play count (an owned record, an artist added by hand, a Spotify rank)
    stay: the option is about plays, and those seeds are a choice the listener made.
    """
    if min_playcount <= 0:
        return seeds
    highest = defaultdict(int)
    for seed in seeds:
        if seed.playcount is not None:
            highest[seed.artist_id] = max(highest[seed.artist_id], seed.playcount)
    return [s for s in seeds if s.playcount is None or highest[s.artist_id] >= min_playcount]


def _taste(artist_id: int, weight: float, strongest: float, seeds: list[Seed]) -> ArtistTaste:
    # log1p keeps a long tail of artists from collapsing to zero next to one huge favourite.
    affinity = math.log1p(weight) / math.log1p(strongest) if strongest > 0 else 0.0
    plays = [s.playcount for s in seeds if s.playcount is not None]
    return ArtistTaste(
        artist_id=artist_id,
        weight=weight,
        affinity=round(min(affinity, 1.0), 4),
        playcount=max(plays) if plays else None,
        sources=frozenset(s.source for s in seeds),
    )
