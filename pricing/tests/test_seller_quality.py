"""Seller quality: each seller's rating and number of ratings, kept from the recorded answers, and
the minimums the buying filters, the basket and the watches obey."""

from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from accounts.filters import buying_filters
from alerts.factories import WatchFactory
from alerts.watches import evaluate_watch
from catalog.factories import ReleaseFactory
from integrations import ebay
from integrations.discogs import parse_inventory_page
from integrations.tests.conftest import recording
from pricing.factories import PriceQuoteFactory
from pricing.filters import BuyingFilters, filter_quotes
from pricing.models import PriceQuote
from pricing.tests.test_seller_inventory import PAGES, catalog, crawl, empty_table, seller, serve_pages, table  # noqa: F401 (fixtures)
from recommendations.basket import cheapest_basket
from recommendations.factories import FeedbackFactory

pytestmark = pytest.mark.django_db


def test_a_discogs_listing_and_an_ebay_item_state_the_rating_and_how_many_ratings_it_is_of():
    listing = parse_inventory_page(recording(PAGES[0])).items[0]
    assert (listing.seller_rating, listing.seller_ratings) == (Decimal("99.6"), 812)
    item = ebay.parse_search_page(recording("ebay/item_summary_search_built_vinyl-eu.json")).items[0]
    assert (item.seller_rating, item.seller_ratings) == (Decimal("99.8"), 1520)
    unrated = parse_inventory_page(recording("discogs/inventory_360vinyl_docs-example.json")).items[0]
    assert (unrated.seller_rating, unrated.seller_ratings) == (None, None)


def test_a_crawl_keeps_the_rating_and_its_count_on_each_quote_and_on_the_seller(http_responses, catalog, seller, table, crawl):  # noqa: F811
    serve_pages(http_responses, PAGES)
    crawl(seller)
    quote = PriceQuote.objects.get(offer_key="listing:9100007")
    assert (quote.seller_rating, quote.seller_ratings_count) == (Decimal("99.60"), 812)
    seller.refresh_from_db()
    assert (seller.rating, seller.ratings_count) == (Decimal("99.60"), 812)


def rated(release, rating, count, total):
    return PriceQuoteFactory(release=release, seller_rating=rating, seller_ratings_count=count, amount=Decimal(total) - 5)


@pytest.fixture
def offers():
    release = ReleaseFactory()
    return release, {
        "trusted": rated(release, Decimal("99.8"), 1520, 40),
        "new_seller": rated(release, Decimal("100"), 3, 20),
        "poorly_rated": rated(release, Decimal("91.0"), 800, 25),
        "unrated": rated(release, None, None, 15),
    }


def passing(release, **minimums):
    quotes = filter_quotes(PriceQuote.objects.filter(release=release), BuyingFilters("ES", **minimums))
    return set(quotes.values_list("pk", flat=True))


def test_filters_keep_sellers_rated_at_least_and_with_enough_ratings_and_never_an_unstated_one(offers):
    release, q = offers
    assert passing(release) == {quote.pk for quote in q.values()}
    assert passing(release, min_seller_rating=Decimal("98")) == {q["trusted"].pk, q["new_seller"].pk}
    assert passing(release, min_seller_ratings=100) == {q["trusted"].pk, q["poorly_rated"].pk}
    assert passing(release, min_seller_rating=Decimal("98"), min_seller_ratings=100) == {q["trusted"].pk}


def test_the_profile_filters_and_the_basket_obey_the_seller_minimums(offers):
    release, q = offers
    user = UserFactory()
    user.profile.country = "ES"
    user.profile.min_seller_rating, user.profile.min_seller_ratings = Decimal("98"), 100
    user.profile.save()
    FeedbackFactory(user=user, album=release.album, kind="lock")
    filters = buying_filters(user)
    assert (filters.min_seller_rating, filters.min_seller_ratings) == (Decimal("98"), 100)
    basket = cheapest_basket(user, filters)
    assert basket.total_eur == Decimal("40.00")  # the trusted seller's, not the cheaper unrated or new ones


def test_a_watch_fires_only_on_sellers_it_accepts_and_on_offers_rated_at_least_its_level(offers):
    release, q = offers
    for total in (40, 40, 40):  # the usual price of a VG+ copy: 40
        PriceQuoteFactory(release=release, amount=Decimal(total - 5), condition="VG+", is_current=False)
    for quote in q.values():
        PriceQuote.objects.filter(pk=quote.pk).update(condition="VG+")
    user = UserFactory()
    user.profile.country = "ES"
    user.profile.save()
    rating_watch = WatchFactory(user=user, album=release.album, max_total_eur=Decimal(50), min_seller_ratings=100)
    assert {n.quote_id for n in evaluate_watch(rating_watch)} == {q["trusted"].pk, q["poorly_rated"].pk}
    rating_watch.delete()
    deal_watch = WatchFactory(user=user, album=release.album, max_total_eur=Decimal(50), min_deal_level="excellent")
    # 15 (−62 %) and 20 (−50 %) and 25 (−37.5 %) are excellent against 40; the trusted 40 is only fair.
    assert {n.quote_id for n in evaluate_watch(deal_watch)} == {q["unrated"].pk, q["new_seller"].pk, q["poorly_rated"].pk}


def test_new_seller_minimums_ask_for_a_new_recommendation_set():
    from recommendations.services import inputs_hash

    user = UserFactory()
    before = inputs_hash(user)
    user.profile.min_seller_ratings = 50
    user.profile.save()
    assert inputs_hash(user) != before  # the prices that rank and explain the albums change


def test_the_album_page_says_a_sellers_rating_and_how_many_ratings_it_is_of(client):
    from django.urls import reverse

    from pricing.inventory import sellers_store

    release = ReleaseFactory()
    PriceQuoteFactory(
        release=release, store=sellers_store(), seller="hamburg-vinyl", seller_rating=Decimal("99.6"), seller_ratings_count=1812
    )
    html = client.get(reverse("pricing:album_offers", args=[release.album.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hamburg-vinyl (99.6% of 1,812 ratings)" in html
