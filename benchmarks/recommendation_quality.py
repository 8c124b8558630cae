"""Quality of the artist-ranking stage against standard baselines, on HetRec 2011 Last.fm 2K.

    .venv/bin/python benchmarks/recommendation_quality.py [--seed 42 | --seeds 1,2,3,42] [--data PATH]
        [--min-common 2] [--few 50] [--skip "EASE,implicit ALS"] [--spark]

About 2 minutes per seed on 2 idle cores (the engine's fit is 30 s of it).

Protocol (the product owner's): each user's artists are split 80/20 at random with the
given seed (users with fewer than 5 artists stay entirely in train); every method fits on
train, ranks the full catalog for each user with held-out artists, never showing a train
artist; metrics at 20 are Recall, NDCG (binary relevance, ideal DCG over min(|test|, 20)),
hit rate and catalog coverage (share of all artists in anyone's top 20). ms/user is the
ranking time per user once fitted (batches of 256 users); the vinilogy single-user time
(`rank_artists`, the product's call) is printed under the table.

Two regimes per seed. "every listener": every method fits on every user's training artists.
"50 listeners" (--few): a young site, every method fits on 50 users picked at random (all
their artists) and ranks every other user from their training artists (ALS folds them in,
the item-item methods read their rows); the tags stay those of every user, standing in for
what Last.fm knows of every artist, and "vinilogy tags only" is the engine without
co-listening, as the product runs below COLISTEN_MIN_LISTENERS.

"vinilogy" is recommendations.engine with its documented defaults: fit_model, then
rank_batch, the same code the product runs; "vinilogy from artifact" is that model written as a
model version's .npz and memory-mapped back, as web and workers load it (the same figures are
the check that the artifact loses nothing). "vinilogy Spark (artifact)" (--spark) is the Spark
trainer (recommendations.engine.trainers.SparkTrainer, local[2]): the same blend computed with
Spark's DataFrame operations, through the same artifact. "vinilogy positive rows" ranks from the model
rebuilt from its positive neighbour rows only (if the product stores no "_negative" rows);
--min-common N adds the engine with its shared-listener filter at N (the product's
COLISTEN_MIN_SHARED_LISTENERS). The tag
source is built from user_taggedartists.dat without the tags users gave to their own
held-out artists (that would leak the answer). The data is non-commercial: it is read in
place, never copied.
"""

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
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
    load_model,
    model_from_rows,
    neighbour_rows,
    rank_artists,
    rank_batch,
    save_model,
)
from recommendations.engine.ranking import top_k  # noqa: E402
from recommendations.engine.trainers import SparkTrainer, spark_available  # noqa: E402

K = 20
# The Spark row's driver heap: EASE's inverse over HetRec's 17.6k artists runs out of the
# trainer's default 2 GB (settings.SPARK_DRIVER_MEMORY for the site's own fits).
SPARK_DRIVER_MEMORY = os.environ.get("SPARK_DRIVER_MEMORY", "8g")
BATCH = 256
# Baseline settings, each tuned on seed 42 within the ranges the product owner suggested.
EASE_L2 = 2000.0  # on log1p plays; 200–4000 tried, 2000 best
ALS = dict(factors=64, regularization=20.0, alpha=1.0, iterations=15, random_state=0)


def log_plays(matrix) -> sparse.csr_matrix:
    logged = sparse.csr_matrix(matrix, dtype=np.float64, copy=True)
    logged.data = np.log1p(logged.data)
    return logged


@dataclass
class Regime:
    """What the methods fit on (`fit`: users × artists) and whom they rank: `data.users`,
    from their training rows. `fitted_rows` maps those users to their rows of `fit` (None
    when they are not in it: the few-listeners regime ranks users the fit never saw)."""

    name: str
    fit: sparse.csr_matrix
    data: Split
    fitted_rows: np.ndarray | None
    # Baseline name → its settings for this regime (EASE l2, ALS parameters); the defaults when absent.
    tuned: dict = field(default_factory=dict)


def usual_regime(data: Split) -> Regime:
    return Regime("every listener", data.train, data, data.users)


def few_listeners_regime(plays, data: Split, seed: int, listeners: int) -> Regime:
    """A young site: the methods fit on `listeners` users picked at random (all their artists)
    and rank every other user with held-out artists from their training rows."""
    fitted = np.random.default_rng(seed).choice(plays.shape[0], listeners, replace=False)
    keep = np.zeros(plays.shape[0])
    keep[fitted] = 1.0
    fit = sparse.csr_matrix(sparse.diags(keep) @ plays)
    return Regime(f"{listeners} listeners", fit, replace(data, users=np.setdiff1d(data.users, fitted)), None)


