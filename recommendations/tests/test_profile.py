"""The taste profile: a listener's seeds summed per artist, and their import options."""

import pytest

from accounts.weights import MANUAL_SEED_WEIGHT
from recommendations.profile import Seed, build_profile


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
