"""Every user-scoped URL, tried as its owner, as another listener and anonymously.

A URL naming the owner's row (a set, a card, a wantlisted album) answers another listener 404;
a URL of "my" things (the grid, the basket, the API) shows another listener only their own. A
visitor is sent to sign in (pages) or gets 401 JSON (the API). A new user-scoped URL joins the list.
"""
import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from catalog.factories import ReleaseFactory
from pricing.factories import PriceQuoteFactory
from recommendations.factories import FeedbackFactory, RecommendationItemFactory, RecommendationSetFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass(frozen=True)
class Scoped:
    name: str
    method: str = "get"
    row: str = ""  # which of the owner's rows the URL names ("" = none: the listener's own things)
    api: bool = False
    data: tuple = ()


USER_SCOPED = [
    Scoped("recommendations:page"),
    Scoped("recommendations:wantlist"),
    Scoped("recommendations:basket"),
    Scoped("recommendations:reset_dismissals"),
    Scoped("accounts:onboarding"),
    Scoped("recommendations:grid", row="set"),
    Scoped("recommendations:progress", row="set"),
    Scoped("recommendations:feedback", method="post", row="item", data=(("action", "lock"),)),
    Scoped("recommendations:wantlist_remove", method="post", row="album"),
    Scoped("api:recs", api=True),
    Scoped("api:recs_refresh", method="post", api=True),
    Scoped("api:basket", api=True),
    Scoped("api:filters", api=True),
    Scoped("api:filters_update", method="put", api=True, data=(("min_condition", "VG+"),)),
]
# The owner's own album is on these answers, so another listener's not seeing it means something.
SHOWS_THE_ALBUM = {"recommendations:wantlist", "recommendations:basket", "api:recs", "api:basket"}


@pytest.fixture
def owner():
    """A listener whose set, card, lock, wantlist and price are all unmistakable."""
    user = UserFactory(username="owner")
    release = ReleaseFactory(album__title="Owners Own Album")
    rec_set = RecommendationSetFactory(user=user)
    item = RecommendationItemFactory(set=rec_set, album=release.album)
    FeedbackFactory(user=user, album=release.album, kind="wantlist")
    PriceQuoteFactory(release=release, seller="owners-seller")
    return user, {"set": rec_set.pk, "item": item.pk, "album": release.album.pk}


def _request(client, scoped, rows):
    url = reverse(scoped.name, args=[rows[scoped.row]] if scoped.row else [])
    if scoped.method == "put":
        return client.put(url, json.dumps(dict(scoped.data)), content_type="application/json")
    return getattr(client, scoped.method)(url, dict(scoped.data), **(HTMX if scoped.row else {}))


@pytest.mark.parametrize("scoped", USER_SCOPED, ids=lambda s: f"{s.method} {s.name}")
def test_the_owner_is_answered(client, owner, scoped):
    user, rows = owner
    client.force_login(user)
    response = _request(client, scoped, rows)
    assert response.status_code in (200, 202, 204, 302)
    if scoped.name in SHOWS_THE_ALBUM:
        assert b"Owners Own Album" in response.content


@pytest.mark.parametrize("scoped", USER_SCOPED, ids=lambda s: f"{s.method} {s.name}")
def test_another_listener_gets_404_or_only_their_own(client, owner, scoped):
    _, rows = owner
    client.force_login(UserFactory(username="someone-else"))
    response = _request(client, scoped, rows)
    if scoped.row:
        assert response.status_code == 404
    else:
        assert response.status_code < 400 and b"Owners Own Album" not in response.content


@pytest.mark.parametrize("scoped", USER_SCOPED, ids=lambda s: f"{s.method} {s.name}")
def test_a_visitor_signs_in_first(client, owner, scoped):
    _, rows = owner
    response = _request(client, scoped, rows)
    if scoped.api:
        assert response.status_code == 401 and response.json() == {"error": "authentication required"}
    else:
        assert response.status_code in (302, 401) and b"Owners Own Album" not in response.content
        if response.status_code == 302:
            assert reverse("account_login") in response["Location"]
