"""Prices: ECB rates, quotes in EUR with history, Discogs marketplace figures, eBay, shop links."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from catalog import services as catalog_services
from catalog.factories import AlbumFactory, ArtistFactory, ReleaseFactory
from integrations.ebay import ApplicationToken, VinylCategory
from integrations.models import ApiCall
from integrations.replay import record_fixture
from pricing import offers, services, sources
from pricing.currency import MissingRate
from pricing.factories import ExchangeRateFactory
from pricing.models import AlbumBestPrice, ExchangeRate, PriceQuote
from pricing.offers import Offer
from pricing.sources import ebay as ebay_source
from vinilogy.demo import replaying

pytestmark = pytest.mark.django_db


@pytest.fixture
def replay():
    with replaying():
        yield


@pytest.fixture
def discogs_store():
    return sources.get("discogs").store()


def offer(album, store, amount="20.00", currency="EUR", **fields):
    return Offer(album=album, store=store, offer_key="release:1:lowest", currency=currency, amount=Decimal(amount), **fields)


def test_the_ecb_rates_of_the_day_are_stored(replay):
    assert services.refresh_exchange_rates() == 30

    assert ExchangeRate.objects.get(currency="USD", date=date(2024, 6, 28)).rate == Decimal("1.0705")


def test_rates_on_a_day_are_the_latest_within_a_week():
    today = date(2024, 4, 2)
    ExchangeRateFactory(currency="USD", date=today - timedelta(days=4), rate=Decimal("1.0800"))
    ExchangeRateFactory(currency="USD", date=today - timedelta(days=1), rate=Decimal("1.0900"))
    ExchangeRateFactory(currency="GBP", date=today - timedelta(days=10), rate=Decimal("0.8500"))

    assert services.rates_on(today) == {"USD": Decimal("1.0900")}


def test_a_new_observation_retires_the_current_quote_and_keeps_history(discogs_store):
    album = AlbumFactory()
    first = offers.record_offer(offer(album, discogs_store, "20.00"), rates={})
    second = offers.record_offer(offer(album, discogs_store, "18.00"), rates={})

    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert list(PriceQuote.objects.current().values_list("item_eur", flat=True)) == [Decimal("18.00")]
    assert PriceQuote.objects.count() == 2


def test_totals_add_shipping_and_convert_with_the_rate(discogs_store):
    quote = offers.record_offer(
        offer(AlbumFactory(), discogs_store, "22.58", "USD", shipping=Decimal("11.29")), {"USD": Decimal("1.1289")}
    )

    assert (quote.amount, quote.shipping, quote.currency, quote.total_eur) == (
        Decimal("22.58"),
        Decimal("11.29"),
        "USD",
        Decimal("30.00"),
    )


def test_a_price_in_a_currency_without_a_rate_is_an_error_on_its_owner_not_a_guess(discogs_store):
    release = ReleaseFactory()

    assert offers.record_or_keep_error(offer(release.album, discogs_store, "30", "SEK"), {}, release) is None

    release.refresh_from_db()
    assert "SEK" in release.last_error and not PriceQuote.objects.exists()
    with pytest.raises(MissingRate):
        offers.record_offer(offer(release.album, discogs_store, "30", "SEK"), {})


def test_the_lowest_discogs_price_of_a_pressing_is_an_item_price_in_eur_not_a_best_price(replay):
    album = catalog_services.get_or_create_release(1).album  # The Persuader, Stockholm

    assert services.refresh_album_prices(album) == 1
    services.refresh_best_prices()

    quote = PriceQuote.objects.get(album=album)
    assert (quote.item_eur, quote.num_for_sale, quote.offer_key) == (Decimal("100.00"), 10, "release:1:lowest")
    assert quote.url == "https://www.discogs.com/sell/release/1" and quote.ships_to == ""
    # Statistics state no shipping and no seller: an item price only, never the best (landed) price.
    assert (quote.shipping_kind, quote.total_eur) == ("unknown", None)
    assert not AlbumBestPrice.objects.for_country("ES").filter(album=album).exists()


def test_fresh_prices_cost_no_api_call(replay):
    album = catalog_services.get_or_create_release(1).album
    services.refresh_album_prices(album)
    calls = ApiCall.objects.count()

    assert services.refresh_album_prices(album) == 0
    assert ApiCall.objects.count() == calls and PriceQuote.objects.count() == 1


def test_ebay_offers_from_sellers_outside_the_eu_are_left_out(tmp_path):
    """A real Browse API answer, three pages (GPU listings from Israel, the US, the UAE...):
    the only recorded eBay search, served for our query; none of its sellers is in the EU."""
    album = AlbumFactory(artist=ArtistFactory(name="NVIDIA"), title="RTX A5000")
    cache.set(ApplicationToken("app", "secret").cache_key, "token", 60)  # no token call recorded
    cache.set(VinylCategory.cache_key("EBAY_ES"), "176985", 60)  # nor a Taxonomy API call
    search = (
        "https://api.ebay.com/buy/browse/v1/item_summary/search?q=NVIDIA+RTX+A5000+vinyl&category_ids=176985"
        "&filter=itemLocationRegion%3AEUROPEAN_UNION%2CdeliveryCountry%3AES%2CbuyingOptions%3A%7BFIXED_PRICE%7D&limit=50&offset=0"
    )
    record_fixture(tmp_path, "GET", search, 200, _ebay("item_summary_search_page1.json"))
    record_fixture(
        tmp_path,
        "GET",
        "https://api.ebay.com/buy/browse/v1/item_summary/search?q=NVIDIA+RTX+A5000&limit=3&offset=3",
        200,
        _ebay("item_summary_search_page2.json"),
    )
    record_fixture(
        tmp_path,
        "GET",
        "https://api.ebay.com/buy/browse/v1/item_summary/search?q=NVIDIA+RTX+A5000&limit=3&offset=6",
        200,
        _ebay("item_summary_search_page3_last.json"),
    )
    with replaying(tmp_path, EBAY_CLIENT_ID="app", EBAY_CLIENT_SECRET="secret"):
        assert sources.get("ebay").refresh(album, ["ES"], rates={"USD": Decimal("1.1289")}) == 0

    assert ApiCall.objects.filter(provider="ebay").count() == 3 and not PriceQuote.objects.exists()


def test_a_listing_must_name_the_artist_and_every_word_of_the_title():
    assert ebay_source.offer_matches("Neil Young", "Harvest", "NEIL YOUNG - Harvest LP 1972 Reprise MS 2032 EX")
    assert not ebay_source.offer_matches("Neil Young", "Harvest", "Neil Young - After The Gold Rush LP")
    assert not ebay_source.offer_matches("Neil Young", "Harvest Moon", "Neil Young Harvest vinyl")


def test_each_local_shop_links_to_its_search_for_the_album():
    album = AlbumFactory(artist=ArtistFactory(name="Bajo Cero"), title="Lluvia & Sol")

    links = {shop.name: url for shop, url in sources.get("local").links(album)}

    assert set(links) == {"Marilians", "Bajo el Volcán", "Bora Bora", "Revolver"}
    assert links["Bora Bora"] == "https://discosborabora.com/?s=Bajo+Cero+Lluvia+%26+Sol"


def test_albums_without_pressings_are_not_due_for_prices():
    priced = ReleaseFactory().album
    AlbumFactory()
    fresh = ReleaseFactory(album=AlbumFactory(prices_refreshed_at=timezone.now())).album

    due = list(services.albums_due_for_prices())

    assert due == [priced] and fresh not in due


def _ebay(name):
    from integrations.tests.conftest import recording

    return recording(f"ebay/{name}")


def test_the_daily_fan_out_enqueues_one_price_task_per_album_due_and_source(monkeypatch):
    from pricing import tasks

    queued = []
    monkeypatch.setattr(tasks.refresh_source_prices, "apply_async", lambda args, **options: queued.append((args[0], args[2])))
    due = ReleaseFactory().album

    assert tasks.refresh_all_prices.delay().get() == 1
    assert queued == [(due.pk, ["ES"])]
