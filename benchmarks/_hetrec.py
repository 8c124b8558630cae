"""HetRec 2011 Last.fm 2K for the recommendation-quality benchmark: loading, split, metrics.

The data is licensed for non-commercial use only, so it never enters the repository: it is
read from /work/shared/data/hetrec-lastfm-2k/ (or --data). See that folder's SOURCES.md.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

DEFAULT_DATA = Path("/work/shared/data/hetrec-lastfm-2k")
TEST_SHARE = 0.2
# Users with fewer artists than this keep them all in train: a 20% hold-out of 3 is noise.
MIN_ARTISTS_TO_SPLIT = 5


@dataclass
class Listening:
    plays: sparse.csr_matrix  # users × artists play counts
    user_ids: np.ndarray
    artist_ids: np.ndarray  # the full catalog: every artist of artists.dat and user_artists.dat


@dataclass
class Split:
    train: sparse.csr_matrix
    test: sparse.csr_matrix  # 1 where a held-out (user, artist) pair is
    users: np.ndarray  # rows with at least one held-out artist: the users evaluated


def _table(path: Path) -> np.ndarray:
    return np.loadtxt(path, delimiter="\t", skiprows=1, dtype=np.int64, usecols=(0, 1, 2), ndmin=2)


def load_listening(data: Path = DEFAULT_DATA) -> Listening:
    rows = _table(data / "user_artists.dat")
    catalog = np.loadtxt(data / "artists.dat", delimiter="\t", skiprows=1, dtype=np.int64, usecols=(0,), comments=None, ndmin=1)
    user_ids, users = np.unique(rows[:, 0], return_inverse=True)
    artist_ids = np.union1d(catalog, rows[:, 1])
    artists = np.searchsorted(artist_ids, rows[:, 1])
    plays = sparse.csr_matrix((rows[:, 2].astype(np.float64), (users, artists)), shape=(len(user_ids), len(artist_ids)))
    return Listening(plays, user_ids, artist_ids)


def split(plays: sparse.csr_matrix, seed: int) -> Split:
    """Per user, a random 20% of their artists held out (none for users with fewer than 5)."""
    rng = np.random.default_rng(seed)
    held = np.zeros(plays.nnz, dtype=bool)
    for start, end in zip(plays.indptr[:-1], plays.indptr[1:]):
        if end - start >= MIN_ARTISTS_TO_SPLIT:
            held[start + rng.choice(end - start, int(round(TEST_SHARE * (end - start))), replace=False)] = True
    coo = plays.tocoo()
    train = sparse.csr_matrix((coo.data[~held], (coo.row[~held], coo.col[~held])), shape=plays.shape)
    test = sparse.csr_matrix((np.ones(held.sum()), (coo.row[held], coo.col[held])), shape=plays.shape)
    return Split(train, test, np.flatnonzero(np.diff(test.indptr)))


def load_artist_tags(data: Path, listening: Listening, hidden: sparse.csr_matrix) -> sparse.csr_matrix:
    """Artists × tags counts from user_taggedartists.dat, without the held-out pairs' tags.

    A user tagging an artist shows they know it: keeping the tags a user gave to their own
    held-out artists would leak the answer into the model.
    """
    rows = _table(data / "user_taggedartists.dat")
    known = np.isin(rows[:, 1], listening.artist_ids)
    rows = rows[known]
    artists = np.searchsorted(listening.artist_ids, rows[:, 1])
    users_known = np.isin(rows[:, 0], listening.user_ids)
    users = np.searchsorted(listening.user_ids, rows[users_known, 0])
    leaked = np.zeros(len(rows), dtype=bool)
    leaked[users_known] = np.asarray(hidden[users, artists[users_known]]).ravel() > 0
    tag_ids, tags = np.unique(rows[~leaked, 2], return_inverse=True)
    counts = np.ones(len(tags))
    return sparse.csr_matrix((counts, (artists[~leaked], tags)), shape=(len(listening.artist_ids), len(tag_ids)))


@dataclass
class Metrics:
    recall: float
    ndcg: float
    hit_rate: float
    coverage: float


def evaluate(top: np.ndarray, test: sparse.csr_matrix, users: np.ndarray, n_artists: int) -> Metrics:
    """Recall, NDCG (binary relevance, ideal DCG over min(|test|, k)), hit rate and catalog
    coverage (share of all artists in anyone's top k) of `top` (users × k columns, −1 = none)."""
    k = top.shape[1]
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    held = test[users].tocsr()
    hits = np.asarray(held[np.arange(len(users))[:, None], np.maximum(top, 0)].todense()) > 0
    hits &= top >= 0
    sizes = np.diff(held.indptr)
    ideal = np.cumsum(discount)[np.minimum(sizes, k) - 1]
    shown = np.unique(top[top >= 0])
    return Metrics(
        recall=float(np.mean(hits.sum(axis=1) / sizes)),
        ndcg=float(np.mean((hits * discount).sum(axis=1) / ideal)),
        hit_rate=float(np.mean(hits.any(axis=1))),
        coverage=len(shown) / n_artists,
    )
