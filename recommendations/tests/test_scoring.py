"""The explainable score: components, a breakdown that sums to the score, readable reasons."""

from decimal import Decimal

import pytest

from pricing import describe
from recommendations.scoring import (
    COMPONENTS,
    AlbumFacts,
    PriceFact,
    bayesian_rating,
    demand_points,
    has_reason,
    price_points,
    rating_points,
    score_album,
)


def facts(**overrides):
    base = dict(album_id=1, artist_id=10, artist_name="Radiohead", title="OK Computer", country="ES")
    return AlbumFacts(**{**base, **overrides})


RICH = dict(
    affinity=0.83,
    artist_playcount=1204,
    artist_sources=frozenset({"lastfm"}),
    similarity=0.37,
    is_favourite=True,
    rating_average=4.61,
    rating_count=2345,
    want=12000,
    have=30000,
    demand_rank=1,
    price=PriceFact(Decimal("27.40"), "Discogs", 2016, "Europe", shipping_kind="estimated", ships_from="DE"),
    wantlisted=True,
)


def test_breakdown_names_every_component_and_sums_exactly_to_the_score():
    scored = score_album(facts(**RICH))
    assert tuple(scored.breakdown) == COMPONENTS
    assert sum(scored.breakdown.values()) == pytest.approx(scored.score, abs=1e-9)
    assert all(round(points, 1) == points for points in scored.breakdown.values())


@pytest.mark.parametrize("affinity", [0.0, 0.123, 0.5, 0.777, 1.0])
def test_breakdown_sums_to_the_score_whatever_the_rounding(affinity):
    scored = score_album(facts(affinity=affinity, similarity=affinity / 3, want=7, have=3))
    assert sum(scored.breakdown.values()) == pytest.approx(scored.score, abs=1e-9)


def test_an_album_with_no_signal_scores_zero():
    scored = score_album(facts())
    assert scored.score == 0
    assert set(scored.breakdown.values()) == {0.0}


def test_explanation_names_the_artist_plays_demand_and_the_pressing_price():
    text = score_album(facts(**RICH)).explanation
    assert text == (
        "You played Radiohead 1,204 times, one of your 10 favourite artists; this is their most-wanted studio album on vinyl "
        "(12,000 Discogs users want it); a 2016 EU pressing costs €27.40 incl. shipping from Germany to Spain "
        "(estimated) on Discogs; "
        "it is on your wantlist."
    )


def test_a_similar_artist_is_explained_by_the_listeners_own_artists():
    scored = score_album(facts(artist_name="Portishead", similarity=0.6, similar_to=("Massive Attack", "Tricky", "Björk")))
    assert scored.explanation.startswith("Because you listen to Massive Attack and Tricky, whose listeners also love Portishead")
    assert scored.breakdown["similarity"] == 12.0


def test_an_own_artists_card_has_a_reason_and_comes_via_that_artist():
    scored = score_album(facts(affinity=0.5, artist_playcount=40, artist_sources=frozenset({"lastfm"})))
    assert scored.reason == "You played Radiohead 40 times"
    assert scored.via == ("Radiohead",)
    assert has_reason(scored.facts)


def test_a_similar_artists_card_comes_via_the_listeners_artists_that_lead_there():
    scored = score_album(facts(artist_name="Portishead", similarity=0.6, similar_to=("Massive Attack", "Tricky")))
    assert scored.reason == "Because you listen to Massive Attack and Tricky, whose listeners also love Portishead"
    assert scored.via == ("Massive Attack", "Tricky")


def test_a_discovery_needs_a_genre_at_the_link_threshold_or_the_wantlist():
    weak = facts(discovery=True, want=900, genre_overlap=0.3, shared_genres=("krautrock",))
    assert not has_reason(weak)
    close = facts(discovery=True, genre_overlap=0.8, shared_genres=("trip-hop", "dub"))
    assert has_reason(close) and score_album(close).reason == "Close to the trip-hop and dub of your artists"
    wanted = score_album(facts(discovery=True, wantlisted=True))
    assert wanted.reason == "On your wantlist" and wanted.via == ()
    assert wanted.explanation.startswith("On your wantlist, a discovery outside your artists: ")


