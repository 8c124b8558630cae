"""Candidate artists for a taste profile: the database side of the artist-ranking stage.

Loads the stored similarity edges that leave the listener's artists (co-listening
neighbours computed across our users by recommendations.colisten, and Last.fm similar
artists), ranks the artists they reach, and says for each one which of the listener's
artists lead to it, so the explanation can say "because you listen to X and Y".

`colisten_neighbours` is the co-listening fit the periodic job stores: item-item cosine
over a user × artist matrix, top k neighbours per artist.
"""
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from catalog.models import Artist, ArtistSimilarity, Source

from .albums import ArtistLead
from .profile import TasteProfile

# The sources of similarity edges used, and how much each is trusted.
EDGE_SOURCES = {Source.COLISTEN: 1.0, Source.LASTFM: 1.0}
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
    rows = ArtistSimilarity.objects.filter(from_artist_id__in=artist_ids, source__in=list(EDGE_SOURCES))
    return [Edge(*row) for row in rows.values_list("from_artist_id", "to_artist_id", "score", "source")]


def blend(edges: list[Edge]) -> dict[int, dict[int, float]]:
    """One similarity per artist pair. Sources agreeing make it stronger (noisy-or), never above 1."""
    missing = defaultdict(lambda: 1.0)
    for edge in edges:
        trust = EDGE_SOURCES.get(edge.source, 1.0)
        missing[(edge.from_artist, edge.to_artist)] *= 1 - min(max(edge.score * trust, 0.0), 1.0)
    graph = defaultdict(dict)
    for (source, target), miss in missing.items():
        graph[source][target] = 1 - miss
    return graph


def rank_candidates(profile: TasteProfile, graph, *, exclude=(), k=200) -> dict[int, tuple[float, list[int]]]:
    """Artist → (score 0–1, the profile artists that lead to it, strongest first), top k.

    An artist's score is the sum over the listener's artists of affinity × similarity,
    divided by the best such sum so the strongest candidate scores 1.
    """
    exclude = set(exclude)
    totals = defaultdict(float)
    paths = defaultdict(list)
    for seed, neighbours in graph.items():
        affinity = profile.affinity(seed)
        for target, similarity in neighbours.items():
            if target in exclude or target == seed:
                continue
            totals[target] += affinity * similarity
            paths[target].append((affinity * similarity, seed))
    best = max(totals.values(), default=0.0)
    ranked = sorted(totals, key=lambda artist: (-totals[artist], artist))[:k]
    return {
        artist: (totals[artist] / best if best else 0.0, [seed for _, seed in sorted(paths[artist], reverse=True)])
        for artist in ranked
    }


def candidate_artists(profile: TasteProfile, *, exclude=(), k=200) -> dict[int, ArtistLead]:
    """Artist id → ArtistLead(score, names of the listener's artists that lead there)."""
    seeds = sorted(profile.artists, key=lambda artist_id: -profile.artists[artist_id].weight)[:SEED_ARTISTS]
    ranked = rank_candidates(profile, blend(load_edges(seeds)), exclude=exclude, k=k)
    via_ids = {seed for _, via in ranked.values() for seed in via[:VIA_NAMED]}
    names = dict(Artist.objects.filter(pk__in=via_ids).values_list("pk", "name"))
    return {
        artist: ArtistLead(round(score, 4), tuple(names[seed] for seed in via[:VIA_NAMED] if seed in names))
        for artist, (score, via) in ranked.items()
    }


# --- co-listening across our users -----------------------------------------------------------------

# A pair of artists needs this many listeners in common before it becomes an edge: one
# listener's taste alone must never show up in somebody else's recommendations.
MIN_COMMON_LISTENERS = 2


def colisten_neighbours(matrix, *, k=50, min_common=MIN_COMMON_LISTENERS) -> list[tuple[int, int, float]]:
    """(artist column, neighbour column, cosine 0–1), the k best neighbours of each artist.

    `matrix` is users × artists with non-negative weights. Each user's row is scaled to unit
    length first, so a listener with a thousand artists counts as much as one with ten.
    """
    users = sparse.csr_matrix(matrix, dtype=np.float64)
    users = _unit_rows(users)
    columns = _unit_rows(users.T.tocsr())
    similarity = (columns @ columns.T).tocsr()
    listened = (users > 0).astype(np.float64)
    common = (listened.T @ listened).tocsr()
    return _top_k(similarity, common, k, min_common)


def _unit_rows(matrix):
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def _top_k(similarity, common, k, min_common):
    edges = []
    for row in range(similarity.shape[0]):
        start, end = similarity.indptr[row], similarity.indptr[row + 1]
        columns, scores = similarity.indices[start:end], similarity.data[start:end]
        shared = np.asarray(common[row, columns].todense()).ravel() if len(columns) else np.array([])
        keep = (columns != row) & (shared >= min_common) & (scores > 0)
        order = np.lexsort((columns[keep], -scores[keep]))[:k]
        edges += [(row, int(col), float(min(score, 1.0))) for col, score in zip(columns[keep][order], scores[keep][order])]
    return edges
