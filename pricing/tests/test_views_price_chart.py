"""The standalone price-history chart of one pressing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.factories import ReleaseFactory
from pricing.factories import PriceQuoteFactory, StoreFactory

pytestmark = pytest.mark.django_db


def test_chart_of_a_pressing_is_an_svg_of_its_whole_price_history(client):
    release = ReleaseFactory()
    store = StoreFactory(name="Discogs", kind="discogs")
    for days_ago, total, current in ((10, "35.00", False), (5, "30.00", False), (0, "24.00", True)):
        PriceQuoteFactory(
            release=release,
            album=release.album,
            store=store,
            offer_key="lowest",
            is_current=current,
            amount=Decimal(total),
            shipping=Decimal("0"),
            total_eur=Decimal(total),
            fetched_at=timezone.now() - timedelta(days=days_ago),
        )
    response = client.get(reverse("pricing:release_chart", args=[release.pk]))
    svg = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert svg.count("<circle") == 3 and "€35" in svg and "€24" in svg


def test_chart_of_a_pressing_without_prices_says_so(client):
    response = client.get(reverse("pricing:release_chart", args=[ReleaseFactory().pk]))
    assert "No price history yet" in response.content.decode()


def test_chart_of_an_unknown_pressing_is_404(client):
    assert client.get(reverse("pricing:release_chart", args=[987654])).status_code == 404


def test_the_chart_takes_every_observation_item_prices_too_one_line_per_condition(client):
    release = ReleaseFactory()
    store = StoreFactory(name="Discogs", kind="discogs")
    for days_ago, amount, shipping, condition in (
        (6, "40.00", "5.00", "NM"),
        (3, "35.00", "5.00", "NM"),
        (5, "12.00", None, ""),
        (1, "11.00", None, ""),
    ):
        PriceQuoteFactory(
            release=release,
            album=release.album,
            store=store,
            is_current=days_ago == 1,
            condition=condition,
            amount=Decimal(amount),
            shipping=None if shipping is None else Decimal(shipping),
            ships_to="" if shipping is None else "ES",
            fetched_at=timezone.now() - timedelta(days=days_ago),
        )

    svg = client.get(reverse("pricing:release_chart", args=[release.pk])).content.decode()

    assert svg.count("<circle") == 4 and svg.count("<polyline") == 2
    assert "€45.00 (Mint/NM)" in svg and "€11.00 (Ungraded)" in svg
