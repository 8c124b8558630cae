"""Seller inventories: Discogs' documented inventory shape → one quote per listing and destination.

The pages are built from the documented example (integrations/fixtures/SOURCES.md: no inventory
was ever recorded); Discogs is faked at the HTTP layer only.
"""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.factories import AlbumFactory, ReleaseFactory
from integrations.discogs import DiscogsClient, parse_inventory_page
from integrations.errors import ApiError
from integrations.tests.conftest import recording, serve
from pricing import inventory, tasks
from pricing.models import PriceQuote, Seller, ShippingRate, Store
from pricing.signals import quotes_changed

pytestmark = pytest.mark.django_db

URL = "https://api.discogs.com/users/built-example-seller/inventory"
PAGES = [f"discogs/inventory_built-example-seller_page{n}.json" for n in (1, 2, 3)]
KNOWN_RELEASES = (2992668, 1900152, 5610049, 2791275, 1842118)  # 999999999 is not in the catalog


def page_params(page):
    return {"status": "For Sale", "sort": "listed", "sort_order": "desc", "per_page": "100", "page": str(page)}


def serve_pages(mock, names):
    for number, name in enumerate(names, 1):
        serve(mock, URL, name, params=page_params(number))


@pytest.fixture
def catalog():
    album = AlbumFactory(title="Rome")
    return {discogs_id: ReleaseFactory(discogs_id=discogs_id, album=album) for discogs_id in KNOWN_RELEASES}


@pytest.fixture
def seller():
    return Seller.objects.create(discogs_username="built-example-seller", country="DE")


@pytest.fixture(autouse=True)
def empty_table():
    """These tests set the rows they need: the migration's default rows are left out."""
    ShippingRate.objects.all().delete()


@pytest.fixture
def table():
    ShippingRate.objects.create(
        ships_from="DE", ships_to="ES", first_item_eur=Decimal("14.00"), additional_item_eur=Decimal("3.00")
    )


@pytest.fixture
def crawl(settings):
    settings.DISCOGS_ACCOUNT_COUNTRY = "ES"

    def run(seller, countries=("ES",)):
        return inventory.crawl_seller(seller, client=DiscogsClient(), countries=list(countries), rates={})

    return run


def test_the_documented_example_page_parses_every_listing_field():
    page = parse_inventory_page(recording("discogs/inventory_360vinyl_docs-example.json"))
    first = page.items[0]
    assert (page.total, page.next_cursor, len(page.items)) == (4, None, 4)
    assert (first.id, first.release_id, first.status, first.ships_from) == (150899904, 2992668, "For Sale", "United States")
    assert (first.condition, first.sleeve_condition, first.seller_username) == (
        "Near Mint (NM or M-)",
        "Near Mint (NM or M-)",
        "rappcats",
    )
    assert (first.price.amount, first.price.currency, first.shipping_price) == (Decimal("149.99"), "USD", None)
    assert first.posted == datetime(2014, 7, 1, 17, 20, 17, tzinfo=UTC)
    assert first.uri == "https://www.discogs.com/sell/item/150899904"


def test_a_listing_with_a_stated_shipping_price_and_seller_stats_keeps_both():
    listing = parse_inventory_page(recording(PAGES[0])).items[0]
    assert (listing.shipping_price.amount, listing.seller_rating) == (Decimal("6.00"), Decimal("99.60"))


def test_the_first_crawl_walks_every_page_and_records_each_known_listing(http_responses, catalog, seller, table, crawl):
    serve_pages(http_responses, PAGES)
    result = crawl(seller)
    assert (result.pages, result.listings, result.recorded, result.unknown_releases, result.full_walk) == (3, 7, 6, 1, True)
    seller.refresh_from_db()
    assert seller.full_walk_done_at is not None and seller.listings_current == 6
    assert seller.newest_listed_at == datetime(2024, 6, 20, 16, 0, tzinfo=UTC)
    assert PriceQuote.objects.current().filter(seller_account=seller).count() == 6


def test_a_listing_becomes_a_quote_with_conditions_seller_and_ships_from(http_responses, catalog, seller, table, crawl):
    serve_pages(http_responses, PAGES)
    crawl(seller)
    stated = PriceQuote.objects.get(offer_key="listing:9100007")
    assert (stated.condition, stated.sleeve_condition, stated.seller, stated.seller_rating) == (
        "M",
        "M",
        "built-example-seller",
        Decimal("99.60"),
    )
    assert (stated.item_location, stated.ships_to, stated.release, stated.store.name) == (
        "DE",
        "ES",
        catalog[2992668],
        "Discogs sellers",
    )
    assert (stated.shipping_kind, stated.item_eur, stated.shipping_eur, stated.total_eur) == (
        "exact",
        Decimal("31.50"),
        Decimal("6.00"),
        Decimal("37.50"),
    )
    generic = PriceQuote.objects.get(offer_key="listing:9100006")
    assert (generic.condition, generic.sleeve_condition) == ("VG+", "Generic")
    assert (generic.shipping_kind, generic.shipping_eur, generic.total_eur) == (
        "estimated",
        Decimal("18.20"),
        Decimal("36.20"),
    )  # 2xLP: 14 × 1.3
    assert PriceQuote.objects.get(offer_key="listing:9100004").shipping_eur == Decimal("28.00")  # a box weighs twice an LP


