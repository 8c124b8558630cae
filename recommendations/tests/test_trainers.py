"""The trainer interface: both backends write a model version that ranks."""

import os
from dataclasses import replace

import numpy as np
import pytest
from scipy import sparse

from recommendations import engine
from recommendations.engine.model import DEFAULT_CONFIG
from recommendations.engine.trainers import InProcessTrainer, SparkTrainer, get_trainer, spark_available


def plays():
    """Two tastes: listeners 0–5 play artists 0–3, listeners 6–11 artists 4–7."""
    rows, columns = [], []
    for user in range(12):
        group = range(0, 4) if user < 6 else range(4, 8)
        for artist in group:
            if (user + artist) % 4:  # each listener misses one artist of their group
                rows.append(user)
                columns.append(artist)
    return sparse.csr_matrix((np.ones(len(rows)) * 5, (rows, columns)), shape=(12, 8))


# Small enough that the JVM's start-up is most of the Spark test.
SMALL = replace(DEFAULT_CONFIG, als_factors=4, als_iterations=5)


def tags():
    """Artists × tags: one tag per taste, and a third shared by artists 3 and 4."""
    counts = np.zeros((8, 3))
    counts[0:4, 0] = 2
    counts[4:8, 1] = 3
    counts[3:5, 2] = 1
    return sparse.csr_matrix(counts)


def ranks_within_taste(trainer, tmp_path):
    ids = np.arange(100, 108)
    model = trainer.fit(plays(), ids, artist_tags=tags(), config=SMALL)
    path = tmp_path / "model.npz"
    engine.save_model(model, path, compressed=False)
    loaded = engine.load_model(path, model.config, mmap=True)
    ranked = engine.rank_artists({100: 3.0, 101: 2.0}, loaded, k=2)
    return [r.artist_id for r in ranked if r.score > 0]


def test_the_in_process_trainer_writes_a_model_that_ranks(tmp_path):
    assert set(ranks_within_taste(InProcessTrainer(), tmp_path)) <= {102, 103}


SPARK_MISSING = spark_available()


@pytest.mark.skipif(SPARK_MISSING is not None, reason=f"Spark trainer: {SPARK_MISSING}")
@pytest.mark.skipif(
    not os.environ.get("SPARK_TESTS"),
    reason="Spark trainer: starts a JVM (~1 min on an idle machine); the CI PostgreSQL leg sets SPARK_TESTS=1",
)
def test_the_spark_trainer_writes_the_in_process_blend(tmp_path):
    ranked = ranks_within_taste(SparkTrainer(), tmp_path)
    assert ranked and set(ranked) <= {102, 103}
    # The same sources as the in-process fit; all but the factors (Spark MLlib's ALS, not
    # ours) are the same computation, so the same edges with the same scores.
    spark = engine.load_model(tmp_path / "model.npz", SMALL)
    local = InProcessTrainer().fit(plays(), np.arange(100, 108), artist_tags=tags(), config=SMALL)
    assert np.allclose(spark.listeners, local.listeners)
    for source in ("colisten", "rp3beta", "tags"):
        ours, theirs = spark.sources()[source], local.sources()[source]
        assert np.allclose(ours.toarray(), theirs.toarray(), atol=1e-6), source
    assert spark.factors.nnz and set(zip(*spark.factors.nonzero())) <= set(zip(*local.walk.nonzero()))


def test_trainers_are_chosen_by_name():
    assert get_trainer("inprocess").name == "inprocess" and get_trainer("spark").name == "spark"
    with pytest.raises(ValueError, match="unknown trainer"):
        get_trainer("mahout")


def test_the_sites_spark_fit_takes_its_master_and_driver_heap_from_the_settings(settings):
    from recommendations.colisten import trainer_options

    settings.MODEL_TRAINER, settings.SPARK_MASTER, settings.SPARK_DRIVER_MEMORY = "spark", "spark://models:7077", "6g"
    trainer = get_trainer(settings.MODEL_TRAINER, **trainer_options())
    assert (trainer.master, trainer.driver_memory) == ("spark://models:7077", "6g")
    settings.MODEL_TRAINER = "inprocess"
    assert trainer_options() == {} and get_trainer("inprocess", **trainer_options()).name == "inprocess"
