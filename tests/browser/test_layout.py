"""Layout in a real browser at 1,400 px and on a 375 px phone (812 px tall), over the demo:
the album page's pressings table never overflows its box, the progress banners never cover a
control, and the phone header (its navigation folded behind a menu button) takes at most 15%
of the first screen. Saves screenshots of the grid, an album page, the wantlist, onboarding and
alerts at both widths (artifacts/screenshots/layout-*)."""

import pytest
from django.db.models import Count, Q
from django.utils import timezone
from playwright.sync_api import expect

from accounts.catalog_build import chain_artist_ids
from accounts.models import Profile
from catalog.models import Album, Artist
from recommendations import services
from recommendations.models import RecommendationSet

from .conftest import DEMO_PASSWORD, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDE = {"width": 1400, "height": 900}
WIDTHS = [WIDE, PHONE]
HEADER_SHARE = 0.15
CARDS = "#rec-grid article.rec-card"

# Every element of the pressings table (cells and what is in them) that lies outside the
# table's box (.table-wrap), and whether the box itself scrolls sideways. The column headings
# folded away for screen readers on phones (a 1 px clipped thead) are not laid out to be seen.
OVERFLOW_OF_PRESSINGS = """() => {
  const wrap = document.querySelector('#pressings .table-wrap');
  const box = wrap.getBoundingClientRect();
  const folded = (el) => { const head = el.closest('thead'); return head && head.getBoundingClientRect().width <= 1; };
  const out = Array.from(wrap.querySelectorAll('table *')).filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && !folded(el) && (r.left < box.left - 1 || r.right > box.right + 1);
  });
  return {scrolls: wrap.scrollWidth > wrap.clientWidth, outside: out.slice(0, 5).map((el) => `${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}"`)};
}"""

# The controls (buttons, links, fields, disclosures) whose box meets the banner's, outside it.
CONTROLS_UNDER = """(selector) => {
  const banner = document.querySelector(selector);
  const b = banner.getBoundingClientRect();
  const meets = (r) => r.width > 0 && r.height > 0 && r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top;
  return Array.from(document.querySelectorAll('button, a[href], input, select, textarea, summary'))
    // a control folded away (the phone menu's closed disclosure keeps its layout box) is under nothing
    .filter((el) => !banner.contains(el) && el.checkVisibility({visibilityProperty: true}) && meets(el.getBoundingClientRect()))
    .map((el) => `${el.tagName} "${el.textContent.trim().slice(0, 30)}"`);
}"""


@pytest.fixture
def listener_page(demo_site, new_page):
    """open(viewport): a page signed in as the demo listener at that size."""

    def open_page(viewport):
        page = new_page(viewport)
        sign_in(page, "demo", DEMO_PASSWORD, next_url="/wantlist/")
        return page

    return open_page


def _albums_to_lay_out():
    """The demo album with the most pressings, and the one with the most priced pressings (the
    widest price cells)."""
    albums = Album.objects.annotate(
        pressings=Count("releases", distinct=True),
        priced=Count("releases", filter=Q(releases__price_quotes__is_current=True), distinct=True),
    )
    return [albums.order_by("-pressings", "pk").first(), albums.order_by("-priced", "pk").first()]


@pytest.mark.parametrize("viewport", WIDTHS, ids=["1400px", "375px"])
def test_the_pressings_table_fits_its_box_without_clipping_a_column(listener_page, viewport, screenshot):
    page = listener_page(viewport)
    for album in _albums_to_lay_out():
        page.goto(f"/albums/{album.pk}/")
        expect(page.locator("#pressings table.pressings tbody tr").first).to_be_visible()
        overflow = page.evaluate(OVERFLOW_OF_PRESSINGS)
        assert overflow == {"scrolls": False, "outside": []}, f"{album} at {viewport['width']}px: {overflow}"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        expect(page.locator("#pressings tbody tr").first.get_by_role("link", name="Discogs")).to_be_visible()
    screenshot(page, "layout-album")


