"""The fitted artist model: what the periodic job computes and the ranking stage reads.

`fit_model` turns a users × artists listening matrix (and, optionally, an artists × tags
matrix) into an `ArtistModel`: up to four sparse artists × artists neighbour matrices, each row
an artist the listener has, each column an artist to suggest:

* `ease`: EASE weights, the `ease_neighbours` strongest per artist *with their sign*
  (a negative weight says "listeners of X tend not to have Y"); the main source, stored
  under the name "colisten";
* `walk`: RP3beta, positive, which reaches further into the long tail;
* `factors`: implicit ALS turned into item-item weights (see factors.py), signed;
* `tags`: artists described alike (None when no tags were given),

plus each artist's listener count, used to fill a short ranking with popular artists.
Each matrix is scaled so its largest absolute entry is 1.

Storing it. Either the .npz of `save_model`/`load_model` (float32 scores; on HetRec 15 M
edges, 68 MB), or rows for catalog.ArtistSimilarity: `neighbour_rows` yields
(artist id, neighbour id, score 0–1, source), a negative edge as its magnitude under
"<source>_negative" (e.g. "colisten_negative"), and `model_from_rows` builds the same
model back; a consumer that stores only some sources gets a model of those. Most stored EASE
edges are negative; storing only the positive ones (`negative=False`, 9.3 M rows instead of
15 M) costs about 0.001 NDCG@20 and 0.01 coverage on HetRec — the benchmark prints that
variant as "vinilogy positive rows".
"""
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .factors import als_item_factors, factor_neighbours
from .similarity import ease_neighbours, listeners, rp3beta_neighbours, tag_neighbours
from .weighting import rank_damped


@dataclass(frozen=True)
class EngineConfig:
    """Hyper-parameters, tuned once on HetRec Last.fm seeds 1, 2, 3 and 42 (never per seed)."""

    # EASE ridge penalty: l2 + diagonal_l2 × the artist's own weight sum.
    ease_l2: float = 70.0
    ease_diagonal_l2: float = 1.0
    # Popularity penalty (listeners**-beta) on the artists each source suggests: lifts
    # accuracy a little and catalog coverage a lot (EASE alone: 0.08 → 0.18 at 0.25).
    ease_beta: float = 0.25
    rp3_beta: float = 0.3
    rp3_alpha: float = 1.0
    als_beta: float = 0.2
    # ALS: 64 taste dimensions, confidence alpha × damped weight (10–20 on 0.5–1 weights),
    # l2 of the listener's fold-in; seeded, so a refit on the same data gives the same model.
    als_factors: int = 64
    als_regularization: float = 20.0
    als_alpha: float = 20.0
    als_iterations: int = 15
    als_l2: float = 20.0
    als_seed: int = 0
    # EASE inverts an artists² matrix: only artists with this many listeners, at most this many.
    ease_min_listeners: int = 2
    ease_max_artists: int = 20_000
    # Neighbours kept per artist and source: the size of what is stored.
    ease_neighbours: int = 1000
    rp3_neighbours: int = 300
    als_neighbours: int = 300
    tag_neighbours: int = 300
    # Trust: a pair of artists needs this many listeners in common to be linked (0: no
    # filter; negative weights are never filtered). On HetRec seed 42, 1 costs 0.0004 NDCG@20
    # and 0.007 coverage; 2 costs 0.004 and a third of the coverage (below the 0.15 bar).
    min_common_listeners: int = 1
    # Below this many listeners the co-listening sources (EASE, random walk, factors) are not
    # fitted and only the tags (and a caller's external edges) rank. 0 here (fit whatever is
    # given); the product's threshold is the COLISTEN_MIN_LISTENERS setting.
    min_listeners: int = 0
    # Weights of each source when ranking, EASE counting 1.
    rp3_weight: float = 0.1
    als_weight: float = 0.2
    tag_weight: float = 0.2
    # Default weight of external edges (Last.fm similar artists) when a caller passes them.
    external_weight: float = 0.5


DEFAULT_CONFIG = EngineConfig()
# One listener's artists are not co-listening: nothing links them but that one person.
MIN_COLISTENERS = 2


@dataclass
class ArtistModel:
    """Neighbour matrices over the columns `artist_ids` (any hashable ids, usually ints)."""

    artist_ids: np.ndarray
    listeners: np.ndarray
    ease: sparse.csr_matrix
    walk: sparse.csr_matrix
    factors: sparse.csr_matrix
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

    def sources(self) -> dict[str, sparse.csr_matrix]:
        """Source name → neighbour matrix, for those the model has."""
        named = {EASE: self.ease, WALK: self.walk, FACTORS: self.factors, TAGS: self.tags}
        return {name: matrix for name, matrix in named.items() if matrix is not None}


# Source names of the stored rows. EASE, the main co-listening source, is stored as
# "colisten": the name catalog.Source and recommendations.colisten already use.
EASE, WALK, FACTORS, TAGS = "colisten", "rp3beta", "als", "tags"
COLISTEN = EASE


