"""A rate limit's refusal in a real browser: the htmx form that was refused shows the sentence
in place (just before the seed list, which stays), instead of nothing happening."""

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_new_name_over_the_limit_says_so_above_the_seed_list(demo_site, new_page, screenshot, settings):
    settings.ACTION_LIMITS = {"new_artist": 0}  # the live server runs in this process: it sees the setting
    page = new_page()
    sign_in(page, "demo", DEMO_PASSWORD, next_url="/onboarding/")
    page.fill("#seed-search input[name=q], input[name=q]", "Nobody Knows This Band")
    button = page.get_by_role("button", name="Add “Nobody Knows This Band” and look it up")
    button.click()
    refused = page.locator(".limit-refused")
    expect(refused).to_contain_text("You have reached the limit of 0 new artists added by name per hour")
    expect(page.locator("#seed-list")).to_be_visible()
    button.click()  # refused again: still one sentence in sight, the list intact
    expect(page.locator(".limit-refused")).to_have_count(2)
    expect(page.locator(".limit-refused:visible")).to_have_count(1)
    expect(page.locator("#seed-list")).to_be_visible()
    screenshot(page, "rate-limit-refused")
    page.set_viewport_size({"width": 375, "height": 800})
    page.locator(".limit-refused:visible").scroll_into_view_if_needed()
    screenshot(page, "rate-limit-refused")
