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

import struct
import zipfile
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
    # Weights of each source when ranking, EASE counting 1. The walk and the tags reach the
    # long tail: rp3 0.1 → 0.3 and tags 0.2 → 0.25, swept on HetRec seeds 2, 3, 4 and 5 (never
    # 42 or 1, the reporting seeds), keep NDCG@20 (mean −0.00003, per seed −0.0012 to +0.0010)
    # and lift coverage@20 by 0.0035 to 0.0049 on every seed (0.1526 → 0.1568 on average), since
    # an unseen split had fallen to 0.147 against the 0.15 floor. Tags 0.3 would lift it by 0.009
    # at −0.0005 NDCG.
    rp3_weight: float = 0.3
    als_weight: float = 0.2
    tag_weight: float = 0.25
    # Default weight of external edges (Last.fm similar artists) when a caller passes them.
    external_weight: float = 0.5
    # Cold start: a listener with fewer than `cold_profile_size` artists says little through
    # co-listening, so the description sources weigh more: tags and external edges get
    # + cold_tag_weight / cold_external_weight, and the random walk + cold_rp3_weight, in full
    # for a one-artist profile, fading linearly to nothing at `cold_profile_size` (0: off).
    # Tuned on HetRec seed 2's cold regimes (3 and 5 artists: tags 0.4 and walk 0.3 best, about
    # +0.008 NDCG@20 and +0.002 coverage@20 at 5 artists); a popularity prior added more NDCG
    # but cost the coverage (0.089 at 5 artists), so there is none. External edges are not in
    # HetRec: their extra weight is unmeasured and stays 0.
    cold_profile_size: int = 12
    cold_tag_weight: float = 0.3
    cold_external_weight: float = 0.0
    cold_rp3_weight: float = 0.3


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
    # Edges from outside our listening (Last.fm similar artists) saved with the model, so
    # ranking reads no table for them; not a source of `sources()`: the caller weighs them.
    external: sparse.csr_matrix | None = None
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
# The saved external edges (Last.fm similar artists) of a model.
EXTERNAL = "external"
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


def top_neighbours(model: ArtistModel, k: int) -> Iterator[tuple[object, object, float, str]]:
    """(artist id, neighbour id, score 0–1, source) of each artist's `k` strongest neighbours.

    Strength is the ranking's blend of the positive edges (EASE 1, the others their configured
    weight); the source named is the one contributing most to that pair. A generator over rows,
    for pages that show "similar artists": ranking reads the model itself.
    """
    config = model.config
    weights = {EASE: 1.0, WALK: config.rp3_weight, FACTORS: config.als_weight, TAGS: config.tag_weight}
    parts = {name: weights[name] * matrix.maximum(0).tocsr() for name, matrix in model.sources().items() if matrix.nnz}
    if not parts:
        return
    names = list(parts)
    blended = sum(parts.values()).tocsr()
    blended.setdiag(0)
    blended.eliminate_zeros()
    largest = blended.max() or 1.0
    ids = model.artist_ids.tolist()
    for row in range(blended.shape[0]):
        start, end = blended.indptr[row], blended.indptr[row + 1]
        if start == end:
            continue
        best = start + np.argsort(-blended.data[start:end], kind="stable")[:k]
        columns = blended.indices[best]
        share = np.vstack([np.asarray(parts[name][row, columns].todense()).ravel() for name in names])
        for column, score, source in zip(columns, blended.data[best], share.argmax(axis=0)):
            yield ids[row], ids[column], float(score / largest), names[source]


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


def save_model(model: ArtistModel, path, *, compressed: bool = True) -> None:
    """One .npz: the ids, the listener counts and each matrix (float32 scores).

    Uncompressed (`compressed=False`), `load_model(path, mmap=True)` maps the arrays instead of
    reading them: processes loading the same file share its pages.
    """
    arrays = {"artist_ids": model.artist_ids, "listeners": model.listeners}
    matrices = {**model.sources(), **({EXTERNAL: model.external} if model.external is not None else {})}
    for name, matrix in matrices.items():
        arrays[f"{name}_data"] = matrix.data.astype(np.float32)
        arrays[f"{name}_indices"], arrays[f"{name}_indptr"] = matrix.indices, matrix.indptr
    (np.savez_compressed if compressed else np.savez)(path, **arrays)


def load_model(path, config: EngineConfig = DEFAULT_CONFIG, *, mmap: bool = False) -> ArtistModel:
    """The model of `save_model`; `mmap` maps the arrays of an uncompressed file read-only."""
    saved = _mapped_npz(path) if mmap else _read_npz(path)
    ids = saved["artist_ids"]
    shape = (len(ids), len(ids))

    def matrix(name):
        if f"{name}_data" not in saved:
            return None
        # float32 kept as saved: ranking multiplies it by float64 profiles, no copy needed.
        return sparse.csr_matrix((saved[f"{name}_data"], saved[f"{name}_indices"], saved[f"{name}_indptr"]), shape=shape)

    empty = sparse.csr_matrix(shape, dtype=np.float32)
    ease, walk, factors = (empty if m is None else m for m in (matrix(EASE), matrix(WALK), matrix(FACTORS)))
    return ArtistModel(ids, saved["listeners"], ease, walk, factors, matrix(TAGS), config, matrix(EXTERNAL))


def _read_npz(path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as saved:
        return {name: saved[name] for name in saved.files}


def _mapped_npz(path) -> dict[str, np.ndarray]:
    """Each array of an uncompressed .npz as a read-only memory map (compressed ones are read)."""
    arrays = {}
    with zipfile.ZipFile(path) as archive, open(path, "rb") as raw:
        for info in archive.infolist():
            name = info.filename.removesuffix(".npy")
            if info.compress_type != zipfile.ZIP_STORED:
                with archive.open(info) as member:
                    arrays[name] = np.lib.format.read_array(member, allow_pickle=False)
                continue
            # The local header's name and extra field lengths (bytes 26–30) say where data starts.
            raw.seek(info.header_offset + 26)
            name_length, extra_length = struct.unpack("<HH", raw.read(4))
            raw.seek(info.header_offset + 30 + name_length + extra_length)
            version = np.lib.format.read_magic(raw)
            header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = header(raw)
            order = "F" if fortran else "C"
            if not shape or 0 in shape:
                arrays[name] = np.zeros(shape, dtype=dtype, order=order)
            else:
                arrays[name] = np.memmap(raw, dtype=dtype, mode="r", shape=shape, order=order, offset=raw.tell())
    return arrays


def extend_columns(model: ArtistModel, new_ids, new_listeners) -> ArtistModel:
    """The same model with artists it was not fitted on as extra, edgeless columns (rows too).

    The arrays are shared, not copied: only each matrix's row pointer grows.
    """
    new_ids = [artist_id for artist_id in new_ids if artist_id not in model.column_of()]
    if not new_ids:
        return model
    n = model.n_artists + len(new_ids)

    def grown(matrix):
        if matrix is None:
            return None
        indptr = np.concatenate([matrix.indptr, np.full(len(new_ids), matrix.indptr[-1], dtype=matrix.indptr.dtype)])
        return sparse.csr_matrix((matrix.data, matrix.indices, indptr), shape=(n, n))

    ids = np.concatenate([model.artist_ids, np.asarray(new_ids, dtype=model.artist_ids.dtype)])
    counts = np.concatenate([model.listeners, np.asarray(new_listeners, dtype=np.float64)])
    return ArtistModel(
        ids,
        counts,
        grown(model.ease),
        grown(model.walk),
        grown(model.factors),
        grown(model.tags),
        model.config,
        grown(model.external),
    )
