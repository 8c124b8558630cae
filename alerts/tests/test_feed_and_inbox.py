"""The private Atom feed needs its token and shows only its owner's notifications; the inbox,
its unread count, marking read and watches from the album page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from alerts.factories import NotificationFactory
from alerts.models import AlertSettings, Notification, Watch
from catalog.factories import ReleaseFactory
from pricing.factories import PriceQuoteFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_feed_needs_its_token_and_shows_only_its_owners_notifications(client):
    mine, theirs = UserFactory(), UserFactory()
    NotificationFactory(user=mine, message="My new pressing appeared.")
    NotificationFactory(user=theirs, message="Their new pressing appeared.")
    token = AlertSettings.for_user(mine).feed_token

    response = client.get(reverse("alerts:feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "My new pressing appeared." in body and "Their new pressing" not in body
    assert client.get(reverse("alerts:feed", args=["not-" + token])).status_code == 404


def test_rotating_the_feed_token_retires_the_old_address(client):
    user = UserFactory()
    old = AlertSettings.for_user(user).feed_token
    client.force_login(user)
    client.post(reverse("alerts:rotate_feed"))
    new = AlertSettings.objects.get(user=user).feed_token
    assert new != old
    assert client.get(reverse("alerts:feed", args=[old])).status_code == 404
    assert client.get(reverse("alerts:feed", args=[new])).status_code == 200


def test_the_header_count_shows_unread_and_marking_read_clears_it(client, listener):
    note = NotificationFactory(user=listener)
    NotificationFactory()  # someone else's
    assert ">1<" in client.get(reverse("alerts:unread"), **HTMX).content.decode()
    client.post(reverse("alerts:mark_read", args=[note.pk]), **HTMX)
    assert "badge" not in client.get(reverse("alerts:unread"), **HTMX).content.decode()
    assert 'id="alerts-link"' in client.get(reverse("alerts:inbox")).content.decode()


def test_watching_from_the_album_page_fires_on_what_is_already_on_offer(client, listener):
    pressing = ReleaseFactory()
    PriceQuoteFactory(release=pressing, amount=Decimal("20.00"), shipping=Decimal("5.00"), ships_to="ES", item_location="DE")
    box = client.get(reverse("alerts:watch_box", args=[pressing.album_id]), **HTMX).content.decode()
    assert 'name="max_total_eur"' in box
    response = client.post(reverse("alerts:watch_create", args=[pressing.album_id]), {"max_total_eur": "30"}, **HTMX)
    assert "Watching at €30.00" in response.content.decode() and "1 offer already matches" in response.content.decode()
    assert Watch.objects.get(user=listener).album_id == pressing.album_id
    assert Notification.objects.filter(user=listener, kind="price").count() == 1
    bad = client.post(reverse("alerts:watch_create", args=[pressing.album_id]), {"max_total_eur": "-3"}, **HTMX)
    assert bad.status_code == 400


def test_the_card_album_page_and_wantlist_offer_a_watch(client, listener):
    from recommendations.factories import FeedbackFactory

    album = ReleaseFactory().album
    FeedbackFactory(user=listener, album=album, kind="wantlist")
    assert reverse("alerts:watch_box", args=[album.pk]) in client.get(reverse("catalog:album", args=[album.pk])).content.decode()
    assert reverse("alerts:watch_box", args=[album.pk]) in client.get(reverse("recommendations:wantlist")).content.decode()


def test_the_dashboard_counts_fired_today_queued_and_failed(admin_client):
    NotificationFactory(delivery=Notification.Delivery.QUEUED)
    NotificationFactory(delivery=Notification.Delivery.FAILED)
    html = admin_client.get(reverse("admin-dashboard")).content.decode()
    assert 'id="alerts"' in html and "Failed deliveries" in html
    assert Notification.objects.dashboard_counts() == {"fired_today": 2, "queued": 1, "failed": 1}


def test_a_card_links_to_its_watch_box_which_opens_in_place(client, listener):
    album = ReleaseFactory().album
    box = client.get(reverse("alerts:watch_box", args=[album.pk]) + "?open=1", **HTMX).content.decode()
    assert '<details class="watch" open>' in box
    page = client.get(reverse("alerts:watch_box", args=[album.pk])).content.decode()
    assert "<html" in page and 'name="max_total_eur"' in page
