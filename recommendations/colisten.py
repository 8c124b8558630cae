"""Co-listening across our users (periodic job, the `model` queue): fit the engine, publish it.

Builds the user × artist matrix from every active user's seed artists (their listening,
collection and hand-picked artists, weighted as in the taste profile) over every artist of the
catalog, fits the engine with the configured trainer (recommendations.engine.trainers), and
publishes the model with the Last.fm similar-artist edges of that moment as a versioned
artifact (recommendations.artifact): ranking reads that file, not rows.

ArtistSimilarity keeps only what pages show: Last.fm's edges (untouched here) and each
artist's TOP_SIMILAR strongest neighbours of the model for the artist page, under the source
that contributes most to each ("colisten", "rp3beta", "als" or "tags"). They are replaced in
one transaction, written in batches from a generator: memory does not grow with the rows.

Relatedness we can trust: two artists are linked only when COLISTEN_MIN_SHARED_LISTENERS
listeners share them, and the co-listening sources are fitted only once COLISTEN_MIN_LISTENERS
listeners have taste. A young site's model holds only its tag neighbours and Last.fm's edges;
both settings default to the engine's values, chosen on HetRec
(benchmarks/recommendation_quality.py).
"""

import itertools
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import partial

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from scipy import sparse

from accounts.models import SeedArtist
from catalog.models import ENGINE_SOURCES, Artist, ArtistSimilarity, ArtistTag, Source

from . import artifact, engine
from .engine.quality import holdout_quality
from .engine.trainers import get_trainer

BATCH_SIZE = 1000
# Similar artists kept per artist for the artist page: ranking reads the model, not these.
TOP_SIMILAR = 20


@dataclass
class ColistenResult:
    users: int
    artists: int
    edges: int
    min_listeners: int = 0
    version: int | None = None

    def summary(self) -> str:
        told = (
            f"co-listening: model version {self.version} over {self.artists} artists from {self.users} listeners, "
            f"{self.edges} top similar artists stored"
        )
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


def listening_matrix(artist_ids=None):
    """(users × artists sparse matrix of seed weights, user ids, artist ids).

    Columns are `artist_ids` when given (seeds of other artists are left out), else the
    artists someone has.
    """
    weights = defaultdict(float)
    seeds = SeedArtist.objects.filter(user__is_active=True, weight__gt=0)
    for user_id, artist_id, weight in seeds.values_list("user_id", "artist_id", "weight").iterator(chunk_size=10_000):
        weights[(user_id, artist_id)] += weight
    user_ids = sorted({user_id for user_id, _ in weights})
    artist_ids = sorted({artist_id for _, artist_id in weights}) if artist_ids is None else list(artist_ids)
    user_index = {user_id: n for n, user_id in enumerate(user_ids)}
    artist_index = {artist_id: n for n, artist_id in enumerate(artist_ids)}
    kept = [(user_index[u], artist_index[a], w) for (u, a), w in weights.items() if a in artist_index]
    rows, columns, values = (list(part) for part in zip(*kept)) if kept else ([], [], [])
    shape = (len(user_ids), len(artist_ids))
    matrix = sparse.csr_matrix((np.asarray(values, dtype=np.float64), (rows, columns)), shape=shape)
    return matrix, user_ids, artist_ids


def tag_matrix(artist_ids):
    """Artists × tags matrix of Last.fm tag weights, rows aligned with `artist_ids`."""
    row_of = {artist_id: n for n, artist_id in enumerate(artist_ids)}
    links = ArtistTag.objects.values_list("artist_id", "tag_id", "weight").iterator(chunk_size=10_000)
    links = [(row_of[a], t, max(w, 1)) for a, t, w in links if a in row_of]
    tag_ids = sorted({tag_id for _, tag_id, _ in links})
    column_of = {tag_id: n for n, tag_id in enumerate(tag_ids)}
    rows = [row for row, _, _ in links]
    columns = [column_of[tag_id] for _, tag_id, _ in links]
    values = np.fromiter((weight for _, _, weight in links), dtype=np.float64, count=len(links))
    return sparse.csr_matrix((values, (rows, columns)), shape=(len(artist_ids), len(tag_ids)))


