"""Quality of the artist-ranking stage against standard baselines, on HetRec 2011 Last.fm 2K.

    .venv/bin/python benchmarks/recommendation_quality.py [--seed 42 | --seeds 1,2,3,42] [--data PATH]
        [--min-common 2] [--skip "EASE,implicit ALS"]

About 1.5 minutes per seed on 2 cores (the engine's fit is 30 s of it).

Protocol (the product owner's): each user's artists are split 80/20 at random with the
given seed (users with fewer than 5 artists stay entirely in train); every method fits on
train, ranks the full catalog for each user with held-out artists, never showing a train
artist; metrics at 20 are Recall, NDCG (binary relevance, ideal DCG over min(|test|, 20)),
hit rate and catalog coverage (share of all artists in anyone's top 20). ms/user is the
ranking time per user once fitted (batches of 256 users); the vinilogy single-user time
(`rank_artists`, the product's call) is printed under the table.

"vinilogy" is recommendations.engine with its documented defaults: fit_model, then
rank_batch, the same code the product runs. "vinilogy positive rows" ranks from the model
rebuilt from its positive neighbour rows only (if the product stores no "_negative" rows);
--min-common N adds the engine with its privacy filter at N shared listeners. The tag
source is built from user_taggedartists.dat without the tags users gave to their own
held-out artists (that would leak the answer). The data is non-commercial: it is read in
place, never copied.
"""
import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

# One BLAS thread: implicit's ALS asks for it, and timings stay comparable between methods.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._hetrec import (  # noqa: E402
    DEFAULT_DATA,
    Listening,
    Split,
    evaluate,
    load_artist_tags,
    load_listening,
    split,
)
from recommendations.engine import (  # noqa: E402
    DEFAULT_CONFIG,
    fit_model,
    model_from_rows,
    neighbour_rows,
    rank_artists,
    rank_batch,
)
from recommendations.engine.ranking import top_k  # noqa: E402

K = 20
BATCH = 256
# Baseline settings, each tuned on seed 42 within the ranges the product owner suggested.
EASE_L2 = 2000.0  # on log1p plays; 200–4000 tried, 2000 best
ALS = dict(factors=64, regularization=20.0, alpha=1.0, iterations=15, random_state=0)


def log_plays(matrix) -> sparse.csr_matrix:
    logged = sparse.csr_matrix(matrix, dtype=np.float64, copy=True)
    logged.data = np.log1p(logged.data)
    return logged


def ranked_by(top_rows, data: Split) -> tuple[np.ndarray, float]:
    """(users × K top columns, ms per user) from a function of user rows → their top columns."""
    started = time.perf_counter()
    tops = [top_rows(data.train, data.users[start : start + BATCH]) for start in range(0, len(data.users), BATCH)]
    return np.vstack(tops), 1000 * (time.perf_counter() - started) / len(data.users)


def by_scores(score_rows):
    """A baseline's top columns: the engine's own top_k, so every method is cut the same way."""
    return lambda train, users: top_k(score_rows(users), train[users] > 0, np.zeros(train.shape[1]), K)


def by_model(model):
    """The engine's evaluation path: rank_batch over the users' training rows."""
    return lambda train, users: rank_batch(train[users], model, k=K)[0]


def most_popular(data: Split, _tags):
    listeners = np.diff(data.train.tocsc().indptr).astype(np.float64)
    return lambda users: np.tile(listeners, (len(users), 1))


def item_knn(data: Split, _tags):
    """Cosine between artists' log-play columns, every neighbour kept (sparse: co-listened pairs only)."""
    logged = log_plays(data.train)
    norms = np.sqrt(np.asarray(logged.multiply(logged).sum(axis=0)).ravel())
    unit = logged @ sparse.diags(1.0 / np.where(norms > 0, norms, 1.0))
    similarity = (unit.T @ unit).tocsr()
    similarity.setdiag(0)
    return lambda users: (logged[users] @ similarity).toarray()


def ease(data: Split, _tags):
    """EASE on log plays over the artists with 2+ listeners (a one-listener column has nothing
    to regress on, and the full 15k-artist inverse takes minutes on 2 cores)."""
    logged = log_plays(data.train)
    columns = np.flatnonzero(np.diff(logged.tocsc().indptr) >= 2)
    subset = logged[:, columns].tocsr()
    gram = (subset.T @ subset).toarray()
    gram[np.diag_indices_from(gram)] += EASE_L2
    inverse = np.linalg.inv(gram)
    weights = -inverse / np.diag(inverse)
    np.fill_diagonal(weights, 0.0)

    def scores(users):
        full = np.full((len(users), logged.shape[1]), -1e9)
        full[:, columns] = subset[users] @ weights
        return full

    return scores


