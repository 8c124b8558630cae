"""The pressing guide in a real browser over the demo (issue 23): above the pressings table of an
album with several priced pressings, each pick with its reason and price (sample prices say so),
and a suggested pressing on the listener's cards; no overflow at 1,400 and 375 px. Screenshots:
pressing-guide-* and suggested-pressing-*."""

import pytest
from django.db.models import Count, Q
from playwright.sync_api import expect

from catalog.models import Album

from .conftest import DEMO_PASSWORD, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
WIDE = {"width": 1400, "height": 900}


def _album_with_priced_pressings():
    """The demo album with the most pressings that have a landed sample offer to Spain."""
    priced = Count(
        "releases",
        filter=Q(releases__price_quotes__ships_to="ES", releases__price_quotes__total_eur__isnull=False),
        distinct=True,
    )
    return (
        Album.objects.annotate(priced=priced).filter(priced__gte=1).order_by("-priced", "pk").values_list("pk", flat=True).first()
    )


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400", "375"])
def test_the_album_page_shows_the_guide_above_the_pressings(demo_site, new_page, screenshot, viewport):
    album_id = _album_with_priced_pressings()
    page = new_page(viewport=viewport)
    sign_in(page, "demo", DEMO_PASSWORD, next_url=f"/albums/{album_id}/")
    guide = page.locator(".pressing-guide")
    expect(guide).to_be_visible()
    expect(guide.locator(".guide-pick").first).to_be_visible()
    assert guide.locator(".guide-pick").count() >= 2
    guide.scroll_into_view_if_needed()
    screenshot(page, "pressing-guide")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1400", "375"])
def test_every_card_suggests_a_pressing(demo_site, new_page, screenshot, viewport):
    page = new_page(viewport=viewport)
    sign_in(page, "demo", DEMO_PASSWORD)
    cards = page.locator(".rec-card")
    expect(cards.first).to_be_visible()
    assert page.locator(".rec-pressing").count() == cards.count()
    page.locator(".rec-pressing").first.scroll_into_view_if_needed()
    screenshot(page, "suggested-pressing")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
