"""The language switcher in a real browser at 1,400 px and on a 375 px phone: the header's
button turns the page Spanish and the footer's back to English, without a script, and the
header fits the phone's width in both languages. Saves screenshots (artifacts/screenshots/
language-*)."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDE = {"width": 1400, "height": 900}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400px", "375px"])
def test_the_switcher_turns_the_page_spanish_and_back(new_page, screenshot, viewport):
    page = new_page(viewport)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click("header .language-switcher button[value=es]")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("header .language-switcher button[value=es]")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, "language-home-es")
    page.click("footer .language-switcher button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, "language-home-en")