def implicit_als(data: Split, _tags):
    from implicit.als import AlternatingLeastSquares

    model = AlternatingLeastSquares(calculate_training_loss=False, **ALS)
    model.fit(log_plays(data.train).astype(np.float32), show_progress=False)
    users_f, items_f = (np.asarray(getattr(f, "to_numpy", lambda: f)()) for f in (model.user_factors, model.item_factors))
    return lambda users: users_f[users] @ items_f.T


BASELINES = {"most-popular": most_popular, "item-kNN cosine": item_knn, "EASE": ease, "implicit ALS": implicit_als}


def fit_vinilogy(listening: Listening, data: Split, tags, config=DEFAULT_CONFIG):
    """(model, fit seconds) of our engine."""
    started = time.perf_counter()
    model = fit_model(data.train, listening.artist_ids, artist_tags=tags, config=config)
    return model, time.perf_counter() - started


def positive_rows_only(model, listening: Listening):
    """The model rebuilt from its positive ArtistSimilarity rows only (no "_negative" sources)."""
    return model_from_rows(neighbour_rows(model, negative=False), listening.artist_ids, model.listeners, model.config)


def single_user_ms(listening: Listening, data: Split, model, n_users: int = 200) -> float:
    """Median time of the product's call, rank_artists for one profile of artist ids."""
    times = []
    for user in data.users[:n_users]:
        row = data.train[user]
        profile = dict(zip(listening.artist_ids[row.indices].tolist(), row.data.tolist()))
        started = time.perf_counter()
        rank_artists(profile, model, k=K)
        times.append(1000 * (time.perf_counter() - started))
    return float(np.median(times))


def row(method: str, metrics, ms: float) -> str:
    m = metrics
    return f"| {method:<22} | {m.recall:9.4f} | {m.ndcg:7.4f} | {m.hit_rate:10.4f} | {m.coverage:11.4f} | {ms:7.2f} |"


def run_seed(listening: Listening, data_dir: Path, seed: int, skip: set[str], min_common: int = 0) -> None:
    data = split(listening.plays, seed)
    tags = load_artist_tags(data_dir, listening, data.test)
    n_artists = len(listening.artist_ids)
    users, evaluated = listening.plays.shape[0], len(data.users)
    print(f"\nseed {seed}: {users} users, {n_artists} artists, {evaluated} users evaluated, {data.test.nnz} held-out pairs")
    print("| method                 | Recall@20 | NDCG@20 | HitRate@20 | Coverage@20 | ms/user |")
    print("|------------------------|-----------|---------|------------|-------------|---------|")
    fit_times = {}
    for name, build in BASELINES.items():
        if name in skip:
            continue
        started = time.perf_counter()
        score_rows = build(data, tags)
        fit_times[name] = time.perf_counter() - started
        top, ms = ranked_by(by_scores(score_rows), data)
        print(row(name, evaluate(top, data.test, data.users, n_artists), ms), flush=True)
    model, fit_times["vinilogy"] = fit_vinilogy(listening, data, tags)
    variants = {"vinilogy": model, "vinilogy positive rows": positive_rows_only(model, listening)}
    if min_common:
        private = replace(DEFAULT_CONFIG, min_common_listeners=min_common)
        variants[f"vinilogy common{min_common}"] = fit_vinilogy(listening, data, tags, private)[0]
    for name, variant in variants.items():
        top, ms = ranked_by(by_model(variant), data)
        print(row(name, evaluate(top, data.test, data.users, n_artists), ms), flush=True)
    print(f"vinilogy rank_artists (one user, the product's call): median {single_user_ms(listening, data, model):.2f} ms")
    print("fit seconds: " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in fit_times.items()), flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--seeds", help="comma-separated seeds, run one after the other (overrides --seed)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with HetRec's user_artists.dat etc.")
    parser.add_argument(
        "--min-common", type=int, default=0, help="also rank with the privacy filter at this many shared listeners"
    )
    parser.add_argument("--skip", default="", help="comma-separated baselines to leave out, e.g. 'EASE,implicit ALS'")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else [args.seed]
    skip = {name.strip() for name in args.skip.split(",") if name.strip()}
    listening = load_listening(args.data)
    for seed in seeds:
        run_seed(listening, args.data, seed, skip, args.min_common)


if __name__ == "__main__":
    main()
