"""Item-item neighbour matrices: for each artist, its strongest neighbours and their weights.

Every function returns an artists × artists sparse matrix with at most `k` positive entries
per row (row = the artist a listener has, column = an artist to suggest), so any of them can
be stored as rows "artist → neighbour, score" and used again without refitting.

Two collaborative fits complement each other (measured on HetRec Last.fm, see
benchmarks/recommendation_quality.py):

* EASE (Steck 2019), a ridge regression of each artist on all others, is the most accurate
  single model but favours popular artists; dividing its columns by popularity**beta undoes
  part of that. Its dense inverse is kept to the `max_artists` most listened artists.
* RP3beta (Paudel et al. 2017), a three-step random walk artist → listener → artist with
  the same popularity penalty, reaches the long tail that EASE leaves out.

A third, `tag_neighbours`, links artists described by the same tags; it is the only one
that can reach an artist nobody in our data listens to yet.

Computed in blocks of rows, so memory stays at block × artists, not artists².
"""

import numpy as np
from scipy import sparse

BLOCK_ROWS = 1024


def listeners(matrix) -> np.ndarray:
    """How many users listen to each artist (column)."""
    return np.diff(sparse.csc_matrix(matrix).indptr).astype(np.float64)


def top_k_rows(block: np.ndarray, k: int, *, signed: bool = False) -> sparse.csr_matrix:
    """The `k` strongest entries of each row of a dense block, as a sparse matrix.

    Strongest means largest, and only positive entries are kept; with `signed`, largest in
    absolute value with their sign (EASE's negative weights carry "fans of X avoid Y").
    """
    block = np.array(block, dtype=np.float64)
    if not signed:
        block[block < 0] = 0
    if 0 < k < block.shape[1]:
        cut = np.argpartition(-np.abs(block), k - 1, axis=1)[:, :k]
        kept = np.zeros_like(block)
        np.put_along_axis(kept, cut, np.take_along_axis(block, cut, axis=1), axis=1)
        block = kept
    return sparse.csr_matrix(block)


def by_row_blocks(n_rows: int, block_fn, k: int, *, signed: bool = False) -> sparse.csr_matrix:
    """Stack `top_k_rows(block_fn(rows))` over consecutive slices of rows."""
    slices = (slice(start, min(start + BLOCK_ROWS, n_rows)) for start in range(0, n_rows, BLOCK_ROWS))
    parts = [top_k_rows(block_fn(rows), k, signed=signed) for rows in slices]
    return sparse.vstack(parts, format="csr") if parts else sparse.csr_matrix((0, 0))


def _row_normalised(matrix) -> sparse.csr_matrix:
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    sums[sums == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / sums) @ matrix)


class PrivacyFilter:
    """Drops self-edges and, with `min_common` > 0, the positive links between artists fewer
    than `min_common` listeners share: at 1, no artist is suggested for another that nobody
    listens to with it; at 2, one listener's taste never surfaces in somebody else's
    recommendations. Negative weights stay: "fans of X avoid Y" never suggests anything, and
    it is mostly about pairs few listeners share. 0 keeps every edge, including EASE's
    inferred ones between artists no one listens to together."""

    def __init__(self, listened, min_common: int):
        self.listened = sparse.csr_matrix(listened > 0, dtype=np.float64)
        self.listened_t = self.listened.T.tocsr()
        self.min_common = min_common

    def __call__(self, block: np.ndarray, rows: slice) -> np.ndarray:
        if self.min_common > 0:
            unshared = (self.listened_t[rows] @ self.listened).toarray() < self.min_common
            block[unshared & (block > 0)] = 0
        block[np.arange(block.shape[0]), np.arange(rows.start, rows.stop)] = 0
        return block


def rp3beta_neighbours(weighted, *, alpha: float, beta: float, k: int, min_common: int) -> sparse.csr_matrix:
    """P(artist → listener → artist)**alpha / popularity(target)**beta, top `k` per artist."""
    weighted = sparse.csr_matrix(weighted, dtype=np.float64)
    private = PrivacyFilter(weighted, min_common)
    to_listener = _row_normalised(weighted.T.tocsr()).power(alpha).tocsr()
    to_artist = _row_normalised(weighted).power(alpha).tocsr()
    penalty = np.maximum(listeners(weighted), 1.0) ** -beta

    def block(rows):
        return private((to_listener[rows] @ to_artist).toarray() * penalty, rows)

    return by_row_blocks(weighted.shape[1], block, k)