def test_favourite_points_are_named_in_the_explanation():
    plain = score_album(facts(affinity=0.5, artist_sources=frozenset({"manual"})))
    favourite = score_album(facts(affinity=0.5, artist_sources=frozenset({"manual"}), is_favourite=True))
    assert favourite.breakdown["favourite"] > 0 == plain.breakdown["favourite"]
    assert favourite.explanation.startswith("You added Radiohead to your artists, one of your 10 favourite artists;")
    assert "favourite" not in plain.explanation


def test_without_a_price_the_price_scores_zero_and_says_why():
    scored = score_album(facts(affinity=0.5, artist_playcount=40, country="DE"))
    assert scored.breakdown["price"] == 0
    assert "no offer shipping to Germany has been found yet" in scored.explanation


def test_a_cheaper_best_total_earns_more_price_points():
    cheap = price_points(PriceFact(Decimal("14.00"), shipping_kind="exact"))
    mid = price_points(PriceFact(Decimal("30.00"), shipping_kind="estimated"))
    dear = price_points(PriceFact(Decimal("90.00"), shipping_kind="exact"))
    assert cheap > mid > dear > 0


def test_few_votes_are_pulled_towards_the_prior():
    assert bayesian_rating(5.0, 2) < bayesian_rating(4.8, 2000)
    assert rating_points(5.0, 2) < rating_points(4.8, 2000)
    assert rating_points(None, 0) == 0


def test_demand_grows_with_want_over_have_and_saturates():
    assert demand_points(0, 100) == 0
    assert demand_points(500, 1000) < demand_points(1000, 500) < 10
    assert demand_points(2, 0) < demand_points(2000, 100)


def test_a_wantlisted_album_gets_the_wantlist_boost():
    assert score_album(facts(wantlisted=True)).breakdown["wantlist"] > 0
    assert score_album(facts()).breakdown["wantlist"] == 0


def test_rating_is_explained_when_the_album_is_not_the_most_wanted():
    text = score_album(facts(affinity=0.4, artist_playcount=12, rating_average=4.4, rating_count=812, demand_rank=3)).explanation
    assert "Discogs users rate it 4.4/5 from 812 votes" in text


def test_other_taste_sources_are_named():
    assert score_album(facts(affinity=1, artist_sources=frozenset({"manual"}))).explanation.startswith(
        "You added Radiohead to your artists"
    )
    assert score_album(facts(affinity=1, artist_sources=frozenset({"discogs"}))).explanation.startswith(
        "You collect Radiohead on Discogs"
    )
    assert "top artists on Spotify" in score_album(facts(affinity=1, artist_sources=frozenset({"spotify"}))).explanation


def test_album_plays_are_mentioned_and_add_taste_points():
    with_plays = score_album(facts(affinity=0.5, artist_playcount=900, album_playcount=312))
    without = score_album(facts(affinity=0.5, artist_playcount=900))
    assert "(this album 312 times)" in with_plays.explanation
    assert with_plays.breakdown["taste"] > without.breakdown["taste"]


def test_a_pressing_without_year_or_country_still_reads_well():
    text = score_album(facts(price=PriceFact(Decimal("19.99"), "eBay", shipping_kind="exact"))).explanation
    assert "it costs €19.99 incl. shipping to Spain (exact) on eBay" in text


def test_an_item_price_without_known_shipping_scores_nothing_and_claims_no_destination():
    scored = score_album(
        facts(affinity=0.5, artist_playcount=40, price=PriceFact(store="Discogs marketplace", from_eur=Decimal("7.00")))
    )

    assert scored.breakdown["price"] == 0
    assert "it is listed from €7.00 + shipping on Discogs marketplace" in scored.explanation
    assert "Spain" not in scored.explanation and "ships to" not in scored.explanation


def test_euro_amounts_use_thousands_separators_and_cents():
    assert describe.eur(Decimal("1234.5")) == "€1,234.50"
