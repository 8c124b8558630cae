"""Trainers: what fits the artist model, behind one interface, each writing the same artifact.

    trainer = get_trainer("inprocess")            # or "spark"
    model = trainer.fit(plays, artist_ids, artist_tags=tags, config=config)
    save_model(model, path)                       # the same .npz whichever trainer made it

* `InProcessTrainer`: `fit_model`, the numpy/scipy blend (EASE, RP3beta, implicit ALS, tags)
  that one machine fits in seconds at a few thousand listeners.
* `SparkALSTrainer`: Spark MLlib's implicit ALS (the engine ListenBrainz fits its
  collaborative filtering with), for when listening outgrows one machine. Its item factors
  become item-item neighbours the way ours do (factors.factor_neighbours), stored as the
  model's "als" source; tags are added as in-process. Local mode by default
  (`master="local[2]"`); a cluster URL runs the same code on a cluster.

A trainer returns an `ArtistModel`; ranking never knows which one made it.
"""
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from scipy import sparse

from .factors import factor_neighbours
from .model import DEFAULT_CONFIG, ArtistModel, EngineConfig, fit_model, listening_users, unit_scaled
from .similarity import listeners, tag_neighbours
from .weighting import rank_damped


class Trainer(Protocol):
    name: str

    def fit(self, plays, artist_ids, *, artist_tags=None, config: EngineConfig = DEFAULT_CONFIG) -> ArtistModel: ...


class InProcessTrainer:
    name = "inprocess"

    def fit(self, plays, artist_ids, *, artist_tags=None, config: EngineConfig = DEFAULT_CONFIG) -> ArtistModel:
        return fit_model(plays, artist_ids, artist_tags=artist_tags, config=config)


def spark_available() -> str | None:
    """None when pyspark and a Java runtime are there; else why not (for a skip message)."""
    import shutil

    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -r requirements-spark.txt)"
    if shutil.which("java") is None:
        return "no Java runtime (apt-get install -y default-jre-headless)"
    return None


@dataclass
class SparkALSTrainer:
    name = "spark"
    master: str = "local[2]"
    # Spark's ALS is tuned apart from implicit's: its alpha multiplies raw confidence.
    rank: int | None = None
    max_iter: int = 10

    def fit(self, plays, artist_ids, *, artist_tags=None, config: EngineConfig = DEFAULT_CONFIG) -> ArtistModel:
        plays = sparse.csr_matrix(plays, dtype=np.float64)
        ids = np.asarray(artist_ids)
        weighted = rank_damped(plays)
        tags = None if artist_tags is None else unit_scaled(tag_neighbours(artist_tags, k=config.tag_neighbours))
        empty = sparse.csr_matrix((len(ids), len(ids)))
        if listening_users(weighted) < max(config.min_listeners, 2):
            return ArtistModel(ids, listeners(weighted), empty, empty, empty, tags, config)
        item_factors = self.item_factors(weighted, config)
        neighbours = factor_neighbours(
            weighted, item_factors, l2=config.als_l2, beta=config.als_beta, k=config.als_neighbours,
            min_common=config.min_common_listeners,
        )
        # The factors are the only co-listening source: weight them as EASE would be.
        spark_config = replace(config, als_weight=1.0)
        return ArtistModel(ids, listeners(weighted), empty, empty, unit_scaled(neighbours), tags, spark_config)

    def item_factors(self, weighted: sparse.csr_matrix, config: EngineConfig) -> np.ndarray:
        """Artists × rank factors from Spark MLlib ALS (implicit preferences) on the damped weights."""
        from pyspark.ml.recommendation import ALS
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master(self.master).appName("vinilogy-als")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.memory", "1g").getOrCreate()
        )
        try:
            coo = weighted.tocoo()
            rows = list(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist()))
            frame = spark.createDataFrame(rows, ["user", "item", "rating"])
            als = ALS(
                rank=self.rank or config.als_factors, maxIter=self.max_iter, regParam=config.als_regularization / 100,
                alpha=config.als_alpha, implicitPrefs=True, seed=config.als_seed, userCol="user", itemCol="item",
                ratingCol="rating", coldStartStrategy="drop",
            )
            fitted = als.fit(frame)
            factors = np.zeros((weighted.shape[1], fitted.rank), dtype=np.float64)
            for row in fitted.itemFactors.collect():
                factors[row["id"]] = row["features"]
            return factors
        finally:
            spark.stop()


TRAINERS = {"inprocess": InProcessTrainer, "spark": SparkALSTrainer}


def get_trainer(name: str) -> Trainer:
    try:
        return TRAINERS[name]()
    except KeyError:
        raise ValueError(f"unknown trainer {name!r}: one of {', '.join(TRAINERS)}") from None
