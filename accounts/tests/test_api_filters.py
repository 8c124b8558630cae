"""GET/PUT /api/filters: the listener reads and replaces their buying filters, and the prices the
API gives obey them; GET /api/albums/{id}/prices shows the best landed price or the item-only one."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from catalog.factories import ReleaseFactory
from pricing.best_price import refresh_best_prices
from pricing.factories import PriceQuoteFactory, StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener(client):
    user = UserFactory()
    client.force_login(user)
    return user


def put(client, data):
    return client.put(reverse("api:filters_update"), json.dumps(data), content_type="application/json")


def test_a_new_listener_has_the_default_filters(client, listener):
    assert client.get(reverse("api:filters")).json() == {
        "min_condition": "",
        "seller_region": "anywhere",
        "max_shipping_eur": None,
        "excluded_sources": [],
        "min_seller_rating": None,
        "min_seller_ratings": None,
        "ships_to": str(listener.profile.country),
    }


def test_put_replaces_the_filters_on_the_profile(client, listener):
    response = put(
        client, {"min_condition": "VG+", "seller_region": "eu", "max_shipping_eur": "9.50", "excluded_sources": ["ebay"]}
    )
    assert response.status_code == 200 and response.json()["min_condition"] == "VG+"
    listener.profile.refresh_from_db()
    assert (listener.profile.min_condition, listener.profile.seller_region) == ("VG+", "eu")
    assert listener.profile.max_shipping_eur == Decimal("9.50") and listener.profile.excluded_sources == ["ebay"]
    assert client.get(reverse("api:filters")).json()["max_shipping_eur"] == "9.50"


def test_put_keeps_the_seller_rating_filters(client, listener):
    assert put(client, {"min_seller_rating": "98.5", "min_seller_ratings": 100}).status_code == 200
    listener.profile.refresh_from_db()
    assert (listener.profile.min_seller_rating, listener.profile.min_seller_ratings) == (Decimal("98.5"), 100)


@pytest.mark.parametrize(
    "bad",
    [
        {"min_seller_rating": "101"},
        {"min_seller_ratings": -1},
        {"min_condition": "shiny"},
        {"seller_region": "moon"},
        {"max_shipping_eur": "-1"},
        {"max_shipping_eur": "NaN"},
        {"max_shipping_eur": "123456"},
    ],
)
def test_put_refuses_what_no_filter_means_with_422(client, listener, bad):
    assert put(client, bad).status_code == 422
    listener.profile.refresh_from_db()
    assert listener.profile.min_condition == "" and listener.profile.seller_region == "anywhere"


def test_put_needs_the_csrf_token(listener):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(listener)
    assert browser.put(reverse("api:filters_update"), "{}", content_type="application/json").status_code == 403
    browser.get(reverse("recommendations:page"))
    token = browser.cookies["csrftoken"].value
    assert (
        browser.put(reverse("api:filters_update"), "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token).status_code
        == 200
    )


def test_filters_answer_401_to_visitors():
    for response in (
        Client().get(reverse("api:filters")),
        Client().put(reverse("api:filters_update"), "{}", content_type="application/json"),
    ):
        assert response.status_code == 401 and response.json() == {"error": "authentication required"}


def test_the_condition_filter_changes_an_albums_best_price(client, listener):
    release = ReleaseFactory()
    country = str(listener.profile.country)
    store = StoreFactory(name="Discogs", kind="discogs")
    PriceQuoteFactory(release=release, store=store, amount=Decimal("10"), condition="VG", item_location="DE", ships_to=country)
    PriceQuoteFactory(release=release, store=store, amount=Decimal("18"), condition="NM", item_location="DE", ships_to=country)
    refresh_best_prices()  # factories skip the quotes_changed signal that keeps the table
    url = reverse("api:album_prices", args=[release.album.pk])
    assert client.get(url).json()["best_price"]["total_eur"] == "15.00"
    put(client, {"min_condition": "VG+"})
    price = client.get(url).json()["best_price"]
    assert price["total_eur"] == "23.00" and price["condition"] == "NM" and price["shipping"] == "exact"


def test_an_album_with_only_an_item_price_has_a_from_price_and_no_best_price(client):
    release = ReleaseFactory()
    PriceQuoteFactory(
        release=release, store=StoreFactory(name="Discogs", kind="discogs"), amount=Decimal("12"), shipping=None, ships_to=""
    )
    data = client.get(reverse("api:album_prices", args=[release.album.pk])).json()  # a visitor may ask
    assert data["best_price"] is None
    assert data["from_price"]["item_eur"] == "12.00" and data["from_price"]["shipping"] == "unknown"


def test_prices_of_an_unknown_album_are_404(client):
    assert client.get(reverse("api:album_prices", args=[999999])).status_code == 404


def test_only_a_source_a_listener_may_switch_off_can_be_left_out(client, listener):
    response = put(client, {"excluded_sources": ["discogs"]})
    assert response.status_code == 422
    listener.profile.refresh_from_db()
    assert listener.profile.excluded_sources == []
