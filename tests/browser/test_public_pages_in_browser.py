"""A public album page in chromium under the site's CSP: its schema.org data block parses, is
never run (no CSP report for it, no nonce needed), and states no sample price as an offer."""

import json

import pytest

from pricing.models import PriceQuote

from .demo_catalog import album_with_tracks_pressings_and_price

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

JSON_LD = "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"


def test_an_album_page_carries_its_json_ld_in_the_browser_without_a_csp_report(new_page):
    album = album_with_tracks_pressings_and_price()
    page = new_page()
    page.goto(f"/albums/{album.pk}/")
    data = page.evaluate(JSON_LD)
    assert data["@type"] == "MusicAlbum" and data["name"] == album.title and data["byArtist"]["name"] == album.artist.name
    observed = PriceQuote.objects.current().landed().filter(album=album, sample=False).exists()
    assert ("offers" in data) == observed, json.dumps(data)
    assert page.locator('meta[property="og:image"]').get_attribute("content")
    # new_page fails the test on any Content-Security-Policy report of the page.
