"""Watch what you mean, in a real browser over the demo (issue 23, point 6, and the eBay part of
point 5): the listener opens an album's watch box, asks for originals only and saves it; the
album's eBay offers say which pressing each is, or "any pressing" when the listing does not say.
Screenshots at 1,400 and 375 px: pressing-watch-*, pressing-offers-*."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from alerts.models import Watch
from pricing import sources
from pricing.offers import Offer, record_offer

from .conftest import DEMO_PASSWORD, PHONE, sign_in
from .demo_catalog import album_with_tracks_pressings_and_price

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
WIDE = {"width": 1400, "height": 900}


def _ebay_offers(album):
    """Two eBay listings of the album as a refresh records them: one its title put on a pressing,
    one that stays the album's. Deleted again by the test."""
    store = sources.get("ebay").store()
    pressing = album.releases.order_by("year", "pk").first()
    common = {
        "album": album,
        "store": store,
        "currency": "EUR",
        "shipping": Decimal("6.00"),
        "ships_to": "ES",
        "item_location": "DE",
        "condition": "used",
        "seller": "browser-test-seller",
    }
    return [
        record_offer(
            Offer(
                **common,
                offer_key="item:browser-matched",
                amount=Decimal("14.00"),
                release=pressing,
                match_source="title",
                match_confidence=0.9,
                title=f"{album.artist.name} {album.title} LP {pressing.catalog_number}",
            ),
            rates={},
        ),
        record_offer(
            Offer(
                **common,
                offer_key="item:browser-any",
                amount=Decimal("15.00"),
                match_source="title",
                match_confidence=0.2,
                title=f"{album.artist.name} {album.title} vinyl LP",
            ),
            rates={},
        ),
    ]


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400", "375"])
def test_listener_watches_originals_only_and_sees_which_pressing_each_offer_is(demo_site, new_page, screenshot, viewport):
    album = album_with_tracks_pressings_and_price()
    Watch.objects.filter(user=demo_site.listener, album=album).delete()
    quotes = _ebay_offers(album)
    page = new_page(viewport=viewport)
    try:
        sign_in(page, "demo", DEMO_PASSWORD, next_url=f"/albums/{album.pk}/")
        box = page.locator(f"#watch-{album.pk}")
        box.locator("summary").click()
        box.locator("select[name=pressing_target]").select_option("original")
        box.locator("input[name=max_total_eur]").fill("60")
        screenshot(page, "pressing-watch")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        box.locator("button[type=submit]").click()
        expect(page.locator(f"#watch-{album.pk} .watching")).to_be_visible()
        assert Watch.objects.get(user=demo_site.listener, album=album).pressing_target == Watch.Pressings.ORIGINALS

        offers = page.locator(".offers", has_text="browser-test-seller")
        expect(offers).to_contain_text("any pressing")
        expect(offers).to_contain_text(quotes[0].release.catalog_number)
        offers.scroll_into_view_if_needed()
        screenshot(page, "pressing-offers")
    finally:
        Watch.objects.filter(user=demo_site.listener, album=album).delete()
        for quote in quotes:
            quote.delete()
