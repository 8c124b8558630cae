"""Price sentences claim only what we know, in the alerts' producers (issue 21, Build 3): a watch
fired by a sample price says "sample" in the sentence that states the price, in the inbox and
in the email, and never "exact"."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from alerts.factories import WatchFactory
from alerts.models import AlertSettings, Notification
from catalog.factories import ReleaseFactory
from pricing.factories import StoreFactory
from pricing.offers import Offer, record_offer
from pricing.signals import quotes_changed

pytestmark = pytest.mark.django_db
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z])|\n")


def assert_said_as_sample(text, price):
    plain = re.sub(r"[ \t]+", " ", re.sub(r"<[^>]+>", " ", text))
    sentences = [sentence for sentence in SENTENCE_END.split(plain) if price in sentence]
    assert sentences, f"{price!r} is not stated in: {plain}"
    for sentence in sentences:
        assert "sample" in sentence and "exact" not in sentence and "seen" not in sentence, sentence


@pytest.fixture
def fired_by_a_sample(mailoutbox, django_capture_on_commit_callbacks):
    """A listener in Spain watching OK Computer at €30, emailed at once; a demo sample seller in
    Spain lists it at €21.00 with €6.90 stated shipping."""
    release = ReleaseFactory(album__title="OK Computer", album__artist__name="Radiohead", country="Europe", year=2024)
    watch = WatchFactory(album=release.album, max_total_eur=Decimal("30.00"))
    watch.user.profile.country = "ES"
    watch.user.profile.save()
    AlertSettings.objects.create(user=watch.user, email=AlertSettings.Email.INSTANT)
    offer = Offer(
        album=release.album,
        store=StoreFactory(name="Discogs", kind="discogs"),
        offer_key="sample-1",
        release=release,
        currency="EUR",
        amount=Decimal("21.00"),
        shipping=Decimal("6.90"),
        ships_to="ES",
        item_location="ES",
        condition="NM",
        seller="SAMPLE-ES-madrid",
        sample=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_offer(offer, rates={})
        quotes_changed.send(sender=record_offer, album_ids={release.album_id})
    return watch


def test_the_notification_says_sample_where_it_states_the_price(fired_by_a_sample):
    [notification] = Notification.objects.filter(watch=fired_by_a_sample, kind=Notification.Kind.PRICE)
    assert_said_as_sample(notification.message, "€27.90")


def test_the_inbox_says_sample_where_it_states_the_price(client, fired_by_a_sample):
    client.force_login(fired_by_a_sample.user)
    assert_said_as_sample(client.get(reverse("alerts:inbox")).content.decode(), "€27.90")


def test_the_email_says_sample_where_it_states_the_price(fired_by_a_sample, mailoutbox):
    [mail] = mailoutbox
    assert_said_as_sample(mail.body, "€27.90")
