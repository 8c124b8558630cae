"""The price-source registry: a new source is one module and one registry line.

The fake below is such a module, written as a test: registered, it records quotes through
pricing.offers, and the album page and the best price show them without any other change.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.factories import ReleaseFactory
from pricing import services, sources
from pricing.factories import StoreFactory
from pricing.models import AlbumBestPrice, PriceQuote
from pricing.offers import Offer, record_offer
from pricing.sources.base import PriceSource

pytestmark = pytest.mark.django_db


def unofficial_album():
    """An album whose one pressing is unofficial: the built-in Discogs source skips it (and
    eBay has no keys here), so only the registered fake is asked anything."""
    return ReleaseFactory(is_official=False).album


class CornerShopFeed(PriceSource):
    """A shop that publishes its stock with shipping to each destination."""

    name = "cornershop"
    label = "Corner Shop feed"
    store_name = "Corner Shop"
    asked = []

    def refresh(self, album, destinations, rates):
        self.asked.append((album.pk, tuple(destinations)))
        release = album.releases.first()
        for country in destinations:
            offer = Offer(
                album=album,
                store=self.store(),
                offer_key=f"stock:{release.pk}",
                release=release,
                ships_to=country,
                currency="EUR",
                amount=Decimal("14.00"),
                shipping=Decimal("4.50"),
                title="In the shop's own feed",
                url="https://cornershop.example/stock/1",
            )
            record_offer(offer, rates)
        return len(destinations)


@pytest.fixture
def corner_shop(monkeypatch):
    source = CornerShopFeed()
    source.asked = []
    monkeypatch.setattr(sources, "SOURCES", [*sources.SOURCES, source])  # the one registry line
    StoreFactory(name="Corner Shop", kind="cornershop")
    return source


def test_a_registered_source_is_asked_for_every_destination_and_its_quotes_are_kept(corner_shop):
    album = unofficial_album()

    assert services.refresh_album_prices(album, countries=["ES", "DE"]) == 2

    assert corner_shop.asked == [(album.pk, ("ES", "DE"))]
    quote = PriceQuote.objects.get(store__kind="cornershop", ships_to="DE")
    assert quote.total_eur == Decimal("18.50")


def test_a_registered_sources_quote_is_the_best_price_and_shows_on_the_album_page(client, corner_shop):
    album = unofficial_album()
    services.refresh_album_prices(album, countries=["ES"])
    services.refresh_best_prices()

    best = AlbumBestPrice.objects.for_country("ES").get(album=album)
    assert best.store.name == "Corner Shop" and best.total_eur == Decimal("18.50")
    html = client.get(reverse("pricing:album_offers", args=[album.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "<h3>Corner Shop feed</h3>" in html and "€18.50" in html
    assert "https://cornershop.example/stock/1" in html


def test_an_unconfigured_source_is_not_asked(corner_shop, monkeypatch):
    monkeypatch.setattr(CornerShopFeed, "is_configured", lambda self: False)

    assert services.refresh_album_prices(unofficial_album(), countries=["ES"]) == 0
    assert corner_shop.asked == []


def test_every_registered_source_has_a_unique_name_and_a_label():
    names = [source.name for source in sources.registered()]
    assert len(names) == len(set(names)) and all(source.label for source in sources.registered())
    assert sources.get("ebay").label == "eBay"
    with pytest.raises(KeyError, match="No price source 'nope'"):
        sources.get("nope")