def lastfm_matrix(artist_ids) -> sparse.csr_matrix:
    """Every Last.fm similar-artist edge as an artists × artists matrix of 0–1 matches."""
    column = {artist_id: n for n, artist_id in enumerate(artist_ids)}
    rows = ArtistSimilarity.objects.filter(source=Source.LASTFM).values_list("from_artist_id", "to_artist_id", "score")
    kept = [(column[a], column[b], s) for a, b, s in rows.iterator(chunk_size=10_000) if a in column and b in column]
    r, c, s = (np.asarray(part) for part in zip(*kept)) if kept else ([], [], [])
    return sparse.csr_matrix((np.asarray(s, dtype=np.float32), (r, c)), shape=(len(artist_ids), len(artist_ids)))


def catalog_artists() -> tuple[list[int], np.ndarray]:
    """(every artist id, their Last.fm listener counts): the model's columns and popularity."""
    pairs = list(Artist.objects.order_by("pk").values_list("pk", "listeners"))
    return [pk for pk, _ in pairs], np.asarray([listeners or 0 for _, listeners in pairs], dtype=np.float64)


def trainer_options() -> dict:
    """The Spark trainer's master and driver heap from the settings; the in-process one takes none."""
    if settings.MODEL_TRAINER != "spark":
        return {}
    return {"master": settings.SPARK_MASTER, "driver_memory": settings.SPARK_DRIVER_MEMORY}


def rebuild_colisten_similarities(config=None, trainer=None) -> ColistenResult:
    """Fit, publish the new model version and refresh the artist page's top similar artists."""
    config = config or engine_config()
    trainer = trainer or get_trainer(settings.MODEL_TRAINER, **trainer_options())
    data_at = timezone.now()
    artist_ids, popularity = catalog_artists()
    matrix, user_ids, _ = listening_matrix(artist_ids)
    tags = tag_matrix(artist_ids)
    tags = tags if tags.nnz else None
    started = time.perf_counter()
    model = trainer.fit(matrix, artist_ids, artist_tags=tags, config=config)
    fit_seconds = time.perf_counter() - started
    model = replace(model, listeners=popularity, external=lastfm_matrix(artist_ids))
    quality = None
    if settings.MODEL_EVAL_LISTENERS:
        fit = partial(_fit_for_quality, trainer, artist_ids, tags, config, model.external)
        quality = holdout_quality(matrix, fit, listeners=settings.MODEL_EVAL_LISTENERS)
    version = artifact.publish(
        model, data_at=data_at, trainer=trainer.name, listeners=len(user_ids), fit_seconds=fit_seconds, quality=quality
    )
    edges = store_top_similar(model)
    listening = int(np.count_nonzero(matrix.getnnz(axis=0)))
    return ColistenResult(
        users=len(user_ids), artists=listening, edges=edges, min_listeners=config.min_listeners, version=version.pk
    )


def _fit_for_quality(trainer, artist_ids, tags, config, external, train):
    # Quality is measured as the product ranks: with the Last.fm edges beside the model.
    return replace(trainer.fit(train, artist_ids, artist_tags=tags, config=config), external=external)


def store_top_similar(model) -> int:
    """Replace the engine's rows of ArtistSimilarity with each artist's TOP_SIMILAR neighbours."""
    rows = (
        ArtistSimilarity(from_artist_id=a, to_artist_id=b, score=_score(score), source=source)
        for a, b, score, source in engine.top_neighbours(model, TOP_SIMILAR)
        if source in ENGINE_SOURCES
    )
    stored = 0
    with transaction.atomic():
        ArtistSimilarity.objects.filter(source__in=ENGINE_SOURCES).delete()
        while batch := list(itertools.islice(rows, BATCH_SIZE)):
            ArtistSimilarity.objects.bulk_create(batch)
            stored += len(batch)
    return stored


def _score(score: float) -> float:
    # Rounding must not push a 0.99999 past the 0–1 check constraint.
    return min(max(round(score, 4), 0.0), 1.0)