def cold_regime(plays, data: Split, seed: int, keep: int) -> Regime:
    """New listeners: a quarter of the test listeners (the same ones for every `keep`, drawn
    with the seed) keep only their `keep` most-played artists and are the only ones scored, on
    all their other artists; everyone else keeps their whole profile (train and held-out
    artists) as the community every method fits on."""
    plays = sparse.csr_matrix(plays)
    rng = np.random.default_rng([seed, 27])
    cold = np.sort(rng.choice(data.users, len(data.users) // 4, replace=False))
    hidden = np.zeros(plays.nnz, dtype=bool)
    for user in cold:
        start, end = plays.indptr[user], plays.indptr[user + 1]
        # Most played first; ties by artist column, so the cut does not depend on storage order.
        order = np.lexsort((plays.indices[start:end], -plays.data[start:end]))
        hidden[start + order[keep:]] = True
    coo = plays.tocoo()
    fit = sparse.csr_matrix((coo.data[~hidden], (coo.row[~hidden], coo.col[~hidden])), shape=plays.shape)
    test = sparse.csr_matrix((np.ones(hidden.sum()), (coo.row[hidden], coo.col[hidden])), shape=plays.shape)
    scored = np.flatnonzero(np.diff(test.indptr))
    return Regime(f"cold {keep}: {keep} artists each", fit, Split(fit, test, scored), scored)


def ranked_by(top_rows, regime: Regime) -> tuple[np.ndarray, float]:
    """(users × K top columns, ms per user) from a function of user rows → their top columns."""
    users = regime.data.users
    started = time.perf_counter()
    tops = [top_rows(regime, slice(start, start + BATCH)) for start in range(0, len(users), BATCH)]
    return np.vstack(tops), 1000 * (time.perf_counter() - started) / len(users)


def by_scores(score_rows):
    """A baseline's top columns: the engine's own top_k, so every method is cut the same way."""

    def top(regime: Regime, batch: slice):
        rows = regime.data.train[regime.data.users[batch]]
        fitted = None if regime.fitted_rows is None else regime.fitted_rows[batch]
        return top_k(score_rows(rows, fitted), rows > 0, np.zeros(rows.shape[1]), K)

    return top


def by_model(model):
    """The engine's evaluation path: rank_batch over the users' training rows."""
    return lambda regime, batch: rank_batch(regime.data.train[regime.data.users[batch]], model, k=K)[0]


def most_popular(fit, _tags):
    listeners = np.diff(fit.tocsc().indptr).astype(np.float64)
    return lambda rows, _fitted: np.tile(listeners, (rows.shape[0], 1))


def item_knn(fit, _tags, shrink=0.0):
    """Cosine between artists' log-play columns, every neighbour kept (sparse: co-listened pairs
    only); `shrink` is added to the norms' product, damping pairs few listeners share."""
    logged = log_plays(fit)
    norms = np.sqrt(np.asarray(logged.multiply(logged).sum(axis=0)).ravel())
    similarity = (logged.T @ logged).tocoo()
    similarity.data = similarity.data / np.maximum(norms[similarity.row] * norms[similarity.col] + shrink, 1e-12)
    similarity = similarity.tocsr()
    similarity.setdiag(0)
    return lambda rows, _fitted: (log_plays(rows) @ similarity).toarray()


def ease(fit, _tags, l2=EASE_L2):
    """EASE on log plays over the artists with 2+ listeners (a one-listener column has nothing
    to regress on, and the full 15k-artist inverse takes minutes on 2 cores)."""
    logged = log_plays(fit)
    columns = np.flatnonzero(np.diff(logged.tocsc().indptr) >= 2)
    subset = logged[:, columns].tocsr()
    gram = (subset.T @ subset).toarray()
    gram[np.diag_indices_from(gram)] += l2
    inverse = np.linalg.inv(gram)
    weights = -inverse / np.diag(inverse)
    np.fill_diagonal(weights, 0.0)

    def scores(rows, _fitted):
        full = np.full((rows.shape[0], logged.shape[1]), -1e9)
        full[:, columns] = log_plays(rows)[:, columns] @ weights
        return full

    return scores


def implicit_als(fit, _tags, **settings):
    """implicit's ALS; a user it was not fitted on is folded in (its recalculate_user: one
    least-squares step against the artist factors), as a deployed ALS serves a new listener."""
    from implicit.als import AlternatingLeastSquares

    model = AlternatingLeastSquares(calculate_training_loss=False, **{**ALS, **settings})
    model.fit(log_plays(fit).astype(np.float32), show_progress=False)
    users_f, items_f = (np.asarray(getattr(f, "to_numpy", lambda f=f: f)()) for f in (model.user_factors, model.item_factors))

    def scores(rows, fitted):
        if fitted is not None:
            return users_f[fitted] @ items_f.T
        folded = model.recalculate_user(np.arange(rows.shape[0]), log_plays(rows).astype(np.float32))
        return np.asarray(getattr(folded, "to_numpy", lambda: folded)()) @ items_f.T

    return scores


BASELINES = {"most-popular": most_popular, "item-kNN cosine": item_knn, "EASE": ease, "implicit ALS": implicit_als}


def fit_vinilogy(listening: Listening, fit, tags, config=DEFAULT_CONFIG):
    """(model, fit seconds) of our engine."""
    started = time.perf_counter()
    model = fit_model(fit, listening.artist_ids, artist_tags=tags, config=config)
    return model, time.perf_counter() - started


def through_artifact(model):
    """The model as the product ranks from it: written as a version's .npz, then memory-mapped back."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "model.npz"
        save_model(model, path, compressed=False)
        loaded = load_model(path, model.config, mmap=True)
        print(f"artifact: {path.stat().st_size / 1e6:.1f} MB uncompressed, {sum(m.nnz for m in model.sources().values())} edges")
    return loaded  # the mapping outlives the directory's name on POSIX


def spark_variant(listening: Listening, fit, tags, fit_times) -> dict:
    """The Spark trainer (local mode, the same blend) writing the same artifact, or why it cannot run."""
    missing = spark_available()
    if missing:
        print(f"Spark trainer skipped: {missing}")
        return {}
    started = time.perf_counter()
    model = SparkTrainer(driver_memory=SPARK_DRIVER_MEMORY).fit(fit, listening.artist_ids, artist_tags=tags)
    fit_times["vinilogy Spark"] = time.perf_counter() - started
    return {"vinilogy Spark (artifact)": through_artifact(model)}


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
    return f"| {method:<28} | {m.recall:9.4f} | {m.ndcg:7.4f} | {m.hit_rate:10.4f} | {m.coverage:11.4f} | {ms:7.2f} |"


def run_seed(
    listening: Listening, data_dir: Path, seed: int, skip: set[str], min_common: int = 0, few: int = 50, spark=False
) -> None:
    data = split(listening.plays, seed)
    tags = load_artist_tags(data_dir, listening, data.test)
    users, n_artists = listening.plays.shape[0], len(listening.artist_ids)
    print(f"\nseed {seed}: {users} users, {n_artists} artists, {data.test.nnz} held-out pairs")
    usual = usual_regime(data)
    extra = {f"vinilogy common{min_common}": replace(DEFAULT_CONFIG, min_common_listeners=min_common)} if min_common else {}
    model = run_regime(usual, listening, tags, skip, extra, positive_rows=True, spark=spark)
    print(f"vinilogy rank_artists (one user, the product's call): median {single_user_ms(listening, data, model):.2f} ms")
    # A young site. The second engine row never fits co-listening, as the product does below
    # COLISTEN_MIN_LISTENERS: the tags alone (HetRec has no Last.fm similar artists to stand in
    # for the product's external edges), so the two rows say what co-listening adds at `few`.
    if not few:
        return
    tags_only = {"vinilogy tags only": replace(DEFAULT_CONFIG, min_listeners=few + 1)}
    run_regime(few_listeners_regime(listening.plays, data, seed, few), listening, tags, skip, tags_only)


# Baseline settings for the cold regimes, tuned with --tune-baselines on the truncated data of
# seed 2 (never 42 or 1, the reporting seeds), cold 3 (item-kNN also at 5, the same choice):
# item-kNN shrink 0–20 → 20; EASE l2 100–4000 → 4000; ALS factors 32/64/128 × regularization
# 1/20 × alpha 1/5 → 64, 20, 1 (the defaults). EASE and item-kNN were still improving at the
# grid's edge: a wider grid may lift them (not run for lack of machine time).
COLD_BASELINES = {"item-kNN cosine": dict(shrink=20.0), "EASE": dict(l2=4000.0), "implicit ALS": dict(ALS)}
COLD_TUNED: dict[int, dict] = {3: COLD_BASELINES, 5: COLD_BASELINES, 10: COLD_BASELINES}
TUNING_GRID = {
    "item-kNN cosine": [dict(shrink=h) for h in (0.0, 1.0, 5.0, 20.0)],
    "EASE": [dict(l2=l2) for l2 in (100.0, 300.0, 1000.0, 2000.0, 4000.0)],
    "implicit ALS": [dict(factors=f, regularization=r, alpha=a) for f in (32, 64, 128) for r in (1.0, 20.0) for a in (1.0, 5.0)],
}


def run_cold(listening: Listening, data_dir: Path, seed: int, keep: int, skip: set[str], tune=False) -> None:
    """The cold-start table: new listeners who named `keep` artists, the baselines tuned on
    the same truncated data; with `tune`, every setting of TUNING_GRID instead."""
    regime = cold_regime(listening.plays, split(listening.plays, seed), seed, keep)
    regime.tuned = COLD_TUNED.get(keep, {})
    tags = load_artist_tags(data_dir, listening, regime.data.test)
    print(f"\nseed {seed}, {regime.name}: {regime.data.test.nnz} hidden pairs")
    if tune:
        tune_baselines(regime, listening, tags, skip)
        return
    # The cold path is a ranking-time rule: the same fitted model, ranked without it.
    without = {"vinilogy without cold path": replace(DEFAULT_CONFIG, cold_profile_size=0)}
    run_regime(regime, listening, tags, skip, {}, ranking_configs=without)


def tune_baselines(regime: Regime, listening: Listening, tags, skip) -> None:
    n_artists = len(listening.artist_ids)
    for name, settings in TUNING_GRID.items():
        if name in skip:
            continue
        for setting in settings:
            top, _ = ranked_by(by_scores(BASELINES[name](regime.fit, tags, **setting)), regime)
            m = evaluate(top, regime.data.test, regime.data.users, n_artists)
            print(f"tune {name} {setting}: NDCG@20 {m.ndcg:.4f} coverage@20 {m.coverage:.4f}", flush=True)


def run_regime(
    regime: Regime, listening: Listening, tags, skip, extra_configs, positive_rows=False, spark=False, ranking_configs=None
):
    """Prints one table: every baseline and the engine (with `extra_configs` beside it) fitted
    on the regime's listeners; returns the engine's default model."""
    ranked, n_artists, test = regime.data.users, len(listening.artist_ids), regime.data.test
    fitted_on = int(regime.fit.getnnz(axis=1).astype(bool).sum())
    print(f"\n{regime.name}: fitted on {fitted_on} users, {len(ranked)} users ranked")
    print("| method                       | Recall@20 | NDCG@20 | HitRate@20 | Coverage@20 | ms/user |")
    print("|------------------------------|-----------|---------|------------|-------------|---------|")
    fit_times = {}
    for name, build in BASELINES.items():
        if name in skip:
            continue
        started = time.perf_counter()
        score_rows = build(regime.fit, tags, **regime.tuned.get(name, {}))
        fit_times[name] = time.perf_counter() - started
        top, ms = ranked_by(by_scores(score_rows), regime)
        print(row(name, evaluate(top, test, ranked, n_artists), ms), flush=True)
    model, fit_times["vinilogy"] = fit_vinilogy(listening, regime.fit, tags)
    variants = {"vinilogy": model}
    if positive_rows:
        variants["vinilogy from artifact"] = through_artifact(model)
        variants["vinilogy positive rows"] = positive_rows_only(model, listening)
        if spark:
            variants.update(spark_variant(listening, regime.fit, tags, fit_times))
    variants.update({name: fit_vinilogy(listening, regime.fit, tags, config)[0] for name, config in extra_configs.items()})
    variants.update({name: replace(model, config=config) for name, config in (ranking_configs or {}).items()})
    for name, variant in variants.items():
        top, ms = ranked_by(by_model(variant), regime)
        print(row(name, evaluate(top, test, ranked, n_artists), ms), flush=True)
    print("fit seconds: " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in fit_times.items()), flush=True)
    return model


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--seeds", help="comma-separated seeds, run one after the other (overrides --seed)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with HetRec's user_artists.dat etc.")
    parser.add_argument(
        "--min-common", type=int, default=0, help="also rank with the shared-listener filter at this many listeners"
    )
    parser.add_argument("--few", type=int, default=50, help="listeners the few-listeners regime fits on (0: no such table)")
    parser.add_argument("--spark", action="store_true", help="also fit with the Spark trainer (pyspark + Java, local mode)")
    parser.add_argument(
        "--cold", help="comma-separated profile sizes (e.g. 3,5,10): only the cold-start tables, for new listeners"
    )
    parser.add_argument("--tune-baselines", action="store_true", help="with --cold: print every baseline setting's figures")
    parser.add_argument("--skip", default="", help="comma-separated baselines to leave out, e.g. 'EASE,implicit ALS'")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else [args.seed]
    skip = {name.strip() for name in args.skip.split(",") if name.strip()}
    listening = load_listening(args.data)
    for seed in seeds:
        if args.cold:
            for keep in (int(n) for n in args.cold.split(",")):
                run_cold(listening, args.data, seed, keep, skip, args.tune_baselines)
            continue
        run_seed(listening, args.data, seed, skip, args.min_common, args.few, args.spark)


if __name__ == "__main__":
    main()
