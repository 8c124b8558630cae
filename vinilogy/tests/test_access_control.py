"""Every user-scoped URL, tried as its owner, as another listener and anonymously: one list.

A URL naming the owner's row (a set, a card, a wantlisted album, a watch, a notification, the
signed account-deletion link) answers another listener 404; a URL of "my" things (the grid, the
basket, the inbox, the settings, the API) shows another listener only their own and never
changes the owner's rows. A visitor is sent to sign in (pages) or gets 401 JSON (the API). A new
user-scoped URL joins USER_SCOPED.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.factories import CollectionImportFactory, CollectionItemFactory, UserFactory
from alerts.factories import NotificationFactory, WatchFactory
from alerts.models import AlertSettings, InstantChannel, Notification, Watch
from catalog.factories import ReleaseFactory
from pricing.factories import PriceQuoteFactory
from recommendations.factories import FeedbackFactory, RecommendationItemFactory, RecommendationSetFactory
from recommendations.models import Feedback, RecommendationSet
from vinilogy import personal_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# On no answer to another listener, whatever the URL (no apostrophe: HTML would escape it and
# a "not in" would pass whatever the page showed).
SECRETS = (b"Owners Own Album", b"Owners secret pressing")


def no_data(rows):
    return {}


@dataclass(frozen=True)
class Scoped:
    name: str
    method: str = "get"
    row: str = ""  # which of the owner's rows the URL names ("" = none: the listener's own things)
    on: str = ""  # a public row the URL names (an album, an artist): another listener gets their own
    api: bool = False  # JSON in and out, 401 to a visitor
    htmx: bool = False
    data: object = no_data  # rows → the form fields (or the JSON body)
    owner_status: int | None = None  # the owner's exact answer, when it matters
    shows: bytes = b""  # in the owner's answer, and never in another listener's


USER_SCOPED = [
    Scoped("recommendations:page"),
    Scoped("recommendations:wantlist", shows=b"Owners Own Album"),
    Scoped("recommendations:basket", shows=b"Owners Own Album"),
    Scoped("recommendations:sellers_for_wants"),
    Scoped("accounts:collection_value", shows=b"Owners Own Album"),
    Scoped("recommendations:reset_dismissals"),
    Scoped("accounts:onboarding"),
    Scoped("accounts:collection_csv", shows=b"Owners collection.csv"),
    Scoped("accounts:collection_csv_job", row="csv_job", shows=b"Owners collection.csv"),
    Scoped("accounts:collection_csv_job", row="csv_job", htmx=True),
    Scoped("recommendations:grid", row="set", htmx=True),
    Scoped("recommendations:progress", row="set", htmx=True),
    Scoped("recommendations:feedback", method="post", row="item", htmx=True, data=lambda rows: {"action": "lock"}),
    Scoped("recommendations:wantlist_remove", method="post", row="album", htmx=True),
    Scoped("alerts:watch_delete", method="post", row="watch", owner_status=302),
    Scoped("alerts:mark_read", method="post", row="note", owner_status=302),
    Scoped("delete_account_confirm", row="delete_token", owner_status=200),
    Scoped("alerts:inbox", shows=b"Owners secret pressing"),
    Scoped("alerts:unread"),
    Scoped("alerts:read_all", method="post"),
    Scoped("alerts:settings", method="post", data=lambda rows: {"email": "off", "follow_top_artists": "5"}),
    Scoped("alerts:rotate_feed", method="post"),
    Scoped("alerts:rotate_email_links", method="post"),
    Scoped("alerts:watch_box", on="watched_album"),
    Scoped("alerts:watch_create", method="post", on="watched_album", data=lambda rows: {"max_total_eur": "99"}),
    Scoped("alerts:follow", method="post", on="artist", data=lambda rows: {"follow": "0"}),
    Scoped("alerts:rotate_calendar", method="post"),
    Scoped("alerts:channel_add", method="post", data=lambda rows: {"endpoint": "https://ntfy.sh/a-new-topic"}, owner_status=302),
    Scoped("alerts:channel_toggle", method="post", row="channel", owner_status=302),
    Scoped("alerts:channel_test", method="post", row="channel", owner_status=302),
    Scoped("alerts:channel_delete", method="post", row="channel", owner_status=302),
    Scoped("your_data"),
    Scoped("data_export"),
    Scoped("delete_account", method="post", data=lambda rows: {"password": "vinyl-lover-123"}),
    Scoped("delete_account_link", method="post"),
    Scoped("api:recs", api=True, shows=b"Owners Own Album"),
    Scoped("api:recs_refresh", method="post", api=True),
    Scoped("api:basket", api=True, shows=b"Owners Own Album"),
    Scoped("api:sellers_for_wants", api=True),
    Scoped("api:collection_value", api=True),
    Scoped("api:filters", api=True),
    Scoped("api:filters_update", method="put", api=True, data=lambda rows: {"min_condition": "VG+"}),
    Scoped("api:watches", api=True, shows=b"Owners Watched Album"),
    Scoped(
        "api:watch_create", method="post", api=True, data=lambda rows: {"album_id": rows["watched_album"], "max_total_eur": "99"}
    ),
    Scoped("api:watch_delete", method="delete", row="watch", api=True, owner_status=204),
    Scoped("api:channels", api=True, shows=b"Owners phone"),
    Scoped(
        "api:channel_create",
        method="post",
        api=True,
        data=lambda rows: {"kind": "ntfy", "endpoint": "https://ntfy.sh/a-new-topic"},
        owner_status=201,
    ),
    Scoped("api:channel_test", method="post", row="channel", api=True, owner_status=202),
]


@pytest.fixture
def owner():
    """A listener whose set, card, lock, wantlist, price, watch and notification are all unmistakable."""
    user = UserFactory(username="owner")
    release = ReleaseFactory(album__title="Owners Own Album")
    rec_set = RecommendationSetFactory(user=user)
    item = RecommendationItemFactory(set=rec_set, album=release.album)
    FeedbackFactory(user=user, album=release.album, kind="wantlist")
    PriceQuoteFactory(release=release, seller="owners-seller")
    watch = WatchFactory(user=user, album__title="Owners Watched Album", max_total_eur=Decimal("25.00"))
    note = NotificationFactory(user=user, album=watch.album, message="Owners secret pressing appeared.")
    csv_job = CollectionImportFactory(user=user, name="Owners collection.csv")
    # A name the send-time check refuses without asking DNS: a test message never leaves the machine.
    channel = InstantChannel.objects.create(
        user=user, kind="ntfy", endpoint="https://ntfy.internal/owners-topic", name="Owners phone"
    )
    CollectionItemFactory(user=user, release=ReleaseFactory(title="Owners Own Album (1971)"), folder="collection")
    return user, {
        "set": rec_set.pk,
        "item": item.pk,
        "album": release.album.pk,
        "watch": watch.pk,
        "note": note.pk,
        "watched_album": watch.album_id,
        "artist": watch.album.artist_id,
        "delete_token": personal_data.delete_link_token(user),
        "csv_job": csv_job.pk,
        "channel": channel.pk,
    }


def _request(client, scoped, rows):
    key = scoped.row or scoped.on
    url = reverse(scoped.name, args=[rows[key]] if key else [])
    data = scoped.data(rows)
    if scoped.api and scoped.method != "get":
        return getattr(client, scoped.method)(url, json.dumps(data), content_type="application/json")
    return getattr(client, scoped.method)(url, data, **(HTMX if scoped.htmx else {}))


def _owners_rows(user):
    """What another listener's call must leave as it was."""
    settings = AlertSettings.for_user(user)
    return (
        UserFactory._meta.model.objects.filter(pk=user.pk).exists(),
        list(Watch.objects.filter(user=user).values_list("max_total_eur", "is_active")),
        list(Notification.objects.filter(user=user).values_list("read_at", flat=True)),
        settings.feed_token,
        settings.email_secret,
        settings.email,
        settings.calendar_token,
        list(InstantChannel.objects.filter(user=user).values_list("endpoint", "enabled", "last_delivery_at")),
        list(Feedback.objects.filter(user=user).values_list("album_id", "kind")),
        list(RecommendationSet.objects.filter(user=user).values_list("pk", "status")),
    )


