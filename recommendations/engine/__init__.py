"""The artist-ranking stage of the recommendations, pure numpy/scipy (no Django).

    model = fit_model(plays, artist_ids, artist_tags=tags)    # periodic job
    rows = neighbour_rows(model)                               # → ArtistSimilarity rows
    ranked = rank_artists({artist_id: weight, ...}, model, exclude=owned, k=200,
                          external=external_matrix(lastfm_edges, model))

The product and benchmarks/recommendation_quality.py call these same functions.
"""
from .model import (
    DEFAULT_CONFIG,
    ArtistModel,
    EngineConfig,
    fit_model,
    load_model,
    model_from_rows,
    neighbour_rows,
    save_model,
)
from .ranking import RankedArtist, external_matrix, rank_artists, rank_batch
from .weighting import rank_damped

__all__ = [
    "DEFAULT_CONFIG",
    "ArtistModel",
    "EngineConfig",
    "RankedArtist",
    "external_matrix",
    "fit_model",
    "load_model",
    "model_from_rows",
    "neighbour_rows",
    "rank_artists",
    "rank_batch",
    "rank_damped",
    "save_model",
]
