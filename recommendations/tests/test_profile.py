"""The taste profile: weights from plays, recency and collection; the listener's import options."""
import math

import pytest

from accounts.weights import MANUAL_SEED_WEIGHT, Listen, collection_weight, listen_weight, seed_weights
from recommendations.profile import Seed, build_profile


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
    assert listen_weight(Listen("a", "lastfm", newer, 100)) > listen_weight(Listen("a", "lastfm", older, 100))


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
        ]
    )
    assert weights["radiohead"].playcount == 1204
    expected = math.log1p(1204) + 1.5 * math.log1p(300)
    assert weights["radiohead"].weight == pytest.approx(expected, abs=1e-3)
    assert weights["bjork"].weight < weights["radiohead"].weight


def test_owning_records_weighs_more_than_wanting_them():
    assert collection_weight(owned=1, wanted=0) > collection_weight(owned=0, wanted=1) > 0
    assert collection_weight(owned=5, wanted=0) > collection_weight(owned=1, wanted=0)
    assert collection_weight(0, 0) == 0


def test_profile_sums_an_artists_seeds_across_sources():
    profile = build_profile([Seed(1, "lastfm", 10.0, 500), Seed(1, "manual", MANUAL_SEED_WEIGHT), Seed(2, "lastfm", 3.0, 20)])
    assert profile.artists[1].weight == pytest.approx(10.0 + MANUAL_SEED_WEIGHT)
    assert profile.artists[1].sources == {"lastfm", "manual"}
    assert profile.artists[1].playcount == 500
    assert profile.affinity(1) == 1.0
    assert 0 < profile.affinity(2) < 1
    assert profile.affinity(99) == 0.0


def test_blocked_artists_are_not_in_the_profile():
    profile = build_profile([Seed(1, "lastfm", 10.0, 500), Seed(2, "manual", 8.0)], blocked=[2])
    assert set(profile.artists) == {1}


def test_min_playcount_drops_rarely_played_artists_but_keeps_their_other_signals():
    seeds = [
        Seed(1, "lastfm", 10.0, 500),
        Seed(2, "lastfm", 2.0, 3),
        Seed(3, "lastfm", 2.0, 3),
        Seed(3, "manual", MANUAL_SEED_WEIGHT),
    ]
    profile = build_profile(seeds, min_playcount=10)
    assert set(profile.artists) == {1, 3}
    assert profile.artists[3].sources == {"manual"}


def test_an_artist_played_enough_in_any_period_keeps_all_its_listening():
    seeds = [Seed(1, "lastfm", 5.0, 50), Seed(1, "listenbrainz", 1.0, 4)]
    profile = build_profile(seeds, min_playcount=10)
    assert profile.artists[1].weight == pytest.approx(6.0)


def test_favourites_are_the_strongest_artists():
    seeds = [Seed(artist_id, "lastfm", float(artist_id), artist_id) for artist_id in range(1, 21)]
    assert build_profile(seeds).favourites(3) == {18, 19, 20}


def test_an_empty_profile_is_falsy():
    assert not build_profile([])
