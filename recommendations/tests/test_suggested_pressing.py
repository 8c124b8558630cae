"""Every card and every item of /api/recs carries a suggested pressing (pricing.guide): the best
value under the listener's filters by default, else the cheapest, else the original, else the
most wanted; with why in one sentence and its landed price or null; the card's price is its."""

import pytest
from django.urls import reverse

from catalog.models import Release
from pricing.filters import BuyingFilters
from recommendations import services

from .world import build_world

pytestmark = pytest.mark.django_db

SIZE = 6


@pytest.fixture
def world(settings, client, django_capture_on_commit_callbacks):
    settings.RECOMMENDATION_SET_SIZE = SIZE
    world = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        world.set = services.request_generation(world.user)
    client.force_login(world.user)
    return world


def test_every_api_item_has_a_suggested_pressing_with_why(client, world):
    items = client.get(reverse("api:recs")).json()["items"]
    assert items and all(item["suggested_pressing"] and item["suggested_pressing"]["why"] for item in items)
    ok = next(item for item in items if item["album"]["title"] == "OK Computer")
    suggestion = ok["suggested_pressing"]
    assert suggestion["kind"] == "best_value" and suggestion["landed"]["total_eur"] == "27.40"
    release = Release.objects.get(pk=suggestion["release"]["id"])
    assert release.album.title == "OK Computer" and suggestion["release"]["discogs_id"] == release.discogs_id
    assert (
        "27.40" in suggestion["why"]
        or "€27.40" in suggestion["why"]
        or "wanted" in suggestion["why"]
        or "rated" in suggestion["why"]
    )


def test_an_album_without_offers_suggests_its_most_wanted_pressing_with_no_landed_price(client, world):
    items = client.get(reverse("api:recs")).json()["items"]
    unpriced = [item for item in items if item["best_price"] is None and item["suggested_pressing"]["kind"] == "most_wanted"]
    for item in unpriced:
        assert item["suggested_pressing"]["landed"] is None and "no offer" in item["suggested_pressing"]["why"]


def test_the_card_shows_the_suggested_pressing_and_its_price(client, world):
    html = client.get(reverse("recommendations:page")).content.decode()
    assert html.count("Suggested pressing:") == SIZE
    items = services.items_for_grid(world.set, BuyingFilters("ES"))
    ok = next(item for item in items if item.album.title == "OK Computer")
    assert ok.suggested_pressing.quote == ok.best_price