@pytest.mark.parametrize("scoped", USER_SCOPED, ids=lambda s: f"{s.method} {s.name}")
def test_the_owner_is_answered(client, owner, scoped):
    user, rows = owner
    client.force_login(user)
    response = _request(client, scoped, rows)
    if scoped.owner_status:
        assert response.status_code == scoped.owner_status
    assert response.status_code in (200, 201, 202, 204, 302)
    if scoped.shows:
        assert scoped.shows in response.content


@pytest.mark.parametrize("scoped", USER_SCOPED, ids=lambda s: f"{s.method} {s.name}")
def test_another_listener_gets_404_or_only_their_own(client, owner, scoped):
    user, rows = owner
    before = _owners_rows(user)
    client.force_login(UserFactory(username="someone-else"))
    response = _request(client, scoped, rows)
    if scoped.row:
        assert response.status_code == 404
    else:
        assert response.status_code < 400
    for secret in SECRETS + ((scoped.shows,) if scoped.shows else ()):
        assert secret not in response.content
    assert _owners_rows(user) == before


@pytest.mark.parametrize("scoped", USER_SCOPED, ids=lambda s: f"{s.method} {s.name}")
def test_a_visitor_signs_in_first(client, owner, scoped):
    user, rows = owner
    before = _owners_rows(user)
    response = _request(client, scoped, rows)
    if scoped.api:
        assert response.status_code == 401 and response.json() == {"error": "authentication required"}
    else:
        assert response.status_code in (302, 401) and b"Owners Own Album" not in response.content
        if response.status_code == 302:
            assert reverse("account_login") in response["Location"]
        if not scoped.htmx:  # a page (not an htmx fragment) sends the visitor to sign in
            assert response.status_code == 302
    assert _owners_rows(user) == before


def test_the_feed_answers_its_token_only_whoever_asks(client, owner):
    user, _ = owner
    url = reverse("alerts:feed", args=[AlertSettings.for_user(user).feed_token])
    assert b"Owners secret pressing" in client.get(url).content  # a feed reader has no session
    other = UserFactory(username="other")
    client.force_login(other)
    mine = client.get(reverse("alerts:feed", args=[AlertSettings.for_user(other).feed_token])).content
    assert b"Owners secret pressing" not in mine
    assert client.get(reverse("alerts:feed", args=["guessed"])).status_code == 404


def test_the_calendar_answers_its_token_only_whoever_asks(client, owner):
    user, _ = owner
    assert client.get(reverse("alerts:calendar", args=[AlertSettings.for_user(user).calendar_token])).status_code == 200
    assert client.get(reverse("alerts:calendar", args=[AlertSettings.for_user(user).feed_token])).status_code == 404
    assert client.get(reverse("alerts:calendar", args=["guessed"])).status_code == 404
