"""Co-listening across our users (periodic job): artists that the same people listen to.

Builds the user × artist matrix from every active user's seed artists (their listening,
collection and hand-picked artists, weighted as in the taste profile), fits the engine's
item-item model (recommendations.engine.fit_model: top neighbours per artist) and stores its
neighbours of every source as
ArtistSimilarity rows (source "colisten", "rp3beta", "als", "…_negative"): the stored rows are the model that
recommendations.candidates ranks from. They are replaced in one transaction, so readers see
the old graph or the new one, never half of each.

Relatedness we can trust: two artists are linked only when COLISTEN_MIN_SHARED_LISTENERS
listeners share them, and the co-listening sources are fitted only once COLISTEN_MIN_LISTENERS
listeners have taste. A young site stores only its tag neighbours, and recommends from Last.fm's
similar artists and those; both settings default to the engine's values, chosen on HetRec
(benchmarks/recommendation_quality.py).
"""
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np
from django.conf import settings
from django.db import transaction
from scipy import sparse

from accounts.models import SeedArtist
from catalog.models import ENGINE_SOURCES, ArtistSimilarity, ArtistTag

from . import engine

BATCH_SIZE = 1000


@dataclass
class ColistenResult:
    users: int
    artists: int
    edges: int
    min_listeners: int = 0

    def summary(self) -> str:
        told = f"co-listening: {self.edges} neighbour edges over {self.artists} artists from {self.users} listeners"
        if self.users < self.min_listeners:
            return f"{told} (tags only: co-listening waits for {self.min_listeners} listeners)"
        return told


def engine_config() -> engine.EngineConfig:
    """The engine's defaults with the site's co-listening thresholds, where settings give them."""
    thresholds = {
        "min_common_listeners": settings.COLISTEN_MIN_SHARED_LISTENERS,
        "min_listeners": settings.COLISTEN_MIN_LISTENERS,
    }
    return replace(engine.DEFAULT_CONFIG, **{name: value for name, value in thresholds.items() if value is not None})


def listening_matrix():
    """(users × artists sparse matrix of seed weights, user ids, artist ids)."""
    weights = defaultdict(float)
    seeds = SeedArtist.objects.filter(user__is_active=True, weight__gt=0)
    for user_id, artist_id, weight in seeds.values_list("user_id", "artist_id", "weight").iterator():
        weights[(user_id, artist_id)] += weight
    user_ids = sorted({user_id for user_id, _ in weights})
    artist_ids = sorted({artist_id for _, artist_id in weights})
    user_index = {user_id: n for n, user_id in enumerate(user_ids)}
    artist_index = {artist_id: n for n, artist_id in enumerate(artist_ids)}
    rows = [user_index[u] for u, _ in weights]
    columns = [artist_index[a] for _, a in weights]
    shape = (len(user_ids), len(artist_ids))
    matrix = sparse.csr_matrix((np.fromiter(weights.values(), dtype=np.float64), (rows, columns)), shape=shape)
    return matrix, user_ids, artist_ids


def tag_matrix(artist_ids):
    """Artists × tags matrix of Last.fm tag weights, rows aligned with `artist_ids`."""
    row_of = {artist_id: n for n, artist_id in enumerate(artist_ids)}
    links = list(ArtistTag.objects.filter(artist_id__in=artist_ids).values_list("artist_id", "tag_id", "weight"))
    tag_ids = sorted({tag_id for _, tag_id, _ in links})
    column_of = {tag_id: n for n, tag_id in enumerate(tag_ids)}
    rows = [row_of[artist_id] for artist_id, _, _ in links]
    columns = [column_of[tag_id] for _, tag_id, _ in links]
    values = np.fromiter((max(weight, 1) for _, _, weight in links), dtype=np.float64, count=len(links))
    return sparse.csr_matrix((values, (rows, columns)), shape=(len(artist_ids), len(tag_ids)))


def rebuild_colisten_similarities(config=None) -> ColistenResult:
    config = config or engine_config()
    matrix, user_ids, artist_ids = listening_matrix()
    tags = tag_matrix(artist_ids)
    model = engine.fit_model(matrix, artist_ids, artist_tags=tags if tags.nnz else None, config=config) if matrix.nnz else None
    neighbours = engine.neighbour_rows(model) if model is not None else ()
    # Every source of the model is stored (EASE as "colisten", random walk, factors, and
    # negative weights under "<source>_negative"): the benchmark shows the bar needs them all.
    rows = [
        ArtistSimilarity(from_artist_id=int(a), to_artist_id=int(b), score=_score(score), source=source)
        for a, b, score, source in neighbours
        if source in ENGINE_SOURCES and a != b
    ]
    with transaction.atomic():
        ArtistSimilarity.objects.filter(source__in=ENGINE_SOURCES).delete()
        ArtistSimilarity.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return ColistenResult(users=len(user_ids), artists=len(artist_ids), edges=len(rows), min_listeners=config.min_listeners)


def _score(score: float) -> float:
    # Rounding must not push a 0.99999 past the 0–1 check constraint.
    return min(max(round(score, 4), 0.0), 1.0)
