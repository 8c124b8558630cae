"""The fitted artist model: what the periodic job computes and the ranking stage reads.

`fit_model` turns a users × artists listening matrix (and, optionally, an artists × tags
matrix) into an `ArtistModel`: two sparse artists × artists neighbour matrices with scores
in 0–1, at most `neighbours` per artist,

* `colisten`: EASE and RP3beta blended (see similarity.py for why both), and
* `tags`: artists described alike (None when no tags were given),

plus each artist's listener count, used to fill a short ranking with popular artists.

Storing it: `neighbour_rows(model)` yields (artist id, neighbour id, score 0–1, source) in the
shape of catalog.ArtistSimilarity, and `model_from_rows` builds the model back from them;
`save_model`/`load_model` do the same through one .npz file. The truncation to the top
`neighbours` per artist happens at fit time, so the stored rows ARE the model: ranking from
them gives exactly what the benchmark measured.
"""
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .similarity import ease_neighbours, listeners, rp3beta_neighbours, tag_neighbours
from .weighting import rank_damped


@dataclass(frozen=True)
class EngineConfig:
    """Hyper-parameters, tuned on HetRec Last.fm seeds 1, 2, 3 and 42 (never per seed)."""

    # Neighbours kept per artist: the size of what is stored.
    neighbours: int = 300
    # Privacy: a pair of artists needs this many listeners in common to be linked.
    min_common_listeners: int = 2
    # EASE ridge penalty; higher shrinks towards popular artists.
    ease_l2: float = 100.0
    # Popularity penalty (listeners**-beta) on suggested artists, for EASE and RP3beta.
    ease_beta: float = 0.3
    rp3_beta: float = 0.3
    rp3_alpha: float = 1.0
    # EASE inverts an artists² matrix: only artists with this many listeners, at most this many.
    ease_min_listeners: int = 2
    ease_max_artists: int = 20_000
    # Share of RP3beta in the co-listening blend (the rest is EASE).
    rp3_share: float = 0.2
    # Weight of the tag neighbours next to co-listening (1) when ranking.
    tag_weight: float = 0.2
    # Default weight of external edges (Last.fm similar artists) when a caller passes them.
    external_weight: float = 0.5


DEFAULT_CONFIG = EngineConfig()


@dataclass
class ArtistModel:
    """Neighbour matrices over the columns `artist_ids` (any hashable ids, usually ints)."""

    artist_ids: np.ndarray
    colisten: sparse.csr_matrix
    listeners: np.ndarray
    tags: sparse.csr_matrix | None = None
    config: EngineConfig = DEFAULT_CONFIG
    _index: dict = field(default=None, init=False, repr=False)

    @property
    def n_artists(self) -> int:
        return len(self.artist_ids)

    def column_of(self) -> dict:
        """Artist id → column, built once."""
        if self._index is None:
            self._index = {artist_id: column for column, artist_id in enumerate(self.artist_ids.tolist())}
        return self._index


def fit_model(plays, artist_ids=None, *, artist_tags=None, config: EngineConfig = DEFAULT_CONFIG) -> ArtistModel:
    """Fit from users × artists weights (plays, or any score where more means liked more).

    Include every artist the product may recommend as a column, even with no listener: only
    artists that are columns can be reached through tags or external edges.
    """
    plays = sparse.csr_matrix(plays, dtype=np.float64)
    ids = np.arange(plays.shape[1]) if artist_ids is None else np.asarray(artist_ids)
    weighted = rank_damped(plays)
    tags = None if artist_tags is None else scaled_to_one(tag_neighbours(artist_tags, k=config.neighbours))
    return ArtistModel(ids, colisten_neighbours(weighted, config), listeners(weighted), tags, config)


def colisten_neighbours(weighted, config: EngineConfig) -> sparse.csr_matrix:
    """EASE and RP3beta, each scaled to a typical strongest neighbour of 1, blended, top-k, 0–1."""
    common = dict(k=config.neighbours, min_common=config.min_common_listeners)
    ease = ease_neighbours(
        weighted,
        l2=config.ease_l2,
        beta=config.ease_beta,
        min_listeners=config.ease_min_listeners,
        max_artists=config.ease_max_artists,
        **common,
    )
    walk = rp3beta_neighbours(weighted, alpha=config.rp3_alpha, beta=config.rp3_beta, **common)
    blend = (1 - config.rp3_share) * typical_scaled(ease) + config.rp3_share * typical_scaled(walk)
    return scaled_to_one(top_k_sparse(blend, config.neighbours))


