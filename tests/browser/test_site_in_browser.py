"""The website in a real browser: a listener's journey, phone widths, and an operator's CSV import."""
import re

import pytest
from playwright.sync_api import expect

from recommendations import services
from recommendations.models import RecommendationSet
from tests.demo_world import DEMO_PASSWORD, OPERATOR_PASSWORD, build_demo_world

from .conftest import DESKTOP, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GRID_SIZE = 12
CARDS = "#rec-grid article.rec-card"


@pytest.fixture
def demo(settings):
    settings.RECOMMENDATION_SET_SIZE = GRID_SIZE
    return build_demo_world()


WIDEST = """Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')"""


def _card_ids(page):
    return page.locator(CARDS).evaluate_all("cards => cards.map(card => card.id)")


def _pending_set(user):
    """A set waiting for its worker, as a listener sees it right after asking for one."""
    return RecommendationSet.objects.create(user=user, input_hash=services.inputs_hash(user), size=GRID_SIZE)


def test_listener_sees_the_grid_arrive_then_locks_dismisses_and_opens_an_album(demo, new_page, screenshot, outside_requests):
    page = new_page()
    rec_set = _pending_set(demo.listener)
    sign_in(page, "demo", DEMO_PASSWORD)

    # The banner polls while the set is generated, then the grid is swapped in without a reload.
    expect(page.locator("#rec-progress")).to_contain_text("Finding your next records")
    services.generate_set(rec_set.pk)
    expect(page.locator(CARDS)).to_have_count(GRID_SIZE)
    expect(page.locator("#rec-progress")).to_contain_text("ready")
    screenshot(page, "recommendations")

    # Lock the first card in place, from the keyboard; the focus stays on the toggle.
    lock = page.locator(CARDS).first.locator("button.toggle").first
    expect(lock).to_have_attribute("aria-pressed", "false")
    lock.focus()
    page.keyboard.press("Enter")
    expect(lock).to_have_attribute("aria-pressed", "true")
    expect(lock).to_have_text("Locked")
    expect(lock).to_be_focused()

    # Dismiss the second: another album takes its place and the grid keeps its size.
    before = _card_ids(page)
    second_title = page.locator(CARDS).nth(1).locator(".rec-title").inner_text()
    page.locator(CARDS).nth(1).get_by_role("button", name="Dismiss").click()
    expect(page.locator(CARDS).nth(1)).not_to_have_attribute("id", before[1])
    expect(page.locator(CARDS)).to_have_count(GRID_SIZE)
    assert page.locator(CARDS).nth(1).locator(".rec-title").inner_text() != second_title
    assert _card_ids(page)[2:] == before[2:]
    expect(page.locator(CARDS).nth(1).locator(".rec-title a")).to_be_focused()

    # The score breakdown opens on demand.
    page.locator(CARDS).nth(2).locator("summary").click()
    expect(page.locator(CARDS).nth(2).locator("table.points")).to_be_visible()

    # The album page: tracklist, pressings and prices load on their own.
    page.locator(CARDS).first.locator(".rec-title a").click()
    expect(page.locator("#tracklist .tracklist li")).to_have_count(10)
    expect(page.locator("#pressings table.pressings tbody tr").first).to_be_visible()
    expect(page.locator("#prices")).to_contain_text("eBay")
    expect(page.locator("#prices")).to_contain_text("Discos Paradiso")
    screenshot(page, "album")

    page.locator(".album-head .eyebrow a").click()
    expect(page.locator(".album-list li").first).to_be_visible()
    screenshot(page, "artist")
    assert outside_requests == []


def test_a_failing_fragment_says_so_and_retries_without_blocking_the_page(demo, new_page):
    page = new_page()
    sign_in(page, "demo", DEMO_PASSWORD, next_url="/wantlist/")
    album = demo.albums["Mezzanine"]
    page.route("**/prices/", lambda route: route.fulfill(status=502, body="Bad gateway"))
    page.goto(f"/albums/{album.pk}/")
    expect(page.locator("#prices")).to_contain_text("Couldn't load prices.")
    expect(page.locator("#tracklist .tracklist li")).to_have_count(10)  # the others loaded anyway
    page.unroute("**/prices/")
    page.get_by_role("button", name="Retry").click()
    expect(page.locator("#prices")).to_contain_text("eBay")


def test_theme_toggle_persists_across_reloads(demo, new_page, screenshot):
    page = new_page()
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("data-theme", "light")
    page.click("#theme-toggle")
    expect(html).to_have_attribute("data-theme", "dark")
    page.reload()
    expect(html).to_have_attribute("data-theme", "dark")
    screenshot(page, "landing-dark")


def test_onboarding_typeahead_adds_a_seed_artist_in_place(demo, new_page, screenshot):
    page = new_page()
    sign_in(page, "demo", DEMO_PASSWORD, next_url="/onboarding/")
    page.fill("#seed-q", "Bj")
    expect(page.locator("#seed-results")).to_contain_text("Björk")
    page.get_by_role("button", name="Add Björk").click()
    expect(page.locator("#seed-list")).to_contain_text("Björk")
    expect(page.locator("#seed-list")).to_contain_text("Portishead")
    screenshot(page, "onboarding")


def test_every_page_fits_a_375px_phone_and_a_desktop(demo, new_page, screenshot):
    album, artist = demo.albums["Homogenic"], demo.artists["Björk"]
    services.apply_feedback(demo.listener, album.pk, "wantlist")
    pages = {
        "landing": "/", "sign-in": "/accounts/login/", "search": "/search/?q=b",
        "recommendations": "/recommendations/", "album": f"/albums/{album.pk}/", "artist": f"/artists/{artist.pk}/",
        "onboarding": "/onboarding/", "wantlist": "/wantlist/", "reset-dismissals": "/recommendations/reset-dismissals/",
    }
    desktop = new_page(DESKTOP)
    sign_in(desktop, "demo", DEMO_PASSWORD)
    phone = new_page(PHONE, storage_state=desktop.context.storage_state())
    for page in (desktop, phone):
        for name, url in pages.items():
            if name == "sign-in":
                continue
            page.goto(url)
            page.wait_for_load_state("networkidle")
            screenshot(page, name)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= page.viewport_size["width"], f"{name} scrolls sideways at {page.viewport_size['width']}px: " + page.evaluate(WIDEST)
    phone.goto("/wantlist/")
    expect(phone.locator(f"#want-{album.pk} svg.price-chart").first).to_be_visible()
    anonymous = new_page(PHONE)
    anonymous.goto("/accounts/login/")
    screenshot(anonymous, "sign-in")


def test_operator_imports_a_csv_of_artists_and_watches_it_reach_100_percent(demo, new_page, screenshot, tmp_path):
    page = new_page()
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", OPERATOR_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    screenshot(page, "admin-dashboard")
    csv_file = tmp_path / "artists.csv"
    csv_file.write_text("name,rating\nCocteau Twins,4.5\nSlowdive,4\nMassive Attack,5\n", encoding="utf-8")
    page.goto("/admin/catalog/ingestionjob/import-csv/")
    page.set_input_files("input[type=file]", str(csv_file))
    page.click("input[type=submit][value='Upload and import']")
    expect(page.locator("#job-panel")).to_contain_text(re.compile(r"\(100%\)"))
    expect(page.locator("#job-panel progress")).to_have_attribute("value", "100")
    screenshot(page, "admin-csv-import")
