"""The trainer interface: both backends write a model version that ranks."""
import os

import numpy as np
import pytest
from scipy import sparse

from recommendations import engine
from recommendations.engine.trainers import InProcessTrainer, SparkALSTrainer, get_trainer, spark_available


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


def ranks_within_taste(trainer, tmp_path):
    ids = np.arange(100, 108)
    model = trainer.fit(plays(), ids)
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
    not os.environ.get("SPARK_TESTS"), reason="Spark trainer: starts a JVM (~1 min); the CI PostgreSQL leg sets SPARK_TESTS=1"
)
def test_the_spark_als_trainer_writes_a_model_that_ranks(tmp_path):
    ranked = ranks_within_taste(SparkALSTrainer(rank=4, max_iter=5), tmp_path)
    assert ranked and set(ranked) <= {102, 103}


def test_trainers_are_chosen_by_name():
    assert get_trainer("inprocess").name == "inprocess" and get_trainer("spark").name == "spark"
    with pytest.raises(ValueError, match="unknown trainer"):
        get_trainer("mahout")
