"""Is this a good price, in a real browser over the demo (issue 24, point 1): the album page's
landed offers say their deal level against the usual price of the same pressing in the same
condition (demo prices: sample, judged against sample history and saying so), and "Best deals
first" reorders them. Screenshots at 1,400 and 375 px: deals-*."""

import pytest
from playwright.sync_api import expect

from pricing import deals
from pricing.models import PriceQuote

from .conftest import DEMO_PASSWORD, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
WIDE = {"width": 1400, "height": 900}


def _album_with_a_deal():
    """The demo album whose shown sample offers have the most deal levels."""
    offers = list(PriceQuote.objects.current().landed().filter(sample=True, ships_to="ES", release__isnull=False))
    judged = deals.deals_for(offers)
    levels = {}
    for quote in offers:
        if judged.get(quote.pk):
            levels.setdefault(quote.album_id, set()).add(judged[quote.pk].level)
    return max(levels, key=lambda album_id: (len(levels[album_id]), -album_id))


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400", "375"])
def test_offers_say_how_they_compare_with_the_usual_price_and_sort_by_deal(demo_site, new_page, screenshot, viewport):
    album_id = _album_with_a_deal()
    page = new_page(viewport=viewport)
    sign_in(page, "demo", DEMO_PASSWORD, next_url=f"/albums/{album_id}/")
    prices = page.locator("#prices")
    expect(prices.locator(".deal").first).to_be_visible()
    expect(prices).to_contain_text("the usual")
    prices.get_by_role("link", name="Best deals first").click()
    expect(prices.get_by_role("link", name="Cheapest first")).to_be_visible()
    first = prices.locator(".offers li").first
    expect(first.locator(".deal")).to_contain_text("under the usual")
    expect(first).to_contain_text("sample prices, judged against sample prices only")
    prices.scroll_into_view_if_needed()
    screenshot(page, "deals")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
