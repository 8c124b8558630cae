"""The best-price table: cheapest current landed total per album and country, across pressings and stores."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from catalog.factories import AlbumFactory, ReleaseFactory
from pricing.best_price import mismatched_album_ids, refresh_best_prices, update_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.models import AlbumBestPrice, PriceQuote, Store
from pricing.signals import quotes_changed

pytestmark = pytest.mark.django_db(transaction=True)


def _quote(release, store, total, ships_to="ES", **extra):
    return PriceQuoteFactory(
        release=release,
        album=release.album,
        store=store,
        amount=Decimal(total),
        shipping=Decimal("0"),
        total_eur=Decimal(total),
        ships_to=ships_to,
        **extra,
    )


@pytest.fixture
def album_with_offers():
    album = AlbumFactory()
    uk, eu = ReleaseFactory(album=album, country="UK"), ReleaseFactory(album=album, country="Europe")
    discogs, ebay = StoreFactory(name="Discogs", kind="discogs"), StoreFactory(name="eBay", kind="ebay")
    quotes = {
        "uk_discogs_es": _quote(uk, discogs, "31.50"),
        "eu_ebay_es": _quote(eu, ebay, "27.40"),
        "eu_discogs_es": _quote(eu, discogs, "29.99"),
        "uk_ebay_de": _quote(uk, ebay, "22.00", ships_to="DE"),
    }
    return album, quotes


def test_cheapest_total_per_album_and_country_across_pressings_and_stores(album_with_offers):
    album, quotes = album_with_offers
    refresh_best_prices()
    rows = {row.ships_to: row for row in AlbumBestPrice.objects.filter(album=album)}
    assert set(rows) == {"ES", "DE"}
    assert rows["ES"].quote_id == quotes["eu_ebay_es"].pk
    assert rows["ES"].total_eur == Decimal("27.40")
    assert rows["DE"].total_eur == Decimal("22.00")


def test_retired_quotes_do_not_count(album_with_offers):
    album, quotes = album_with_offers
    PriceQuote.objects.filter(pk=quotes["eu_ebay_es"].pk).update(is_current=False)
    refresh_best_prices()
    assert AlbumBestPrice.objects.get(album=album, ships_to="ES").total_eur == Decimal("29.99")


def test_inactive_stores_do_not_count(album_with_offers):
    album, _ = album_with_offers
    Store.objects.filter(name="eBay").update(is_active=False)
    refresh_best_prices()
    assert AlbumBestPrice.objects.get(album=album, ships_to="ES").total_eur == Decimal("29.99")
    assert not AlbumBestPrice.objects.filter(album=album, ships_to="DE").exists()


def test_one_row_per_album_and_country_even_on_ties():
    album = AlbumFactory()
    store = StoreFactory(name="Discogs", kind="discogs")
    _quote(ReleaseFactory(album=album), store, "10.00")
    _quote(ReleaseFactory(album=album), store, "10.00")
    refresh_best_prices()
    assert AlbumBestPrice.objects.filter(album=album, ships_to="ES").count() == 1


def test_a_price_batch_updates_only_its_albums_best_prices(album_with_offers):
    album, quotes = album_with_offers
    other = AlbumFactory()
    refresh_best_prices()
    _quote(ReleaseFactory(album=album), quotes["eu_ebay_es"].store, "5.00")
    _quote(ReleaseFactory(album=other), quotes["eu_ebay_es"].store, "7.00")

    assert update_best_prices([album.pk]) == 1

    assert AlbumBestPrice.objects.get(album=album, ships_to="ES").total_eur == Decimal("5.00")
    assert not AlbumBestPrice.objects.filter(album=other).exists()  # untouched until its own batch
    assert mismatched_album_ids() == [other.pk]


def test_announcing_changed_quotes_updates_their_best_prices(album_with_offers):
    album, quotes = album_with_offers
    refresh_best_prices()
    PriceQuote.objects.filter(pk=quotes["eu_ebay_es"].pk).update(is_current=False)

    quotes_changed.send(sender=None, album_ids={album.pk})

    assert AlbumBestPrice.objects.get(album=album, ships_to="ES").quote_id == quotes["eu_discogs_es"].pk


def test_the_nightly_check_repairs_only_the_albums_that_differ(album_with_offers):
    album, quotes = album_with_offers
    untouched = _quote(ReleaseFactory(), quotes["eu_ebay_es"].store, "9.00").album
    refresh_best_prices()
    Store.objects.filter(pk=quotes["eu_ebay_es"].store_id).update(is_active=False)  # no batch announces this

    assert refresh_best_prices() == 2  # the album and the other one eBay priced

    assert AlbumBestPrice.objects.get(album=album, ships_to="ES").total_eur == Decimal("29.99")
    assert not AlbumBestPrice.objects.filter(album=untouched).exists()
    assert refresh_best_prices() == 0


def test_item_only_quotes_are_never_a_best_price():
    album = AlbumFactory()
    PriceQuoteFactory(album=album, release=ReleaseFactory(album=album), amount=Decimal("3.00"), shipping=None)

    refresh_best_prices()

    assert not AlbumBestPrice.objects.filter(album=album).exists()


def test_the_grid_lookup_is_served_by_the_album_country_index():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, AlbumBestPrice._meta.db_table)
    assert any(index["columns"] == ["album_id", "ships_to"] and index["unique"] for index in indexes.values())


def test_one_current_quote_per_offer():
    quote = PriceQuoteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceQuoteFactory(store=quote.store, offer_key=quote.offer_key, ships_to=quote.ships_to)


def test_a_deleted_quote_takes_its_best_price_row_with_it_and_the_nightly_check_repairs_a_raw_delete(album_with_offers):
    """The rows keep no database key on their quote (pricing.models.AlbumBestPrice): Django
    cascades a deletion, and a delete that bypasses it is caught by the nightly check."""
    album, quotes = album_with_offers
    refresh_best_prices()
    quotes["eu_ebay_es"].delete()
    assert not AlbumBestPrice.objects.filter(pk=quotes["eu_ebay_es"].pk).exists()
    update_best_prices([album.pk])
    assert AlbumBestPrice.objects.get(album=album, ships_to="ES").quote_id == quotes["eu_discogs_es"].pk

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pricing_pricequote WHERE id = %s", [quotes["eu_discogs_es"].pk])
    assert mismatched_album_ids() == [album.pk]
    assert refresh_best_prices() == 1
    assert AlbumBestPrice.objects.get(album=album, ships_to="ES").quote_id == quotes["uk_discogs_es"].pk
