"""Candidate artists for a taste profile: the database side of the artist-ranking stage.

The ranking itself is recommendations.engine's (pure numpy/scipy). This module feeds it
from the database and reads its answer back:

- the model is rebuilt from the stored co-listening neighbours of the listener's artists
  (ArtistSimilarity source="colisten", written by recommendations.colisten) — ranking only
  ever reads the rows of the listener's own artists, so loading those rows is exact;
- Last.fm similar artists of the listener's artists are the engine's external edges;
- the engine's scores are scaled so the best candidate scores 1, and artists it only
  reaches by popularity (score 0) are dropped: a candidate must be related to the listener.

The engine says how much; this module also says through whom: for each candidate, the
listener's artists whose edges lead there, strongest first ("because you listen to X and Y").
"""
from collections import defaultdict
from dataclasses import dataclass

from catalog.models import ENGINE_SOURCES, Artist, ArtistSimilarity, Source

from . import engine
from .albums import ArtistLead
from .profile import TasteProfile

# Only the strongest artists of a profile seed the search: the tail adds noise, not reach.
SEED_ARTISTS = 100
VIA_NAMED = 3


@dataclass(frozen=True)
class Edge:
    from_artist: int
    to_artist: int
    score: float
    source: str


def load_edges(artist_ids) -> list[Edge]:
    """The engine's stored neighbours and the Last.fm edges leaving the given artists."""
    rows = ArtistSimilarity.objects.filter(from_artist_id__in=artist_ids, source__in=[*ENGINE_SOURCES, Source.LASTFM])
    return [Edge(*row) for row in rows.values_list("from_artist_id", "to_artist_id", "score", "source")]


def model_for(profile_ids, edges: list[Edge]):
    """The engine's model over the profile's artists and every artist their edges reach."""
    columns = sorted(set(profile_ids) | {e.to_artist for e in edges} | {e.from_artist for e in edges})
    popularity = dict(Artist.objects.filter(pk__in=columns).values_list("pk", "listeners"))
    stored = [(e.from_artist, e.to_artist, e.score, e.source) for e in edges if e.source in ENGINE_SOURCES]
    listeners = [popularity.get(artist_id) or 0 for artist_id in columns]
    return engine.model_from_rows(stored, columns, listeners)


def paths(profile: TasteProfile, edges: list[Edge]) -> dict[int, list[int]]:
    """For each reached artist, the listener's artists leading to it, strongest lead first."""
    leads = defaultdict(lambda: defaultdict(float))
    for edge in edges:
        if edge.source.endswith(engine.model.NEGATIVE):
            continue  # a negative weight leads away from an artist, never towards it
        leads[edge.to_artist][edge.from_artist] += profile.affinity(edge.from_artist) * edge.score
    return {target: sorted(sources, key=lambda seed: (-sources[seed], seed)) for target, sources in leads.items()}


def candidate_artists(profile: TasteProfile, *, exclude=(), k=200) -> dict[int, ArtistLead]:
    """Artist id → ArtistLead(score 0–1, names of the listener's artists that lead there).

    The listener's own artists are not candidates here (the engine leaves them out): their
    albums come in through the taste profile itself.
    """
    seeds = sorted(profile.artists, key=lambda artist_id: (-profile.artists[artist_id].weight, artist_id))[:SEED_ARTISTS]
    edges = load_edges(seeds)
    if not edges:
        return {}
    model = model_for(seeds, edges)
    lastfm = [(e.from_artist, e.to_artist, e.score) for e in edges if e.source == Source.LASTFM]
    ranked = engine.rank_artists(
        {artist_id: profile.artists[artist_id].weight for artist_id in seeds},
        model,
        exclude=exclude,
        k=k,
        external=engine.external_matrix(lastfm, model),
    )
    return _leads([r for r in ranked if r.score > 0], paths(profile, edges))


def _leads(ranked, routes) -> dict[int, ArtistLead]:
    best = max((r.score for r in ranked), default=0.0)
    via_ids = {seed for r in ranked for seed in routes.get(int(r.artist_id), [])[:VIA_NAMED]}
    names = dict(Artist.objects.filter(pk__in=via_ids).values_list("pk", "name"))
    return {
        int(r.artist_id): ArtistLead(
            round(r.score / best, 4),
            tuple(names[seed] for seed in routes.get(int(r.artist_id), [])[:VIA_NAMED] if seed in names),
        )
        for r in ranked
    }