@pytest.mark.parametrize("viewport", WIDTHS, ids=["1400px", "375px"])
def test_the_progress_banners_cover_no_control(demo_site, listener_page, viewport, screenshot):
    """The catalog-building banner over a ready grid, then a set being generated and arriving."""
    services.generate_now(demo_site.listener)
    with _catalog_being_built(demo_site.listener):
        page = listener_page(viewport)
        page.goto("/recommendations/")
        expect(page.locator("#catalog-progress")).to_contain_text("Building your catalog")
        expect(page.locator(CARDS).first).to_be_visible()
        _expect_no_control_under(page, "#catalog-progress")
        screenshot(page, "layout-recommendations-building")

        rec_set = RecommendationSet.objects.create(
            user=demo_site.listener, input_hash=services.inputs_hash(demo_site.listener), size=24
        )
        page.goto("/recommendations/")
        expect(page.locator("#rec-progress")).to_contain_text("Finding your next records")
        _expect_no_control_under(page, "#rec-progress")
        services.generate_set(rec_set.pk)
        expect(page.locator(CARDS)).to_have_count(rec_set.items.count())
        expect(page.locator("#rec-progress")).to_contain_text("ready")
        for banner in ("#rec-progress", "#catalog-progress"):
            _expect_no_control_under(page, banner)
        screenshot(page, "layout-recommendations")


class _catalog_being_built:
    """The listener's catalog requested with one of their artists still to look up, as right
    after adding taste; put back as it was afterwards (the demo catalog is shared)."""

    def __init__(self, user):
        self.user = user
        self.artist = None

    def __enter__(self):
        chain = Artist.objects.filter(pk__in=chain_artist_ids(self.user)).order_by("pk")
        if not chain.filter(albums_refreshed_at__isnull=True).exists():
            self.artist, self.refreshed_at = chain.first(), chain.first().albums_refreshed_at
            Artist.objects.filter(pk=self.artist.pk).update(albums_refreshed_at=None)
        Profile.objects.filter(user=self.user).update(catalog_requested_at=timezone.now())

    def __exit__(self, *exc):
        if self.artist is not None:
            Artist.objects.filter(pk=self.artist.pk).update(albums_refreshed_at=self.refreshed_at)
        Profile.objects.filter(user=self.user).update(catalog_requested_at=None)


def _expect_no_control_under(page, banner):
    """At the top of the page and scrolled to its end (a banner fixed to the window would meet
    other controls there)."""
    for scroll in ("window.scrollTo(0, 0)", "window.scrollTo(0, document.body.scrollHeight)"):
        page.evaluate(scroll)
        assert page.evaluate(CONTROLS_UNDER, banner) == [], f"{banner} covers controls at {page.viewport_size['width']}px"
    page.evaluate("window.scrollTo(0, 0)")


def test_the_phone_header_folds_its_navigation_behind_a_menu_button(listener_page, screenshot):
    page = listener_page(PHONE)
    page.goto("/recommendations/")
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] <= HEADER_SHARE * PHONE["height"], f"the header takes {header['height']:.0f} of {PHONE['height']} px"
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Wantlist")).to_be_hidden()
    page.locator("header summary.menu-button").click()  # the disclosure: no script involved
    expect(nav.get_by_role("link", name="Wantlist")).to_be_visible()
    screenshot(page, "layout-menu-open")
    nav.get_by_role("link", name="Wantlist").click()
    page.wait_for_url("**/wantlist/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wantlist")


def test_the_wide_header_shows_its_navigation_without_a_menu_button(listener_page):
    page = listener_page(WIDE)
    page.goto("/recommendations/")
    expect(page.locator("header summary.menu-button")).to_be_hidden()
    for name in ("Recommendations", "Wantlist", "Basket", "Your taste"):
        expect(page.get_by_role("navigation", name="Main").get_by_role("link", name=name)).to_be_visible()


@pytest.mark.parametrize("viewport", WIDTHS, ids=["1400px", "375px"])
def test_the_listeners_pages_fit_and_are_saved_as_screenshots(demo_site, listener_page, viewport, screenshot):
    """Wantlist (one list, a price sentence each), onboarding and alerts: nothing scrolls sideways."""
    wanted = _albums_to_lay_out()[1]
    services.apply_feedback(demo_site.listener, wanted.pk, "wantlist")
    page = listener_page(viewport)
    for name, url in {"wantlist": "/wantlist/", "onboarding": "/onboarding/", "alerts": "/alerts/"}.items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], f"{name} scrolls sideways"
        screenshot(page, f"layout-{name}")
    page.goto("/wantlist/")
    expect(page.locator(f"#want-{wanted.pk} .want-price")).not_to_be_empty()
    expect(page.locator(".want-item").first.locator(".want-price")).not_to_have_text("No price yet")
