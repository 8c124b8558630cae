"""The pure artist-ranking engine (recommendations.engine) on tiny hand-made listening data."""

from dataclasses import replace

import numpy as np
import pytest
from scipy import sparse

from recommendations.engine import (
    DEFAULT_CONFIG,
    external_matrix,
    fit_model,
    load_model,
    model_from_rows,
    neighbour_rows,
    rank_artists,
    rank_batch,
    rank_damped,
    save_model,
)
from recommendations.engine.similarity import top_k_rows

# Small enough to fit in milliseconds, same code paths as the defaults.
CONFIG = replace(
    DEFAULT_CONFIG, als_factors=4, als_iterations=3, ease_neighbours=6, rp3_neighbours=6, als_neighbours=6, tag_neighbours=6
)
# Artist ids as the product would have them: not column numbers.
ROCK = [101, 102, 103, 104, 105]
JAZZ = [201, 202, 203, 204, 205]
ARTISTS = ROCK + JAZZ + [301]  # 301: nobody listens to it yet; tagged like the jazz artists


def listening(seed=3):
    """Twenty rock fans and twenty jazz fans, each with 3–5 artists of their genre and random plays."""
    rng = np.random.default_rng(seed)
    rows, columns, plays = [], [], []
    for user in range(40):
        genre = range(0, 5) if user < 20 else range(5, 10)
        chosen = rng.choice(list(genre), size=rng.integers(3, 6), replace=False)
        rows += [user] * len(chosen)
        columns += chosen.tolist()
        plays += rng.integers(1, 500, size=len(chosen)).tolist()
    return sparse.csr_matrix((np.array(plays, dtype=float), (rows, columns)), shape=(40, len(ARTISTS)))


def artist_tags():
    """Artists × tags: rock tags 0–1, jazz tags 2–3; the unheard artist has the jazz ones."""
    tags = np.zeros((len(ARTISTS), 4))
    tags[0:5, 0:2] = 3
    tags[5:11, 2:4] = 3
    return sparse.csr_matrix(tags)


@pytest.fixture(scope="module")
def model():
    return fit_model(listening(), ARTISTS, artist_tags=artist_tags(), config=CONFIG)


def test_a_rock_fan_gets_the_rock_artists_they_do_not_have_first(model):
    ranked = rank_artists({101: 300, 102: 40}, model, k=5)
    assert {r.artist_id for r in ranked[:3]} == {103, 104, 105}


def test_ranking_never_returns_the_profile_or_excluded_artists(model):
    profile = {101: 10, 102: 5, 201: 1, 104: 0}
    ranked = rank_artists(profile, model, exclude=[103, 202], k=len(ARTISTS))
    returned = {r.artist_id for r in ranked}
    assert returned.isdisjoint({101, 102, 201, 104, 103, 202})
    assert len(returned) == len(ARTISTS) - 6


def test_returns_k_artists_ordered_by_score(model):
    ranked = rank_artists({201: 50, 202: 20}, model, k=7)
    assert len(ranked) == 7
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert len({r.artist_id for r in ranked}) == 7
    assert all(type(r.artist_id) is int for r in ranked)


def test_a_listener_the_model_does_not_know_gets_the_most_listened_artists(model):
    ranked = rank_artists({999: 12}, model, k=4)
    expected = [ARTISTS[c] for c in np.argsort(-model.listeners, kind="stable")[:4]]
    assert [r.artist_id for r in ranked] == expected


def test_tags_reach_an_artist_nobody_listens_to(model):
    ranked = rank_artists({201: 9, 202: 8, 203: 7, 204: 6}, model, k=3)
    assert 301 in {r.artist_id for r in ranked}
    without_tags = replace(model, tags=None)
    assert 301 not in {r.artist_id for r in rank_artists({201: 9, 202: 8, 203: 7, 204: 6}, without_tags, k=1)}


def test_external_edges_lift_the_artist_they_point_to(model):
    profile = {101: 30, 102: 20}
    before = [r.artist_id for r in rank_artists(profile, model, k=len(ARTISTS))]
    assert before.index(205) > 2
    lastfm = external_matrix([(101, 205, 1.0), (102, 205, 0.9), (101, 999, 1.0)], model)
    after = rank_artists(profile, model, k=3, external=lastfm, external_weight=5.0)
    assert after[0].artist_id == 205
    assert lastfm.nnz == 2  # the edge to an artist the model does not know is dropped
    assert [r.artist_id for r in rank_artists(profile, model, k=3, external=lastfm, external_weight=0.0)] == before[:3]


def test_fitting_and_ranking_twice_give_the_same_result():
    first = fit_model(listening(), ARTISTS, artist_tags=artist_tags(), config=CONFIG)
    second = fit_model(listening(), ARTISTS, artist_tags=artist_tags(), config=CONFIG)
    for name, matrix in first.sources().items():
        assert (matrix != second.sources()[name]).nnz == 0
    profile = {101: 5, 203: 2}
    assert rank_artists(profile, first, k=8) == rank_artists(profile, second, k=8)


def test_batch_and_single_listener_rankings_agree(model):
    plays = listening()
    columns, _ = rank_batch(plays[:6], model, k=5)
    for user in range(6):
        row = plays[user]
        profile = {ARTISTS[c]: w for c, w in zip(row.indices, row.data)}
        assert [r.artist_id for r in rank_artists(profile, model, k=5)] == [ARTISTS[c] for c in columns[user]]


def test_top_k_truncation_keeps_the_strongest_neighbours():
    block = np.array([[0.1, 0.9, -0.95, 0.5, 0.0], [0.3, 0.2, 0.1, -0.05, 0.4]])
    positive = top_k_rows(block, 2).toarray()
    assert positive[0].tolist() == [0, 0.9, 0, 0.5, 0]
    assert positive[1].tolist() == [0.3, 0, 0, 0, 0.4]
    signed = top_k_rows(block, 2, signed=True).toarray()
    assert signed[0].tolist() == [0, 0.9, -0.95, 0, 0]


