"""Ranking candidate artists for listeners from a fitted `ArtistModel`.

A listener's profile (artist → weight) is damped like the training rows, then each source
of neighbours scores every artist as Σ profile weight × edge score. Sources do not share a
scale (co-listening weights, tag cosines, Last.fm's 0–1 match), so each one's scores are
divided by that listener's best score before they are weighted and added: a weight then
means the same thing for every listener.

Artists the listener has, and any `exclude`d, are never returned. When the neighbours reach
fewer than `k` artists, the most listened remaining artists fill the list, so a listener
unknown to the model still gets `k` artists.

`rank_batch` and `rank_artists` are one code path: the benchmark measures exactly what the
product serves.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .model import EASE, FACTORS, TAGS, WALK, ArtistModel
from .weighting import rank_damped

# Popularity only breaks ties and fills the tail: far below any neighbour score.
POPULARITY_TIE_BREAK = 1e-9


@dataclass(frozen=True)
class RankedArtist:
    artist_id: object
    score: float


def external_matrix(edges: Iterable[tuple[object, object, float]], model: ArtistModel) -> sparse.csr_matrix:
    """Edges (artist id, similar artist id, 0–1 match) as a matrix over the model's artists.

    Edges touching an artist the model has no column for are dropped (fit the model with
    every artist of the catalog as a column to keep them).
    """
    column = model.column_of()
    kept = [(column[a], column[b], float(match)) for a, b, match in edges if a in column and b in column and a != b]
    rows, columns, matches = (np.array(part) for part in zip(*kept)) if kept else ([], [], [])
    return sparse.csr_matrix((matches, (rows, columns)), shape=(model.n_artists, model.n_artists))


def weighted_sources(
    model: ArtistModel, external=None, external_weight: float | None = None
) -> list[tuple[float, sparse.csr_matrix]]:
    """(weight, neighbour matrix) of each source the ranking adds up, EASE counting 1."""
    config = model.config
    weights = {EASE: 1.0, WALK: config.rp3_weight, FACTORS: config.als_weight, TAGS: config.tag_weight}
    weighted = [(weights[name], matrix) for name, matrix in model.sources().items()]
    if external is not None:
        weighted.append((config.external_weight if external_weight is None else external_weight, external))
    return [(weight, matrix) for weight, matrix in weighted if weight > 0 and matrix.nnz]


def cold_weights(model: ArtistModel, profiles, external=None) -> list[tuple[np.ndarray, sparse.csr_matrix]]:
    """(users × 1 extra weight, matrix) of the sources a short profile leans on more.

    The extra is full for a one-artist profile and fades linearly to 0 at the config's
    `cold_profile_size` artists; nothing when that is 0.
    """
    config = model.config
    if config.cold_profile_size <= 0:
        return []
    sizes = np.diff(sparse.csr_matrix(profiles).indptr).astype(np.float64)
    share = np.clip((config.cold_profile_size - sizes) / max(config.cold_profile_size - 1, 1), 0.0, 1.0)[:, None]
    share[sizes[:, None] == 0] = 0.0  # an empty profile has nothing to lean on
    extras = [(config.cold_tag_weight, model.tags), (config.cold_rp3_weight, model.walk)]
    if external is not None:
        extras.append((config.cold_external_weight, external))
    return [(weight * share, matrix) for weight, matrix in extras if weight > 0 and matrix is not None and matrix.nnz]


def score_batch(profiles, model: ArtistModel, external=None, external_weight: float | None = None) -> np.ndarray:
    """Dense users × artists scores for profiles given as a users × artists weight matrix."""
    damped = rank_damped(profiles)
    scores = np.zeros(damped.shape, dtype=np.float64)
    cold = cold_weights(model, damped, external)
    for weight, matrix in weighted_sources(model, external, external_weight):
        # In the matrix's own precision: a float64 profile times a float32 model makes scipy
        # convert the model's whole data array on every call (millions of values for one
        # listener); the profile's few weights are converted instead.
        part = np.asarray((damped.astype(matrix.dtype, copy=False) @ matrix).todense(), dtype=np.float64)
        best = part.max(axis=1, keepdims=True)
        normalised = np.divide(part, best, out=np.zeros_like(part), where=best > 0)
        # A short profile's extra weight on this source (tags, walk, external), per listener.
        extra = sum((w for w, m in cold if m is matrix), np.zeros((len(part), 1)))
        scores += (weight + extra) * normalised
    return scores


def top_k(scores: np.ndarray, excluded, listeners: np.ndarray, k: int) -> np.ndarray:
    """Columns of the `k` best scores per row, best first, skipping excluded (row, column)s."""
    popularity = listeners / max(listeners.max(initial=0.0), 1.0)
    ranked = scores + POPULARITY_TIE_BREAK * popularity
    ranked[sparse.csr_matrix(excluded).nonzero()] = -np.inf
    k = min(k, ranked.shape[1])
    best = np.argpartition(-ranked, k - 1, axis=1)[:, :k] if k else np.zeros((len(ranked), 0), dtype=np.int64)
    order = np.lexsort((best, -np.take_along_axis(ranked, best, axis=1)), axis=1)
    best = np.take_along_axis(best, order, axis=1)
    return np.where(np.isfinite(np.take_along_axis(ranked, best, axis=1)), best, -1)


def rank_batch(
    profiles, model: ArtistModel, *, exclude=None, k: int = 20, external=None, external_weight: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(columns, scores), each users × k, best first; column −1 where fewer than k remain.

    `profiles` and `exclude` are users × artists sparse matrices over the model's columns;
    a profile's own artists are always excluded.
    """
    profiles = sparse.csr_matrix(profiles, dtype=np.float64)
    scores = score_batch(profiles, model, external, external_weight)
    excluded = profiles if exclude is None else profiles + sparse.csr_matrix(exclude, dtype=np.float64)
    columns = top_k(scores, excluded > 0, model.listeners, k)
    return columns, np.where(columns >= 0, np.take_along_axis(scores, np.maximum(columns, 0), axis=1), 0.0)


def rank_artists(
    profile: Mapping[object, float],
    model: ArtistModel,
    *,
    exclude: Iterable[object] = (),
    k: int = 20,
    external=None,
    external_weight: float | None = None,
) -> list[RankedArtist]:
    """The `k` best artists for one listener, as artist ids with scores, best first.

    `profile` maps artist id → weight (plays or any increasing score); artists unknown to
    the model are ignored, and one with weight 0 only counts as had (never returned).
    `external` is a matrix from `external_matrix`.
    """
    column = model.column_of()
    known = {column[a]: w for a, w in profile.items() if a in column and w > 0}
    banned = {column[a] for a in [*exclude, *profile] if a in column}
    excluded = _one_row(dict.fromkeys(banned, 1.0), model)
    columns, scores = rank_batch(
        _one_row(known, model), model, exclude=excluded, k=k, external=external, external_weight=external_weight
    )
    found = columns[0] >= 0
    ids = model.artist_ids[columns[0][found]].tolist()  # plain Python ids, not numpy scalars
    return [RankedArtist(artist_id, float(score)) for artist_id, score in zip(ids, scores[0][found])]


def _one_row(weights: dict[int, float], model: ArtistModel) -> sparse.csr_matrix:
    columns = np.fromiter(weights.keys(), dtype=np.int64, count=len(weights))
    values = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
    return sparse.csr_matrix((values, (np.zeros(len(columns), dtype=np.int64), columns)), shape=(1, model.n_artists))