def ease_artists(counts: np.ndarray, *, min_listeners: int, max_artists: int) -> np.ndarray:
    """Columns EASE models: the `max_artists` most listened among those with enough listeners."""
    eligible = np.flatnonzero(counts >= min_listeners)
    strongest = eligible[np.argsort(-counts[eligible], kind="stable")[:max_artists]]
    return np.sort(strongest)


def ease_weights(weighted_columns, l2: float, diagonal_l2: float) -> np.ndarray:
    """Closed-form EASE, B = I − P / diag(P) with P = (XᵀX + Λ)⁻¹ and a zero diagonal.

    Λ = l2 + diagonal_l2 · diag(XᵀX): a much-listened artist gets a stronger penalty, as
    in denoising autoencoders (Steck 2020); +0.003 NDCG@20 over a constant l2 on HetRec.
    """
    return ease_from_gram((weighted_columns.T @ weighted_columns).toarray(), l2, diagonal_l2)


def ease_from_gram(gram: np.ndarray, l2: float, diagonal_l2: float) -> np.ndarray:
    """EASE weights from the dense XᵀX (overwritten): the one step both trainers share."""
    gram[np.diag_indices_from(gram)] += l2 + diagonal_l2 * np.diag(gram)
    inverse = np.linalg.inv(gram)
    weights = -inverse / np.diag(inverse)
    np.fill_diagonal(weights, 0.0)
    return weights


def ease_neighbours(
    weighted, *, l2: float, diagonal_l2: float, beta: float, k: int, min_common: int, min_listeners: int, max_artists: int
) -> sparse.csr_matrix:
    """EASE weights divided by popularity(target)**beta, the `k` strongest per artist with
    their sign, in full artist space."""
    weighted = sparse.csr_matrix(weighted, dtype=np.float64)
    counts = listeners(weighted)
    columns = ease_artists(counts, min_listeners=min_listeners, max_artists=max_artists)
    subset = weighted[:, columns].tocsr()
    weights = ease_weights(subset, l2, diagonal_l2) * np.maximum(counts[columns], 1.0) ** -beta
    private = PrivacyFilter(subset, min_common)

    def block(rows):
        return private(weights[rows].copy(), rows)

    return _embedded(by_row_blocks(len(columns), block, k, signed=True), columns, weighted.shape[1])


def _embedded(matrix: sparse.csr_matrix, columns: np.ndarray, n_artists: int) -> sparse.csr_matrix:
    """A matrix over a subset of artists placed into the full artist × artist space."""
    coo = matrix.tocoo()
    return sparse.csr_matrix((coo.data, (columns[coo.row], columns[coo.col])), shape=(n_artists, n_artists))


def tag_neighbours(artist_tags, *, k: int, min_artists_per_tag: int = 2) -> sparse.csr_matrix:
    """Cosine of log-count × idf tag vectors, top `k` per artist.

    `artist_tags` is artists × tags with how often each tag was given to each artist. A tag
    on a single artist links nothing, so it is dropped.
    """
    tags = sparse.csc_matrix(artist_tags, dtype=np.float64)
    used_by = np.diff(tags.indptr)
    tags = tags[:, used_by >= min_artists_per_tag].tocsr()
    tags.data = np.log1p(tags.data)
    idf = np.log(max(tags.shape[0], 1) / np.maximum(np.diff(tags.tocsc().indptr), 1))
    vectors = _unit_rows(tags @ sparse.diags(idf))
    vectors_t = vectors.T.tocsc()

    def block(rows):
        cosine = (vectors[rows] @ vectors_t).toarray()
        cosine[np.arange(cosine.shape[0]), np.arange(rows.start, rows.stop)] = 0
        return cosine

    return by_row_blocks(tags.shape[0], block, k)


def _unit_rows(matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
