"""The website in a real browser over the real demo catalog: a listener's journey, a failing
fragment, phone widths, and an operator's CSV import. Expected values are read from the
database, so the assertions and screenshots follow the demo data wherever it goes."""

import re

import pytest
from playwright.sync_api import expect

from catalog.models import Album
from pricing.models import PriceQuote
from recommendations import services
from recommendations.models import RecommendationSet

from .conftest import DEMO_PASSWORD, DESKTOP, OPERATOR_PASSWORD, OPERATOR_USERNAME, PHONE, code_from_outside, sign_in
from .demo_catalog import album_with_tracks_pressings_and_price

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

GRID_SIZE = 24
CARDS = "#rec-grid article.rec-card"
WIDEST = """Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')"""


@pytest.fixture
def full_album(demo_site):
    return album_with_tracks_pressings_and_price()


def _pending_set(user):
    """A set waiting for its worker, as a listener sees it right after asking for one."""
    return RecommendationSet.objects.create(user=user, input_hash=services.inputs_hash(user), size=GRID_SIZE)


def _card_ids(page):
    return page.locator(CARDS).evaluate_all("cards => cards.map(card => card.id)")


def _first_title(rec_set):
    return rec_set.items.order_by("position").select_related("album").first().album.title


def test_listener_signs_in_tends_the_grid_opens_albums_and_keeps_a_dark_theme(
    demo_site, full_album, new_page, screenshot, outside_requests
):
    page = new_page()
    rec_set = _pending_set(demo_site.listener)
    sign_in(page, "demo", DEMO_PASSWORD)
    _see_the_grid_arrive(page, rec_set)
    screenshot(page, "recommendations")
    _lock_the_first_card(page)
    _dismiss_the_second_card(page)
    page.locator(CARDS).nth(2).locator("summary").click()  # the score breakdown opens on demand
    expect(page.locator(CARDS).nth(2).locator("table.points")).to_be_visible()
    _follow_the_first_card_to_its_artist(page, screenshot)
    page.goto(f"/albums/{full_album.pk}/")
    _expect_the_fragments_of(page, full_album)
    screenshot(page, "album")
    _switch_to_dark_and_reload(page)
    _expect_the_fragments_of(page, full_album)
    screenshot(page, "album-dark")
    assert code_from_outside(outside_requests) == []


def _see_the_grid_arrive(page, rec_set):
    """The banner polls while the set is generated, then the grid is swapped in without a reload."""
    expect(page.locator("#rec-progress")).to_contain_text("Finding your next records")
    services.generate_set(rec_set.pk)
    expect(page.locator(CARDS)).to_have_count(GRID_SIZE)
    expect(page.locator("#rec-progress")).to_contain_text("ready")
    expect(page.locator(CARDS).first.locator(".rec-title")).to_have_text(_first_title(rec_set))


def _lock_the_first_card(page):
    """From the keyboard; the focus stays on the toggle."""
    lock = page.locator(CARDS).first.locator("button.toggle").first
    expect(lock).to_have_attribute("aria-pressed", "false")
    lock.focus()
    page.keyboard.press("Enter")
    expect(lock).to_have_attribute("aria-pressed", "true")
    expect(lock).to_have_text("Locked")
    expect(lock).to_be_focused()


def _dismiss_the_second_card(page):
    """Another album takes its place, the grid keeps its size and the focus moves to the newcomer."""
    before = _card_ids(page)
    second_title = page.locator(CARDS).nth(1).locator(".rec-title").inner_text()
    page.locator(CARDS).nth(1).get_by_role("button", name="Dismiss").click()
    expect(page.locator(CARDS).nth(1)).not_to_have_attribute("id", before[1])
    expect(page.locator(CARDS)).to_have_count(GRID_SIZE)
    assert page.locator(CARDS).nth(1).locator(".rec-title").inner_text() != second_title
    assert _card_ids(page)[2:] == before[2:]
    expect(page.locator(CARDS).nth(1).locator(".rec-title a")).to_be_focused()


def _follow_the_first_card_to_its_artist(page, screenshot):
    page.locator(CARDS).first.locator(".rec-title a").click()
    album = Album.objects.select_related("artist").get(pk=re.search(r"/albums/(\d+)/", page.url)[1])
    expect(page.locator("h1")).to_contain_text(album.title)
    page.locator(".album-head .eyebrow a").click()
    expect(page.locator("h1")).to_have_text(album.artist.name)
    expect(page.locator(".album-list li")).to_have_count(album.artist.albums.studio().count())
    screenshot(page, "artist")


def _expect_the_fragments_of(page, album):
    """Tracklist, pressings and prices load on their own, with the values the database holds."""
    tracks = list(album.tracks.all())
    expect(page.locator("#tracklist .tracklist li")).to_have_count(len(tracks))
    expect(page.locator("#tracklist .tracklist li").first).to_contain_text(tracks[0].title)
    expect(page.locator("#tracklist .tracklist li").last).to_contain_text(tracks[-1].duration_display)
    pressing = album.releases.first()
    expect(page.locator("#pressings table.pressings tbody tr")).to_have_count(album.releases.count())
    expect(page.locator("#pressings")).to_contain_text(pressing.catalog_number)
    expect(page.locator("#prices")).to_contain_text(f"€{_cheapest_quote(album).total_eur}")


def _cheapest_quote(album):
    return PriceQuote.objects.current().filter(album=album).order_by("total_eur").first()


def _switch_to_dark_and_reload(page):
    html = page.locator("html")
    expect(html).to_have_attribute("data-theme", "light")
    page.click("#theme-toggle")
    expect(html).to_have_attribute("data-theme", "dark")
    page.reload()
    expect(html).to_have_attribute("data-theme", "dark")


