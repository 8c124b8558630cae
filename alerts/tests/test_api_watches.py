"""GET/POST /api/watches and DELETE /api/watches/{id}: the listener's own watches, made through
the album page's form and service (so the same rules and the same firing at once)."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from alerts.factories import WatchFactory
from alerts.models import Notification, Watch
from catalog.factories import ReleaseFactory
from pricing.factories import PriceQuoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener(client):
    user = UserFactory()
    user.profile.country = "ES"
    user.profile.save()
    client.force_login(user)
    return user


@pytest.fixture
def pressing():
    return ReleaseFactory(album__title="Mezzanine", country="UK", year=1998)


def post(client, payload, **extra):
    return client.post(reverse("api:watch_create"), json.dumps(payload), content_type="application/json", **extra)


def test_the_owner_creates_lists_and_deletes_a_watch_and_it_fires_on_what_is_on_offer(client, listener, pressing):
    PriceQuoteFactory(
        release=pressing, amount=Decimal("20.00"), shipping=Decimal("5.00"), ships_to="ES", item_location="DE", condition="NM"
    )

    created = post(
        client, {"album_id": pressing.album_id, "max_total_eur": "30", "releases": [pressing.pk], "min_condition": "VG+"}
    )

    assert created.status_code == 201
    body = created.json()
    assert body["max_total_eur"] == "30.00" and body["releases"] == [pressing.pk] and body["min_condition"] == "VG+"
    assert body["album"]["title"] == "Mezzanine" and body["fired"] == 1
    assert Notification.objects.filter(user=listener, kind="price", watch_id=body["id"]).count() == 1
    [listed] = client.get(reverse("api:watches")).json()
    assert listed["id"] == body["id"] and listed["album"]["id"] == pressing.album_id and "fired" not in listed

    deleted = client.delete(reverse("api:watch_delete", args=[body["id"]]))
    assert deleted.status_code == 204
    assert not Watch.objects.filter(user=listener).exists() and client.get(reverse("api:watches")).json() == []


def test_posting_for_a_watched_album_replaces_the_watch_as_the_album_page_does(client, listener, pressing):
    watch = WatchFactory(user=listener, album=pressing.album, max_total_eur=Decimal("40.00"), is_active=False)
    response = post(client, {"album_id": pressing.album_id, "max_total_eur": "25.50", "year_from": 1990, "year_to": 2000})
    assert response.status_code == 200 and response.json()["id"] == watch.pk
    watch.refresh_from_db()
    assert (watch.max_total_eur, watch.year_from, watch.year_to, watch.is_active) == (Decimal("25.50"), 1990, 2000, True)


def test_another_listener_gets_404_and_sees_none_of_the_owners_watches(client, listener, pressing):
    theirs = WatchFactory(album=pressing.album)
    assert client.delete(reverse("api:watch_delete", args=[theirs.pk])).status_code == 404
    assert client.delete(reverse("api:watch_delete", args=[999999])).status_code == 404
    assert client.get(reverse("api:watches")).json() == []
    assert Watch.objects.filter(pk=theirs.pk).exists()


def test_an_unknown_album_is_404(client, listener):
    assert post(client, {"album_id": 999999, "max_total_eur": "30"}).status_code == 404


def test_a_visitor_gets_401_json(pressing):
    watch = WatchFactory(album=pressing.album)
    visitor = Client()
    for response in (
        visitor.get(reverse("api:watches")),
        post(visitor, {"album_id": pressing.album_id, "max_total_eur": "30"}),
        visitor.delete(reverse("api:watch_delete", args=[watch.pk])),
    ):
        assert response.status_code == 401 and response.json() == {"error": "authentication required"}
    assert Watch.objects.filter(pk=watch.pk).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"max_total_eur": "0"},  # the model's constraint, through the form
        {"max_total_eur": "-3"},
        {"max_total_eur": "NaN"},
        {"max_total_eur": "123456789012"},  # more digits than the field holds
        {"max_total_eur": "9.999"},
        {"max_total_eur": None},
        {"year_from": 2000, "year_to": 1990},  # the form's own rule
        {"year_from": -1},
        {"min_condition": "shiny"},
        {"seller_region": "moon"},
        {"max_shipping_eur": "-1"},
        {"pressing_country": "x" * 101},
        {"releases": "other"},
        {"album_id": "forty-two"},
    ],
)
def test_bad_input_is_422_and_saves_nothing(client, listener, pressing, bad):
    response = post(client, {"album_id": pressing.album_id, "max_total_eur": "30", **bad})
    assert response.status_code == 422 and response.json()["detail"]
    assert not Watch.objects.exists()


def test_a_pressing_of_another_album_is_refused_by_the_form(client, listener, pressing):
    elsewhere = ReleaseFactory()
    response = post(client, {"album_id": pressing.album_id, "max_total_eur": "30", "releases": [elsewhere.pk]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "releases"]
    assert not Watch.objects.exists()


def test_writes_need_the_csrf_token(listener, pressing):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(listener)
    payload = {"album_id": pressing.album_id, "max_total_eur": "30"}
    assert post(browser, payload).status_code == 403
    watch = WatchFactory(user=listener, album=ReleaseFactory().album)
    assert browser.delete(reverse("api:watch_delete", args=[watch.pk])).status_code == 403
    assert list(Watch.objects.filter(user=listener)) == [watch]

    browser.get(reverse("recommendations:page"))
    token = browser.cookies["csrftoken"].value
    assert post(browser, payload, HTTP_X_CSRFTOKEN=token).status_code == 201
    assert browser.delete(reverse("api:watch_delete", args=[watch.pk]), HTTP_X_CSRFTOKEN=token).status_code == 204


def test_a_form_body_sent_to_the_json_endpoint_is_told_to_send_json_not_a_500(client, listener, pressing):
    # The site's input guard reads form fields before the view, so no raw body is left to parse.
    response = client.post(reverse("api:watch_create"), {"album_id": pressing.album_id, "max_total_eur": "30"})
    assert response.status_code == 415 and "JSON" in response.json()["error"]
    assert not Watch.objects.exists()
