"""The album's prices fragment reads only the offers it shows, landed ones first, each saying what it includes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.factories import AlbumFactory, ReleaseFactory
from pricing import sources
from pricing.factories import PriceQuoteFactory
from pricing.queries import offers_by_source

pytestmark = pytest.mark.django_db


def _quotes(album, store, count, shipping):
    for n in range(count):
        PriceQuoteFactory(
            album=album,
            release=ReleaseFactory(album=album),
            store=store,
            amount=Decimal(10 + n),
            shipping=shipping,
            ships_to="ES" if shipping is not None else "",
        )


def test_each_source_lists_its_cheapest_landed_offers_first_then_item_prices():
    album = AlbumFactory()
    ebay, discogs = sources.get("ebay"), sources.get("discogs")
    _quotes(album, ebay.store(), 25, Decimal("3.00"))
    _quotes(album, discogs.store(), 12, None)

    sections = {section.source.name: section.quotes for section in offers_by_source(album, "ES")}

    assert [q.total_eur for q in sections["ebay"]] == [Decimal(13 + n) for n in range(ebay.offers_shown)]
    assert [q.item_eur for q in sections["discogs"]] == [Decimal(10 + n) for n in range(discogs.offers_shown)]


def test_the_fragment_says_what_each_price_includes_and_its_age(client):
    album = AlbumFactory()
    _quotes(album, sources.get("ebay").store(), 1, Decimal("3.00"))
    _quotes(album, sources.get("discogs").store(), 1, None)

    html = client.get(reverse("pricing:album_offers", args=[album.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert "€13.00 incl. shipping (exact)" in html and "from €10.00 + shipping" in html and "seen today" in html


@pytest.mark.parametrize("count", [10, 1000])
def test_the_prices_fragment_reads_the_same_queries_for_10_or_1000_offers(client, count, django_assert_max_num_queries):
    album = AlbumFactory()
    store = sources.get("ebay").store()
    PriceQuoteFactory.create_batch(
        count, album=album, release=None, store=store, amount=Decimal("20.00"), shipping=Decimal("2.00")
    )

    with django_assert_max_num_queries(4):  # the fourth: the shown offers' history for their deal (pricing.deals)
        html = client.get(reverse("pricing:album_offers", args=[album.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert html.count("incl. shipping (exact)") == sources.get("ebay").offers_shown
