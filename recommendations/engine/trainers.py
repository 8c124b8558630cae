"""Trainers: what fits the artist model, behind one interface, each writing the same artifact.

    trainer = get_trainer("inprocess")            # or "spark", master=…, driver_memory=…
    model = trainer.fit(plays, artist_ids, artist_tags=tags, config=config)
    save_model(model, path)                       # the same .npz whichever trainer made it

* `InProcessTrainer`: `fit_model`, the numpy/scipy blend (EASE, RP3beta, implicit ALS, tags)
  that one machine fits in seconds at a few thousand listeners.
* `SparkTrainer`: the same blend computed with Spark's DataFrame operations (joins on the
  listener and the tag, aggregations, window rankings; Spark MLlib's implicit ALS for the
  factors), for when listening outgrows one machine; EASE's one dense inverse stays on the
  driver (see spark_blend). Local mode by default (`master="local[2]"`). Compared with the
  in-process fit by benchmarks/recommendation_quality.py --spark.

A trainer returns an `ArtistModel`; ranking never knows which one made it.
"""

from dataclasses import dataclass
from typing import Protocol

from .model import DEFAULT_CONFIG, ArtistModel, EngineConfig, fit_model


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
class SparkTrainer:
    """The in-process blend computed by Spark (spark_blend.fit_spark_blend), local mode by
    default; a cluster URL as `master` runs the same job on a cluster. `driver_memory`: the
    driver's heap (settings.SPARK_DRIVER_MEMORY), where EASE's inverse is taken."""

    name = "spark"
    master: str = "local[2]"
    driver_memory: str = "2g"

    def fit(self, plays, artist_ids, *, artist_tags=None, config: EngineConfig = DEFAULT_CONFIG) -> ArtistModel:
        from .spark_blend import fit_spark_blend, spark_session

        spark = spark_session(self.master, driver_memory=self.driver_memory)
        try:
            return fit_spark_blend(spark, plays, artist_ids, artist_tags=artist_tags, config=config)
        finally:
            spark.stop()


TRAINERS = {"inprocess": InProcessTrainer, "spark": SparkTrainer}


def get_trainer(name: str, **options) -> Trainer:
    """The trainer called `name`, made with `options` (SparkTrainer: master, driver_memory)."""
    try:
        trainer = TRAINERS[name]
    except KeyError:
        raise ValueError(f"unknown trainer {name!r}: one of {', '.join(TRAINERS)}") from None
    return trainer(**options)