def test_a_failing_fragment_says_so_and_retries_without_blocking_the_page(demo_site, full_album, new_page):
    page = new_page()
    sign_in(page, "demo", DEMO_PASSWORD, next_url="/wantlist/")
    page.route("**/prices/", lambda route: route.fulfill(status=502, body="Bad gateway"))
    page.goto(f"/albums/{full_album.pk}/")
    expect(page.locator("#prices")).to_contain_text("Couldn't load prices.")
    expect(page.locator("#tracklist .tracklist li")).to_have_count(full_album.tracks.count())  # the others loaded anyway
    page.unroute("**/prices/")
    page.get_by_role("button", name="Retry").click()
    expect(page.locator("#prices")).to_contain_text(f"€{_cheapest_quote(full_album).total_eur}")


def test_onboarding_typeahead_adds_a_seed_artist_in_place(demo_site, new_page, screenshot):
    # An artist of the catalog the listener has not got yet (their picks change with the demo).
    full_albums = Album.objects.filter(tracks__isnull=False, releases__isnull=False)
    newcomer = (
        full_albums.exclude(artist__seeded_by__user=demo_site.listener).select_related("artist").order_by("pk").first().artist
    )
    assert not demo_site.listener.seed_artists.filter(artist=newcomer).exists()
    page = new_page()
    sign_in(page, "demo", DEMO_PASSWORD, next_url="/onboarding/")
    page.fill("#seed-q", newcomer.name)
    expect(page.locator("#seed-results")).to_contain_text(newcomer.name)
    page.get_by_role("button", name=f"Add {newcomer.name}").click()
    # The demo listener's own picks are listed too: the newcomer joins them.
    expect(page.locator("#seed-list li a").filter(has_text=newcomer.name)).to_have_count(1)
    assert demo_site.listener.seed_artists.filter(artist=newcomer, source="manual").exists()
    screenshot(page, "onboarding")


def test_every_page_fits_a_375px_phone_and_a_desktop(demo_site, full_album, new_page, screenshot, outside_requests):
    rec_set = services.generate_now(demo_site.listener)
    services.apply_feedback(demo_site.listener, full_album.pk, "wantlist")
    artist_id = rec_set.items.order_by("position").first().album.artist_id  # one with studio albums to list
    desktop = new_page(DESKTOP)
    sign_in(desktop, "demo", DEMO_PASSWORD)
    phone = new_page(PHONE, storage_state=desktop.context.storage_state())
    for page in (desktop, phone):
        for name, url in _signed_in_pages(full_album.pk, artist_id).items():
            _expect_no_sideways_scroll(page, name, url, screenshot)
    phone.goto("/wantlist/")  # the entry's price sentence, and its pressings' price history on demand
    want = phone.locator(f"#want-{full_album.pk}")
    expect(want.locator(".want-price")).to_contain_text("€")
    want.locator(".want-history summary").click()
    expect(want.locator(".want-history .chart, .want-history .chart-text").first).to_be_visible()
    anonymous = new_page(PHONE)
    anonymous.goto("/accounts/login/")
    screenshot(anonymous, "sign-in")
    assert code_from_outside(outside_requests) == []


def _signed_in_pages(album_id, artist_id):
    return {
        "landing": "/",
        "search": "/search/?q=b",
        "recommendations": "/recommendations/",
        "album": f"/albums/{album_id}/",
        "artist": f"/artists/{artist_id}/",
        "onboarding": "/onboarding/",
        "wantlist": "/wantlist/",
        "reset-dismissals": "/recommendations/reset-dismissals/",
    }


def _expect_no_sideways_scroll(page, name, url, screenshot):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    screenshot(page, name)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name} scrolls sideways at {page.viewport_size['width']}px: " + page.evaluate(
        WIDEST
    )


def test_operator_imports_a_csv_of_artists_and_watches_it_reach_100_percent(demo_site, new_page, screenshot, tmp_path):
    page = new_page()
    page.goto("/admin/login/?next=/admin/")  # the admin signs in through the site's throttled form
    page.fill("input[name=login]", OPERATOR_USERNAME)
    page.fill("input[name=password]", OPERATOR_PASSWORD)
    page.click("form.stack button[type=submit]")
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


def test_a_long_pressings_list_shows_fifty_then_more_and_filters_in_place(demo_site, full_album, new_page):
    """An album with more pressings than one page (the demo has none: 60 test rows are added,
    then removed): 50 rows, "Show more" appends the rest in place, a country filter narrows."""
    from catalog.models import Release

    first = (Release.objects.order_by("-discogs_id").values_list("discogs_id", flat=True).first() or 0) + 1
    added = Release.objects.bulk_create(
        [
            Release(
                album=full_album,
                discogs_id=first + i,
                title=full_album.title,
                country="Japan" if i % 2 else "Germany",
                year=1980 + i % 3,
                format_summary="LP, Album",
                catalog_number=f"BROWSER-TEST-{i:03d}",
                want=0,
            )
            for i in range(60)
        ]
    )
    try:
        total = full_album.releases.count()
        page = new_page()
        page.goto(f"/albums/{full_album.pk}/")
        rows = page.locator("#pressings table.pressings tbody tr:not(.more-pressings)")
        expect(rows).to_have_count(50)
        page.locator("#pressings tr.more-pressings a").click()
        expect(rows).to_have_count(min(total, 100))
        page.select_option("#pressings select[name=country]", "Japan")
        japan = full_album.releases.filter(country="Japan").count()
        expect(rows).to_have_count(min(japan, 50))
        expect(page.locator("#pressings")).to_contain_text("BROWSER-TEST-001")
        expect(page.locator("#pressings")).not_to_contain_text("BROWSER-TEST-000")
    finally:
        Release.objects.filter(pk__in=[release.pk for release in added]).delete()