def test_stated_shipping_is_exact_only_to_the_calling_accounts_country(http_responses, catalog, seller, table, crawl):
    ShippingRate.objects.create(
        ships_from="EU", ships_to="EU", first_item_eur=Decimal("16.00"), additional_item_eur=Decimal("3.00")
    )
    serve_pages(http_responses, PAGES)
    crawl(seller, countries=("ES", "FR"))
    kinds = dict(PriceQuote.objects.filter(offer_key="listing:9100007").values_list("ships_to", "shipping_kind"))
    assert kinds == {"ES": "exact", "FR": "estimated"}


def test_without_a_shipping_table_row_a_listing_is_an_item_price_only(http_responses, catalog, seller, crawl):
    serve_pages(http_responses, PAGES)
    crawl(seller)
    quote = PriceQuote.objects.get(offer_key="listing:9100006")
    assert (quote.shipping_kind, quote.total_eur) == ("unknown", None)


def test_an_incremental_crawl_stops_at_the_first_listing_already_seen(http_responses, catalog, seller, table, crawl):
    serve_pages(http_responses, PAGES)
    crawl(seller)
    http_responses.reset()
    serve(http_responses, URL, "discogs/inventory_built-example-seller_page1_later.json", params=page_params(1))
    result = crawl(seller)
    assert (result.full_walk, result.pages, result.listings, result.recorded, result.retired) == (False, 1, 1, 1, 0)
    assert PriceQuote.objects.current().filter(seller_account=seller).count() == 7
    assert len(http_responses.calls) == 1


def test_a_full_walk_retires_listings_no_longer_for_sale_and_keeps_their_history(http_responses, catalog, seller, table, crawl):
    serve_pages(http_responses, PAGES)
    crawl(seller)
    Seller.objects.filter(pk=seller.pk).update(full_walk_done_at=timezone.now() - timedelta(days=30))
    seller.refresh_from_db()
    http_responses.reset()
    # The oldest listing was sold: the inventory now ends on page 2.
    serve(http_responses, URL, PAGES[0], params=page_params(1))
    last = recording(PAGES[1])
    last["pagination"].update(pages=2, items=6)
    serve(http_responses, URL, body=json.dumps(last), params=page_params(2))
    changed = []
    quotes_changed.connect(receiver := lambda album_ids, **kw: changed.append(album_ids), weak=False)
    try:
        result = crawl(seller)
    finally:
        quotes_changed.disconnect(receiver)
    gone = PriceQuote.objects.get(offer_key="listing:9100001")
    assert (result.full_walk, result.retired, gone.is_current) == (True, 1, False)
    assert changed and catalog[2992668].album_id in changed[-1]
    seller.refresh_from_db()
    assert seller.listings_current == 5


def test_a_local_shops_account_lists_its_stock_as_the_shops_own_quotes(http_responses, catalog, table, crawl):
    shop = Store.objects.create(name="Corner Records", kind="local", city="Madrid", country="ES")
    seller = Seller.objects.create(discogs_username="built-example-seller", store=shop)
    serve_pages(http_responses, PAGES)
    crawl(seller)
    assert set(PriceQuote.objects.filter(seller_account=seller).values_list("store__name", flat=True)) == {"Corner Records"}


def test_an_api_error_is_kept_on_the_seller(http_responses, seller, crawl):
    serve(http_responses, URL, status=404, body='{"message": "The request resource was not found."}', params=page_params(1))
    with pytest.raises(ApiError):
        crawl(seller)
    seller.refresh_from_db()
    assert seller.last_error and seller.full_walk_done_at is None


def test_the_fan_out_enqueues_one_crawl_per_seller_due(seller, monkeypatch):
    Seller.objects.create(discogs_username="fresh", last_crawled_at=timezone.now())
    Seller.objects.create(discogs_username="paused", is_active=False)
    enqueued = []
    monkeypatch.setattr(tasks.crawl_seller, "delay", enqueued.append)
    assert tasks.crawl_sellers() == 1 and enqueued == [seller.pk]


@pytest.mark.parametrize(
    "words, code",
    [
        ("Mint (M)", "M"),
        ("Near Mint (NM or M-)", "NM"),
        ("Very Good Plus (VG+)", "VG+"),
        ("Good Plus (G+)", "G+"),
        ("Poor (P)", "P"),
        ("Generic", ""),
        ("", ""),
    ],
)
def test_discogs_grades_map_to_condition_codes(words, code):
    assert inventory.condition_code(words) == code


def test_a_shop_with_crawled_stock_of_the_album_shows_its_stock_not_a_search_link(http_responses, catalog, table, crawl):
    from pricing.sources.local_shops import LocalShops

    stocked = Store.objects.create(name="Corner Records", kind="local", search_url_template="https://corner.example/?q={query}")
    other = Store.objects.create(name="Other Records", kind="local", search_url_template="https://other.example/?q={query}")
    serve_pages(http_responses, PAGES)
    crawl(Seller.objects.create(discogs_username="built-example-seller", store=stocked))
    album = catalog[2992668].album
    shown = [shop for shop, _ in LocalShops().links(album)]
    assert other in shown and stocked not in shown


def test_the_album_page_lists_a_sellers_listing_with_what_its_price_includes(
    client, http_responses, catalog, seller, table, crawl
):
    from django.urls import reverse

    serve_pages(http_responses, PAGES)
    crawl(seller)
    page = client.get(reverse("pricing:album_offers", args=[catalog[2992668].album_id])).content.decode()
    assert "Discogs sellers" in page and "built-example-seller (99.6% of 812 ratings)" in page
    assert "€37.50" in page and "incl. shipping from Germany (exact" in page and "Mint (M)" in page
    assert "sample price" not in page
