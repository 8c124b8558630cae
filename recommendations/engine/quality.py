"""Held-out quality of a fit on our own listeners, recorded beside each model version.

The protocol of benchmarks/recommendation_quality.py on a slice of the site's listeners: each
sampled listener with at least 5 artists has a random 20% of them hidden, the model is fitted
on everything else, and NDCG@20 (binary relevance, ideal DCG over min(|hidden|, 20)) says how
well their hidden artists are ranked from the rest.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .model import ArtistModel
from .ranking import rank_batch

MIN_ARTISTS_TO_SPLIT = 5
HIDDEN_SHARE = 0.2
K = 20


@dataclass(frozen=True)
class Quality:
    ndcg: float
    listeners: int  # how many listeners were scored (0: too few to say)


def holdout_split(plays: sparse.csr_matrix, listeners: int, seed: int = 0):
    """(train matrix, hidden matrix, rows of the sampled listeners)."""
    plays = sparse.csr_matrix(plays)
    rng = np.random.default_rng(seed)
    eligible = np.flatnonzero(np.diff(plays.indptr) >= MIN_ARTISTS_TO_SPLIT)
    sampled = np.sort(rng.choice(eligible, min(listeners, len(eligible)), replace=False)) if len(eligible) else eligible
    hidden = np.zeros(plays.nnz, dtype=bool)
    for row in sampled:
        start, end = plays.indptr[row], plays.indptr[row + 1]
        hidden[start + rng.choice(end - start, int(round(HIDDEN_SHARE * (end - start))), replace=False)] = True
    coo = plays.tocoo()
    train = sparse.csr_matrix((coo.data[~hidden], (coo.row[~hidden], coo.col[~hidden])), shape=plays.shape)
    test = sparse.csr_matrix((np.ones(hidden.sum()), (coo.row[hidden], coo.col[hidden])), shape=plays.shape)
    return train, test, sampled


def ndcg_at_k(top: np.ndarray, test: sparse.csr_matrix, rows: np.ndarray, k: int = K) -> float:
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    held = test[rows].tocsr()
    hits = (np.asarray(held[np.arange(len(rows))[:, None], np.maximum(top, 0)].todense()) > 0) & (top >= 0)
    ideal = np.cumsum(discount)[np.minimum(np.diff(held.indptr), k) - 1]
    return float(np.mean((hits * discount[: top.shape[1]]).sum(axis=1) / ideal))


def holdout_quality(plays, fit: Callable[[sparse.csr_matrix], ArtistModel], *, listeners=200, seed=0) -> Quality:
    """NDCG@20 of `fit` (train matrix → model) on `listeners` sampled listeners' hidden artists."""
    train, test, rows = holdout_split(plays, listeners, seed)
    if not len(rows):
        return Quality(0.0, 0)
    model = fit(train)
    top, _ = rank_batch(train[rows], model, k=K)
    return Quality(round(ndcg_at_k(top, test, rows), 4), len(rows))
