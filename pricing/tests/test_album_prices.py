"""An album's price for a listener: the best landed offer that passes their filters, and the
cheapest item-only price beside it ("from €X + shipping"), for many albums in two queries."""

from decimal import Decimal

import pytest

from catalog.factories import AlbumFactory, ReleaseFactory
from pricing.best_price import refresh_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.filters import BuyingFilters, SellerRegion
from pricing.queries import album_prices

pytestmark = pytest.mark.django_db


def _quote(album, store, amount, shipping="5.00", **fields):
    return PriceQuoteFactory(
        album=album,
        release=ReleaseFactory(album=album),
        store=store,
        amount=Decimal(amount),
        shipping=None if shipping is None else Decimal(shipping),
        **fields,
    )


@pytest.fixture
def stores():
    return {kind: StoreFactory(name=kind, kind=kind) for kind in ("discogs", "ebay", "local")}


@pytest.fixture
def album(stores):
    album = AlbumFactory()
    quotes = {
        "ebay_vg_de": _quote(album, stores["ebay"], "10.00", "8.00", condition="VG", item_location="DE"),
        "discogs_nm_es": _quote(album, stores["discogs"], "16.00", "4.00", condition="NM", item_location="ES"),
        "discogs_vgplus_fr": _quote(album, stores["discogs"], "17.00", "6.00", condition="VG+", item_location="FR"),
        "stats": _quote(album, stores["discogs"], "7.00", None, ships_to=""),
    }
    refresh_best_prices()
    return album, quotes


def _best(album, **filters):
    return album_prices([album.pk], BuyingFilters("ES", **filters))[album.pk].best


def test_the_default_best_price_is_the_cheapest_landed_total_from_the_table(album):
    album, quotes = album
    price = album_prices([album.pk], BuyingFilters("ES"))[album.pk]

    assert (price.best.quote_id, price.best.total_eur) == (quotes["ebay_vg_de"].pk, Decimal("18.00"))
    assert (price.from_quote, price.from_eur) == (quotes["stats"], Decimal("7.00"))  # item only, never the best


def test_the_filters_change_the_best_price(album):
    album, quotes = album

    assert _best(album, min_condition="VG+").pk == quotes["discogs_nm_es"].pk
    assert _best(album, seller_region=SellerRegion.MINE).pk == quotes["discogs_nm_es"].pk
    assert _best(album, max_shipping_eur=Decimal("6.00")).pk == quotes["discogs_nm_es"].pk
    assert _best(album, excluded_sources=frozenset({"ebay"})).pk == quotes["discogs_nm_es"].pk
    assert _best(album, min_condition="M") is None


def test_filtered_and_default_answers_agree_when_the_filters_let_everything_through(album):
    album, quotes = album
    loose = BuyingFilters("ES", excluded_sources=frozenset({"no such source"}))

    assert not loose.is_default
    assert album_prices([album.pk], loose)[album.pk].best.pk == _best(album).quote_id


def test_an_unstated_condition_or_ships_from_never_passes_a_filter_on_it(album):
    album, quotes = album
    price = album_prices([album.pk], BuyingFilters("ES", min_condition="VG"))[album.pk]

    assert price.from_quote is None  # the statistics state no condition


def test_an_album_with_item_prices_only_has_no_best_price_but_a_from_price(stores):
    album = AlbumFactory()
    _quote(album, stores["discogs"], "30.00", None, ships_to="")
    _quote(album, stores["discogs"], "25.00", None, ships_to="")
    refresh_best_prices()

    price = album_prices([album.pk], BuyingFilters("ES"))[album.pk]

    assert price.best is None and price.from_eur == Decimal("25.00")


@pytest.mark.parametrize("filters", [BuyingFilters("ES"), BuyingFilters("ES", min_condition="VG+")])
def test_many_albums_cost_two_queries(stores, django_assert_num_queries, filters):
    albums = [AlbumFactory() for _ in range(5)]
    for album in albums:
        _quote(album, stores["discogs"], "20.00", condition="NM")
        _quote(album, stores["discogs"], "9.00", None, ships_to="", condition="NM")
    refresh_best_prices()

    with django_assert_num_queries(2):
        prices = album_prices([a.pk for a in albums], filters)

    assert all(prices[a.pk].best.total_eur == Decimal("25.00") and prices[a.pk].from_eur == Decimal("9.00") for a in albums)
