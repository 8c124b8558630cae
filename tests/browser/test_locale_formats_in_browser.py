"""Money in the reader's language in a real browser: the demo listener's grid and basket in
Spanish write "17,50 €" (never "€17.50"), at 1,400 px and on a 375 px phone, and nothing
overflows. Saves screenshots (artifacts/screenshots/prices-es-*)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDE = {"width": 1400, "height": 900}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
ENGLISH_AMOUNT = re.compile(r"€\d")
SPANISH_AMOUNT = re.compile(r"\d,\d\d\u00a0€")


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400px", "375px"])
def test_the_grid_and_the_basket_write_prices_the_spanish_way(demo_site, new_page, screenshot, viewport):
    page = new_page(viewport)
    sign_in(page, demo_site.listener.username, DEMO_PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": demo_site.url}])
    for path, name in (("/recommendations/", "prices-es-grid"), ("/basket/", "prices-es-basket")):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        text = page.locator("main").inner_text()
        assert SPANISH_AMOUNT.search(text) and not ENGLISH_AMOUNT.search(text), path
        assert page.evaluate(OVERFLOW) <= 0, path
        screenshot(page, name)
