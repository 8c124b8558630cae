"""Alerts in a real browser over the demo: the listener watches an album from its page, an
offer under the threshold arrives (recorded as a price source records one), the header counts
it, the inbox says what the price includes, and the listener downloads their data."""

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from alerts.models import Watch
from pricing.models import Store
from pricing.offers import Offer, record_offer
from pricing.signals import quotes_changed

from .conftest import DEMO_PASSWORD, sign_in
from .demo_catalog import album_with_tracks_pressings_and_price

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _an_offer_arrives(album):
    """A landed offer on the album, as an inventory crawl records one, and its announcement."""
    store, _ = Store.objects.get_or_create(name="Browser test shop", defaults={"kind": "discogs", "country": "DE"})
    offer = Offer(
        album=album,
        store=store,
        offer_key="browser-test-listing",
        release=album.releases.first(),
        currency="EUR",
        amount=Decimal("21.00"),
        shipping=Decimal("6.90"),
        ships_to="ES",
        item_location="DE",
        condition="NM",
        url="https://www.discogs.com/sell/item/1",
    )
    record_offer(offer, rates={})
    quotes_changed.send(sender=_an_offer_arrives, album_ids={album.pk})


def test_listener_watches_an_album_sees_the_alert_and_downloads_their_data(demo_site, new_page, screenshot):
    album = album_with_tracks_pressings_and_price()
    Watch.objects.filter(user=demo_site.listener, album=album).delete()
    page = new_page()
    sign_in(page, "demo", DEMO_PASSWORD, next_url=f"/albums/{album.pk}/")

    box = page.locator(f"#watch-{album.pk}")
    box.locator("summary").click()
    box.locator("input[name=max_total_eur]").fill("30")
    box.locator("button[type=submit]").click()
    expect(page.locator(f"#watch-{album.pk} .watching")).to_contain_text("Watching at €30.00")
    assert Watch.objects.filter(user=demo_site.listener, album=album).exists()

    _an_offer_arrives(album)
    page.reload()
    expect(page.locator("#alerts-link #unread-count")).to_be_visible()
    page.click("#alerts-link")
    page.wait_for_url("**/alerts/")
    expect(page.get_by_role("region", name="Inbox").locator(".notification-list")).to_contain_text(
        "€27.90 incl. shipping from Germany"
    )
    screenshot(page, "alerts-inbox")

    page.goto("/account/data/")
    with page.expect_download() as download_info:
        page.click("#export-link")
    archive = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    data = json.loads(archive.read("data.json"))
    assert any(row["fields"]["album"] == album.pk for row in data["models"]["alerts.watch"])
    assert album.title in archive.read("watches.csv").decode()
