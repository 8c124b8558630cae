"""The taste profile: how much a listener likes each artist, and why.

Pure Python (no Django), so it is tested fast. Each seed's weight comes from
accounts.weights (one source's plays, ranks or records → one weight per artist), stored by
the accounts app as SeedArtist rows. `build_profile` sums a listener's seeds over their
sources (Last.fm, Spotify, the Discogs collection, artists added by hand…), applies the
listener's import options (minimum play count, blocked artists) and turns weights into an
affinity from 0 to 1.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# How many of the strongest artists count as favourites (the favourite-artist boost).
FAVOURITE_COUNT = 10


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
