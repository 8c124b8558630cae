"""On the demo: the demo listener has a new-pressing notification found by a replayed refresh,
and a watch that fired on a demo offer, both in the inbox and the feed."""

import pytest
from django.urls import reverse

from alerts.models import AlertSettings, Notification
from pricing.models import PriceQuote
from vinilogy.demo import demo_user

pytestmark = pytest.mark.django_db


def test_the_demo_listener_has_a_new_pressing_and_a_fired_watch_in_inbox_and_feed(client, demo_db):
    user = demo_user()
    [pressing] = Notification.objects.filter(user=user, kind=Notification.Kind.PRESSING)
    assert pressing.release and pressing.message.endswith("replayed as if this pressing were new.)")
    client.force_login(user)
    assert pressing.message in client.get(reverse("alerts:inbox")).content.decode()
    feed = client.get(reverse("alerts:feed", args=[AlertSettings.for_user(user).feed_token])).content.decode()
    assert pressing.album.title in feed
    if not PriceQuote.objects.current().landed().exists():
        pytest.skip("the demo has no landed offer yet: the sample seller inventories (issue 12) bring them")
    fired = Notification.objects.filter(user=user, kind=Notification.Kind.PRICE, watch__isnull=False)
    assert fired.exists() and fired.first().quote.is_landed  # a demo offer, landed to the listener
    assert "incl. shipping" in fired.first().message
