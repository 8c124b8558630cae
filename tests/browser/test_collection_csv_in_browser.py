"""The Discogs collection CSV upload in a real browser: the upload answers at once with the
progress page, which follows the job in place (htmx polling) until it says what was stored."""

import pytest
from playwright.sync_api import expect

from accounts.tests.test_discogs_csv import EXPORT

from .conftest import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BAD_LINE = 'X 1,Broken Row,No Id,Label,"LP, Album",,1999,not-a-number,Uncategorized,2020-01-01 00:00:00,,,'


def test_an_upload_lands_on_its_progress_page_which_reports_every_line(demo_site, new_page, screenshot, tmp_path):
    export = tmp_path / "my-collection.csv"
    export.write_text(f"{EXPORT}\n{BAD_LINE}\n", encoding="utf-8")
    page = new_page(viewport={"width": 1400, "height": 900})
    sign_in(page, "demo", DEMO_PASSWORD, next_url="/onboarding/discogs-csv/")
    page.set_input_files("input[name=file]", str(export))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Importing your Discogs collection")).to_be_visible()
    expect(page.locator("#csv-job h2")).to_have_text("Imported")
    expect(page.locator("#csv-job")).to_contain_text("4 of 4 rows read")
    expect(page.locator("#csv-job")).to_contain_text("2 vinyl records stored in your collection")
    expect(page.locator("#csv-job")).to_contain_text("Line 5: release_id must be a Discogs release number")
    screenshot(page, "collection-csv-job")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "collection-csv-job")
