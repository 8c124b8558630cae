"""The demo listener's grid, as GET /api/recs shows it on a fresh embedded default."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from recommendations import services
from vinilogy.demo import DEMO_USERNAME

pytestmark = pytest.mark.django_db


def test_the_demo_listener_gets_twenty_related_albums_each_with_a_reason_and_two_per_artist_up_front(settings, demo_db):
    settings.BUILD_CATALOG_ON_TASTE = True  # as bin/serve runs it: the demo's picks must not call providers
    listener = get_user_model().objects.get(username=DEMO_USERNAME)
    services.generate_now(listener)
    client = Client()
    client.force_login(listener)
    items = client.get(reverse("api:recs")).json()["items"]
    assert len(items) >= 20
    assert min(item["score"] for item in items) > 0
    assert max(Counter(item["album"]["artist"] for item in items[:12]).values()) <= 2
    assert all(item["reason"] for item in items)
    assert all(item["via"] for item in items if "discovery" not in item["breakdown"])
