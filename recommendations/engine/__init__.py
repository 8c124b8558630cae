"""The artist-ranking stage of the recommendations, pure numpy/scipy (no Django).

    model = fit_model(plays, artist_ids, artist_tags=tags)     # periodic job
    save_model(model, path)  /  load_model(path, mmap=True)    # the versioned artifact (.npz)
    lastfm = external_matrix(similar_artist_edges, model)       # (id, id, 0–1 match) edges
    ranked = rank_artists({artist_id: weight, ...}, model, exclude=owned, k=200, external=lastfm)

`plays` is users × artists (any non-negative weights: only each user's order counts);
`rank_artists` returns `RankedArtist(artist_id, score)`s, best first, never a profile or
excluded artist, filled with popular artists when the neighbours run out. The product and
benchmarks/recommendation_quality.py run these same functions; `rank_batch` is the
many-listeners form (sparse profile rows in, top columns out).
"""

from .model import (
    DEFAULT_CONFIG,
    ArtistModel,
    EngineConfig,
    extend_columns,
    fit_model,
    load_model,
    model_from_rows,
    neighbour_rows,
    save_model,
    top_neighbours,
)
from .ranking import RankedArtist, external_matrix, rank_artists, rank_batch
from .weighting import rank_damped

__all__ = [
    "DEFAULT_CONFIG",
    "ArtistModel",
    "EngineConfig",
    "RankedArtist",
    "extend_columns",
    "external_matrix",
    "fit_model",
    "load_model",
    "model_from_rows",
    "neighbour_rows",
    "rank_artists",
    "rank_batch",
    "rank_damped",
    "save_model",
    "top_neighbours",
]