def typical_scaled(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Divided by the mean of its rows' strongest entries, so two fits blend on equal terms."""
    strongest = matrix.max(axis=1).toarray().ravel()
    strongest = strongest[strongest > 0]
    return matrix / strongest.mean() if len(strongest) else matrix


def scaled_to_one(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Divided by its largest entry: scores fit catalog.ArtistSimilarity's 0–1 range."""
    largest = matrix.max() if matrix.nnz else 0.0
    return sparse.csr_matrix(matrix / largest) if largest > 0 else sparse.csr_matrix(matrix)


def top_k_sparse(matrix, k: int) -> sparse.csr_matrix:
    """The `k` largest positive entries of each row of a sparse matrix."""
    matrix = sparse.csr_matrix(matrix)
    rows, columns, values = [], [], []
    for row, (start, end) in enumerate(zip(matrix.indptr[:-1], matrix.indptr[1:])):
        data, cols = matrix.data[start:end], matrix.indices[start:end]
        keep = np.lexsort((cols, -data))[:k]
        keep = keep[data[keep] > 0]
        rows.append(np.full(len(keep), row))
        columns.append(cols[keep])
        values.append(data[keep])
    stacked = [np.concatenate(part) if part else np.array([]) for part in (values, rows, columns)]
    return sparse.csr_matrix((stacked[0], (stacked[1], stacked[2])), shape=matrix.shape)


# --- storage ---------------------------------------------------------------------------------------

COLISTEN, TAGS = "colisten", "tags"


def neighbour_rows(model: ArtistModel) -> Iterator[tuple[object, object, float, str]]:
    """(artist id, neighbour id, score 0–1, source) for every stored edge, strongest first per artist."""
    for source, matrix in ((COLISTEN, model.colisten), (TAGS, model.tags)):
        if matrix is None:
            continue
        for row, (start, end) in enumerate(zip(matrix.indptr[:-1], matrix.indptr[1:])):
            order = start + np.argsort(-matrix.data[start:end], kind="stable")
            for position in order:
                yield model.artist_ids[row], model.artist_ids[matrix.indices[position]], float(matrix.data[position]), source


def model_from_rows(rows: Iterable[tuple[object, object, float, str]], artist_ids, listener_counts, config: EngineConfig = DEFAULT_CONFIG) -> ArtistModel:
    """The model back from stored rows; `listener_counts` is aligned with `artist_ids`."""
    ids = np.asarray(artist_ids)
    column = {artist_id: n for n, artist_id in enumerate(ids.tolist())}
    edges = {COLISTEN: ([], [], []), TAGS: ([], [], [])}
    for artist_id, neighbour_id, score, source in rows:
        if artist_id in column and neighbour_id in column and source in edges:
            for part, value in zip(edges[source], (score, column[artist_id], column[neighbour_id])):
                part.append(value)
    shape = (len(ids), len(ids))
    matrices = {source: sparse.csr_matrix((s, (r, c)), shape=shape) for source, (s, r, c) in edges.items()}
    tags = matrices[TAGS] if matrices[TAGS].nnz else None
    return ArtistModel(ids, matrices[COLISTEN], np.asarray(listener_counts, dtype=np.float64), tags, config)


def save_model(model: ArtistModel, path) -> None:
    """One .npz: the ids, the listener counts and the sparse matrices (tags may be absent)."""
    arrays = {"artist_ids": model.artist_ids, "listeners": model.listeners}
    for name, matrix in (("colisten", model.colisten), ("tags", model.tags)):
        if matrix is not None:
            arrays |= {f"{name}_{part}": getattr(matrix, part) for part in ("data", "indices", "indptr")}
    np.savez_compressed(path, **arrays)


def load_model(path, config: EngineConfig = DEFAULT_CONFIG) -> ArtistModel:
    with np.load(path, allow_pickle=False) as saved:
        shape = (len(saved["artist_ids"]), len(saved["artist_ids"]))

        def matrix(name):
            if f"{name}_data" not in saved:
                return None
            return sparse.csr_matrix((saved[f"{name}_data"], saved[f"{name}_indices"], saved[f"{name}_indptr"]), shape=shape)

        return ArtistModel(saved["artist_ids"], matrix("colisten"), saved["listeners"], matrix("tags"), config)
