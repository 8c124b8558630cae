"""Seed weights: from plays, ranks and recency of one listening source, and from records owned or wanted."""

import math

import pytest

from accounts import sources
from accounts.weights import Listen, collection_weight, listen_weight, seed_weights


def test_more_plays_weigh_more_but_with_diminishing_returns():
    few = listen_weight(Listen("a", "lastfm", "overall", playcount=10))
    many = listen_weight(Listen("a", "lastfm", "overall", playcount=1000))
    assert many > few
    assert many < 100 * few
    assert many == pytest.approx(math.log1p(1000))


@pytest.mark.parametrize(
    "older, newer",
    [("overall", "12month"), ("12month", "6month"), ("long_term", "medium_term"), ("medium_term", "short_term")],
)
def test_recent_periods_weigh_more_than_older_ones(older, newer):
    recency = {**sources.get("lastfm").recency, **sources.get("spotify").recency}
    assert listen_weight(Listen("a", "lastfm", newer, 100), recency=recency) > listen_weight(
        Listen("a", "lastfm", older, 100), recency=recency
    )


def test_a_ranked_source_without_plays_weighs_its_top_artists_more():
    first = listen_weight(Listen("a", "spotify", "short_term", rank=1))
    tenth = listen_weight(Listen("b", "spotify", "short_term", rank=10))
    assert first > tenth > 0


def test_seed_weights_sum_periods_and_keep_the_highest_play_count():
    weights = seed_weights(
        [
            Listen("radiohead", "lastfm", "overall", 1204),
            Listen("radiohead", "lastfm", "6month", 300),
            Listen("bjork", "lastfm", "overall", 50),
        ],
        recency=sources.get("lastfm").recency,
    )
    assert weights["radiohead"].playcount == 1204
    expected = math.log1p(1204) + 1.5 * math.log1p(300)
    assert weights["radiohead"].weight == pytest.approx(expected, abs=1e-3)
    assert weights["bjork"].weight < weights["radiohead"].weight


def test_owning_records_weighs_more_than_wanting_them():
    assert collection_weight(owned=1, wanted=0) > collection_weight(owned=0, wanted=1) > 0
    assert collection_weight(owned=5, wanted=0) > collection_weight(owned=1, wanted=0)
    assert collection_weight(0, 0) == 0