def test_each_source_keeps_at_most_its_k_neighbours_per_artist(model):
    for matrix in model.sources().values():
        assert np.diff(matrix.indptr).max() <= 6
        assert matrix.diagonal().sum() == 0


def test_a_pair_shared_by_one_listener_is_no_link_with_the_shared_listener_filter():
    # Artists 0 and 1 share two listeners; 1 and 2 share one.
    plays = sparse.csr_matrix(np.array([[5.0, 3, 0], [2, 4, 0], [0, 1, 7], [0, 0, 2]]))
    private = fit_model(plays, config=replace(CONFIG, min_common_listeners=2))
    for name, matrix in private.sources().items():
        assert matrix[1, 2] <= 0 and matrix[2, 1] <= 0, name
    assert private.ease[0, 1] != 0


def test_the_shared_listener_filter_keeps_negative_weights():
    # Three listeners of artists 0 and 1, three of 1 and 2: nobody listens to 0 and 2 together,
    # and EASE learns that 0's listeners do without 2 (a negative weight).
    plays = sparse.csr_matrix(np.array([[1.0, 1, 0]] * 3 + [[0, 1, 1.0]] * 3))
    everyone = fit_model(plays, config=replace(CONFIG, min_common_listeners=0))
    linked = fit_model(plays, config=replace(CONFIG, min_common_listeners=1))
    assert everyone.ease[0, 2] < 0
    assert linked.ease[0, 2] == everyone.ease[0, 2]
    assert linked.ease[0, 1] > 0


def test_below_the_minimum_of_listeners_only_the_tags_rank():
    young = fit_model(listening(), ARTISTS, artist_tags=artist_tags(), config=replace(CONFIG, min_listeners=41))
    assert young.ease.nnz == young.walk.nnz == young.factors.nnz == 0
    ranked = rank_artists({201: 10}, young, k=3)
    assert ranked[0].artist_id in JAZZ + [301] and ranked[0].score > 0


def test_damping_keeps_each_listeners_order_between_the_floor_and_one():
    plays = sparse.csr_matrix(np.array([[1.0, 500, 20, 0, 20], [7, 0, 0, 3, 0]]))
    damped = rank_damped(plays).toarray()
    assert damped[0, 1] == 1.0 and damped[1, 0] == 1.0
    assert damped[0, 1] > damped[0, 2] == damped[0, 4] > damped[0, 0] >= 0.5
    assert damped[1, 0] > damped[1, 3] >= 0.5
    assert damped[0, 3] == 0


def test_damping_only_sees_the_order_of_weights():
    plays = sparse.csr_matrix(np.array([[1.0, 500, 20, 3]]))
    logged = plays.copy()
    logged.data = np.log1p(logged.data)
    assert np.allclose(rank_damped(plays).toarray(), rank_damped(logged).toarray())


def test_the_saved_model_ranks_like_the_fitted_one(model, tmp_path):
    save_model(model, tmp_path / "artists.npz")
    loaded = load_model(tmp_path / "artists.npz", config=CONFIG)
    profile = {101: 3, 102: 2, 201: 1}
    ids = [[r.artist_id for r in rank_artists(profile, m, k=6)] for m in (loaded, model)]
    assert ids[0] == ids[1]  # scores differ in the last digits: the file holds float32


def test_neighbour_rows_fit_the_similarity_table_and_rebuild_the_same_model(model):
    rows = list(neighbour_rows(model))
    assert all(0 < score <= 1 and artist != neighbour for artist, neighbour, score, _ in rows)
    sources = {source for *_, source in rows}
    assert sources >= {"colisten", "rp3beta", "als", "tags"}
    assert any(source.endswith("_negative") for source in sources)
    rebuilt = model_from_rows(rows, ARTISTS, model.listeners, CONFIG)
    for name, matrix in model.sources().items():
        assert np.allclose(rebuilt.sources()[name].toarray(), matrix.toarray())


def test_positive_rows_alone_rebuild_the_positive_part(model):
    rows = list(neighbour_rows(model, negative=False))
    assert not any(source.endswith("_negative") for *_, source in rows)
    rebuilt = model_from_rows(rows, ARTISTS, model.listeners, CONFIG)
    for name, matrix in model.sources().items():
        assert np.allclose(rebuilt.sources()[name].toarray(), np.maximum(matrix.toarray(), 0))


def test_a_short_profile_leans_more_on_the_tags_than_a_long_one():
    from recommendations.engine.ranking import cold_weights

    config = replace(CONFIG, cold_profile_size=5, cold_tag_weight=1.0, cold_rp3_weight=0.0)
    cold = replace(fit_model(listening(), ARTISTS, artist_tags=artist_tags(), config=config), config=config)
    profiles = sparse.csr_matrix(np.array([[1.0] + [0.0] * 10, [1.0] * 5 + [0.0] * 6, [0.0] * 11]))
    ((extra, matrix),) = cold_weights(cold, profiles)
    assert matrix is cold.tags
    # Full extra weight for one artist, none from `cold_profile_size` on, none for no profile.
    assert extra.ravel().tolist() == [1.0, 0.0, 0.0]
    off = replace(cold, config=replace(config, cold_profile_size=0))
    assert cold_weights(off, profiles) == []
    # One jazz artist: the unheard artist tagged like jazz scores higher with the cold path.
    with_path = {r.artist_id: r.score for r in rank_artists({201: 5.0}, cold, k=10)}
    without = {r.artist_id: r.score for r in rank_artists({201: 5.0}, off, k=10)}
    assert with_path[301] > without[301]