def fit_model(plays, artist_ids=None, *, artist_tags=None, config: EngineConfig = DEFAULT_CONFIG) -> ArtistModel:
    """Fit from users × artists weights (plays, or any score where more means liked more).

    Include every artist the product may recommend as a column, even with no listener: only
    artists that are columns can be reached through tags or external edges.
    """
    plays = sparse.csr_matrix(plays, dtype=np.float64)
    ids = np.arange(plays.shape[1]) if artist_ids is None else np.asarray(artist_ids)
    weighted = rank_damped(plays)
    tags = None if artist_tags is None else unit_scaled(tag_neighbours(artist_tags, k=config.tag_neighbours))
    if listening_users(weighted) < max(config.min_listeners, MIN_COLISTENERS):
        empty = sparse.csr_matrix((len(ids), len(ids)))
        return ArtistModel(ids, listeners(weighted), empty, empty, empty, tags, config)
    ease = ease_neighbours(
        weighted,
        l2=config.ease_l2,
        diagonal_l2=config.ease_diagonal_l2,
        beta=config.ease_beta,
        k=config.ease_neighbours,
        min_common=config.min_common_listeners,
        min_listeners=config.ease_min_listeners,
        max_artists=config.ease_max_artists,
    )
    walk = rp3beta_neighbours(
        weighted,
        alpha=config.rp3_alpha,
        beta=config.rp3_beta,
        k=config.rp3_neighbours,
        min_common=config.min_common_listeners,
    )
    factors = unit_scaled(fit_factor_neighbours(weighted, config))
    return ArtistModel(ids, listeners(weighted), unit_scaled(ease), unit_scaled(walk), factors, tags, config)


def listening_users(weighted) -> int:
    return int(np.count_nonzero(weighted.getnnz(axis=1)))


def fit_factor_neighbours(weighted, config: EngineConfig) -> sparse.csr_matrix:
    artist_factors = als_item_factors(
        weighted,
        factors=config.als_factors,
        regularization=config.als_regularization,
        alpha=config.als_alpha,
        iterations=config.als_iterations,
        seed=config.als_seed,
    )
    return factor_neighbours(
        weighted,
        artist_factors,
        l2=config.als_l2,
        beta=config.als_beta,
        k=config.als_neighbours,
        min_common=config.min_common_listeners,
    )


def unit_scaled(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Divided by its largest absolute entry, so positive scores fit ArtistSimilarity's 0–1.

    Ranking divides each source by the listener's best score anyway, so this changes no ranking.
    """
    largest = abs(matrix).max() if matrix.nnz else 0.0
    return sparse.csr_matrix(matrix / largest) if largest > 0 else sparse.csr_matrix(matrix)


# --- storage ---------------------------------------------------------------------------------------


NEGATIVE = "_negative"


def neighbour_rows(model: ArtistModel, *, negative: bool = True) -> Iterator[tuple[object, object, float, str]]:
    """(artist id, neighbour id, score 0–1, source) for every edge, strongest first per artist.

    ArtistSimilarity scores are 0–1, so a negative edge is yielded as its magnitude under
    "<source>_negative" (e.g. "colisten_negative"), and `model_from_rows` turns it back. With
    `negative=False` they are left out: fewer rows, slightly worse rankings.
    """
    ids = model.artist_ids.tolist()  # plain Python ids, not numpy scalars
    for source, matrix in model.sources().items():
        for row, (start, end) in enumerate(zip(matrix.indptr[:-1], matrix.indptr[1:])):
            for position in start + np.argsort(-np.abs(matrix.data[start:end]), kind="stable"):
                score, neighbour = float(matrix.data[position]), ids[matrix.indices[position]]
                if score > 0:
                    yield ids[row], neighbour, score, source
                elif score < 0 and negative:
                    yield ids[row], neighbour, -score, source + NEGATIVE


def model_from_rows(
    rows: Iterable[tuple[object, object, float, str]], artist_ids, listener_counts, config: EngineConfig = DEFAULT_CONFIG
) -> ArtistModel:
    """The model back from stored rows; `listener_counts` is aligned with `artist_ids`.

    Rows naming an artist outside `artist_ids`, or an unknown source, are ignored.
    """
    ids = np.asarray(artist_ids)
    column = {artist_id: n for n, artist_id in enumerate(ids.tolist())}
    edges = {source: ([], [], []) for source in (EASE, WALK, FACTORS, TAGS)}
    for artist_id, neighbour_id, score, source in rows:
        sign = -1.0 if source.endswith(NEGATIVE) else 1.0
        parts = edges.get(source.removesuffix(NEGATIVE))
        if parts is not None and artist_id in column and neighbour_id in column:
            for part, value in zip(parts, (sign * score, column[artist_id], column[neighbour_id])):
                part.append(value)
    shape = (len(ids), len(ids))
    matrices = {source: sparse.csr_matrix((s, (r, c)), shape=shape) for source, (s, r, c) in edges.items()}
    tags = matrices[TAGS] if matrices[TAGS].nnz else None
    counts = np.asarray(listener_counts, dtype=np.float64)
    return ArtistModel(ids, counts, matrices[EASE], matrices[WALK], matrices[FACTORS], tags, config)


def save_model(model: ArtistModel, path) -> None:
    """One .npz: the ids, the listener counts and each source's sparse matrix (float32)."""
    arrays = {"artist_ids": model.artist_ids, "listeners": model.listeners}
    for name, matrix in model.sources().items():
        arrays[f"{name}_data"] = matrix.data.astype(np.float32)
        arrays[f"{name}_indices"], arrays[f"{name}_indptr"] = matrix.indices, matrix.indptr
    np.savez_compressed(path, **arrays)


def load_model(path, config: EngineConfig = DEFAULT_CONFIG) -> ArtistModel:
    with np.load(path, allow_pickle=False) as saved:
        ids = saved["artist_ids"]
        empty = sparse.csr_matrix((len(ids), len(ids)))

        def matrix(name):
            if f"{name}_data" not in saved:
                return None
            parts = (saved[f"{name}_data"].astype(np.float64), saved[f"{name}_indices"], saved[f"{name}_indptr"])
            return sparse.csr_matrix(parts, shape=(len(ids), len(ids)))

        ease, walk, factors = (empty if m is None else m for m in (matrix(EASE), matrix(WALK), matrix(FACTORS)))
        return ArtistModel(ids, saved["listeners"], ease, walk, factors, matrix(TAGS), config)
