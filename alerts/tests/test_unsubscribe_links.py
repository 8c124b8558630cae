"""An emailed unsubscribe link lives a year, and dies at once when its listener gives their feed
a new address or cancels the links of emails already sent; a link from before links had a
version, or one signed for another purpose, never works."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from accounts.factories import UserFactory
from alerts import delivery
from alerts.models import AlertSettings

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1).total_seconds()


@pytest.fixture
def ana():
    user = UserFactory(username="ana")
    AlertSettings.objects.create(user=user, email=AlertSettings.Email.DAILY)
    return user


def _unsubscribe(client, token):
    return client.post(reverse("alerts:unsubscribe", args=[token]))


def _email_setting(user):
    return AlertSettings.objects.get(user=user).email


def _days_later(monkeypatch, days):
    now = time.time() + days * DAY
    monkeypatch.setattr("django.core.signing.time.time", lambda: now)


def test_a_link_from_the_mail_unsubscribes(client, ana, mailoutbox):
    token = delivery.unsubscribe_token(ana)
    assert _unsubscribe(client, token).status_code == 200
    assert _email_setting(ana) == "off"


def test_a_link_still_works_after_eleven_months(client, ana, monkeypatch):
    token = delivery.unsubscribe_token(ana)
    _days_later(monkeypatch, 364)
    assert _unsubscribe(client, token).status_code == 200 and _email_setting(ana) == "off"


def test_a_link_older_than_a_year_says_so_and_changes_nothing(client, ana, monkeypatch):
    token = delivery.unsubscribe_token(ana)
    _days_later(monkeypatch, 366)
    response = _unsubscribe(client, token)
    assert response.status_code == 404 and "more than a year old" in response.content.decode()
    assert _email_setting(ana) == "daily"


def test_giving_the_feed_a_new_address_cancels_the_links_already_mailed(client, ana):
    old = delivery.unsubscribe_token(ana)
    client.force_login(ana)
    client.post(reverse("alerts:rotate_feed"))
    assert _unsubscribe(client, old).status_code == 404 and _email_setting(ana) == "daily"
    assert _unsubscribe(client, delivery.unsubscribe_token(ana)).status_code == 200


def test_cancelling_the_email_links_cancels_them_and_leaves_the_feed_address(client, ana):
    old, feed = delivery.unsubscribe_token(ana), AlertSettings.objects.get(user=ana).feed_token
    client.force_login(ana)
    client.post(reverse("alerts:rotate_email_links"))
    assert _unsubscribe(client, old).status_code == 404 and _email_setting(ana) == "daily"
    assert AlertSettings.objects.get(user=ana).feed_token == feed
    assert _unsubscribe(client, delivery.unsubscribe_token(ana)).status_code == 200


def test_cancelling_the_links_needs_a_signed_in_post(client, ana):
    secret = AlertSettings.objects.get(user=ana).email_secret
    assert client.post(reverse("alerts:rotate_email_links")).status_code == 302  # to sign in
    client.force_login(ana)
    assert client.get(reverse("alerts:rotate_email_links")).status_code == 405
    assert AlertSettings.objects.get(user=ana).email_secret == secret


def test_a_link_made_before_links_had_a_version_no_longer_works(client, ana):
    legacy = signing.dumps({"u": ana.pk}, salt=delivery.UNSUBSCRIBE_SALT, compress=True)
    assert _unsubscribe(client, legacy).status_code == 404 and _email_setting(ana) == "daily"


def test_another_listeners_version_does_not_open_this_listeners_link(client, ana):
    bea = UserFactory(username="bea")
    version = AlertSettings.for_user(bea).links_version()
    crossed = signing.dumps({"u": ana.pk, "v": version}, salt=delivery.UNSUBSCRIBE_SALT, compress=True)
    assert _unsubscribe(client, crossed).status_code == 404


def test_the_token_does_not_reveal_the_feed_address(ana):
    settings = AlertSettings.objects.get(user=ana)
    payload = signing.loads(delivery.unsubscribe_token(ana), salt=delivery.UNSUBSCRIBE_SALT)
    assert settings.feed_token not in str(payload) and settings.email_secret not in str(payload)


def test_each_listener_has_their_own_email_secret():
    first, second = (AlertSettings.for_user(UserFactory()) for _ in range(2))
    assert first.email_secret != second.email_secret


def test_the_listeners_data_export_holds_neither_secret(ana):
    import json

    from vinilogy import personal_data

    settings = AlertSettings.objects.get(user=ana)
    exported = json.dumps(personal_data.export_json(ana), default=str)
    assert settings.email_secret not in exported and settings.feed_token not in exported
