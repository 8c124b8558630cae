"""Candidate artists for a taste profile: the database side of the artist-ranking stage.

The ranking itself is recommendations.engine's (pure numpy/scipy). This module feeds it and
reads its answer back:

- the model is the current published version (recommendations.artifact, loaded once per
  process): its neighbour sources and the Last.fm edges saved with it. No ArtistSimilarity row
  is read, except the Last.fm edges of a listener's artists fetched since that fit (or of
  artists the fit did not know), so a newcomer's artists count before the next fit;
- before the first fit, the model is rebuilt from the stored rows of the listener's artists
  (what a fresh site has: Last.fm edges, and whatever engine rows the catalog holds);
- the engine's scores are scaled so the best candidate scores 1, and artists it only
  reaches by popularity (score 0) are dropped: a candidate must be related to the listener.

The engine says how much; this module also says through whom: for each candidate, the
listener's artists whose edges lead there, strongest first ("because you listen to X and Y").
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import Q
from scipy import sparse

from catalog.models import ENGINE_SOURCES, Artist, ArtistSimilarity, Source

from . import artifact, engine
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
    published = artifact.current()
    if published is None:
        return _from_rows(profile, seeds, exclude, k)
    model, external = with_fresh_lastfm(published, seeds)
    ranked = engine.rank_artists(
        {artist_id: profile.artists[artist_id].weight for artist_id in seeds},
        model,
        exclude=exclude,
        k=k,
        external=external,
    )
    ranked = [r for r in ranked if r.score > 0]
    return _leads(ranked, model_paths(profile, seeds, model, external, [r.artist_id for r in ranked]))


def _from_rows(profile, seeds, exclude, k) -> dict[int, ArtistLead]:
    """Before the first model version: the model of the stored rows of the listener's artists."""
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


def with_fresh_lastfm(published, seeds):
    """(model, Last.fm matrix): the published ones, with the Last.fm edges of the seeds fetched
    after the fit read them (or unknown to it) taken from the table instead."""
    model, saved = published.model, published.model.external
    known = model.column_of()
    fresh = Q(pk__in=[s for s in seeds if s in known], similars_refreshed_at__gt=published.version.data_at)
    fresh |= Q(pk__in=[s for s in seeds if s not in known], similars_refreshed_at__isnull=False)
    fresh_ids = list(Artist.objects.filter(fresh).values_list("pk", flat=True)) if seeds else []
    if not fresh_ids:
        return model, saved
    rows = list(
        ArtistSimilarity.objects.filter(from_artist_id__in=fresh_ids, source=Source.LASTFM).values_list(
            "from_artist_id", "to_artist_id", "score"
        )
    )
    unknown = sorted(({a for a, _, _ in rows} | {b for _, b, _ in rows} | set(fresh_ids)) - known.keys())
    if unknown:
        counts = dict(Artist.objects.filter(pk__in=unknown).values_list("pk", "listeners"))
        model = engine.extend_columns(model, unknown, [counts.get(pk) or 0 for pk in unknown])
        saved = None if saved is None else model.external
    column = model.column_of()
    keep = np.ones(model.n_artists)
    keep[[column[pk] for pk in fresh_ids]] = 0.0
    refreshed = engine.external_matrix(rows, model)
    return model, refreshed if saved is None else (sparse.diags(keep) @ saved + refreshed).tocsr()


def model_paths(profile, seeds, model, external, targets) -> dict[int, list[int]]:
    """`paths` read from the model: for each target, the seeds whose positive edges (any source,
    Last.fm's included) lead there, by affinity × edge score, strongest first."""
    column = model.column_of()
    seeds = [s for s in seeds if s in column]
    if not seeds or not targets:
        return {}
    rows, columns = [column[s] for s in seeds], [column[t] for t in targets]
    matrices = [*model.sources().values(), *([external] if external is not None else [])]
    strength = sum(np.asarray(m[rows][:, columns].maximum(0).todense(), dtype=np.float64) for m in matrices)
    strength = strength * np.asarray([profile.affinity(s) for s in seeds])[:, None]
    routes = {}
    for n, target in enumerate(targets):
        leading = [(-strength[i, n], seed) for i, seed in enumerate(seeds) if strength[i, n] > 0]
        routes[target] = [seed for _, seed in sorted(leading)]
    return routes


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
