"""Errors in plain words: after every provider has failed (a host that does not resolve, one
that refuses connections, a 500, a missing key), no page, fragment, message or API answer a
listener can open carries an exception's text, a stack trace or a setting name.

The failures are forced at the HTTP layer and reached through the listener's own actions (add
an artist by name, "Fetch now" on every fragment, preview and sync a source), so they land
where they would in production: failure notes, the catalog-building progress, the seed list;
the rows the admin shows get the technical text too (artist, album, pressing, seller, a failed
recommendation set, an undelivered email). Then every route the URL resolver knows (the walker
of tests/test_fuzz_views.py) is opened as that listener, as a page and as an htmx fragment.
"""

import re
import socket
from pathlib import Path

import pytest
import requests
import responses
from django.conf import settings as django_settings
from django.urls import reverse
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError

from alerts.factories import NotificationFactory, WatchFactory
from alerts.models import AlertSettings, Notification
from catalog.factories import AlbumFactory, ReleaseFactory
from catalog.models import Album, Artist, Release
from pricing.models import Seller
from recommendations.factories import RecommendationItemFactory, RecommendationSetFactory
from recommendations.models import RecommendationSet
from tests.demo_world import build_demo_world
from tests.test_fuzz_views import SITE_ROUTES

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# Every variable .env.example documents is a setting name a listener must never read.
SETTING_NAMES = re.findall(r"^#?\s*([A-Z][A-Z0-9_]{2,})=", (Path(django_settings.BASE_DIR) / ".env.example").read_text(), re.M)
EXCEPTION_TEXT = [
    "Error(",
    "Errno",
    "HTTPSConnectionPool",
    "Traceback",
    "Max retries",
    "NameResolution",
    "ConnectionRefused",
    "Connection refused",
    "Connection failed",
    "Unreachable:",
    "Not sent:",
    "gaierror",
]
FORBIDDEN = re.compile(
    "|".join([re.escape(text) for text in EXCEPTION_TEXT] + [rf"\b{name}\b" for name in SETTING_NAMES] + [r"\bHTTP [45]\d\d\b"])
)
# What the admin keeps on the rows: the text a provider failure leaves there.
TECHNICAL = (
    "Unreachable: HTTPSConnectionPool(host='musicbrainz.org', port=443): Max retries exceeded with url: /ws/2/ "
    "(Caused by NameResolutionError(\"Failed to resolve 'musicbrainz.org' ([Errno -2] Name or service not known)\")) "
    "(musicbrainz https://musicbrainz.org/ws/2/, set LASTFM_API_KEY, HTTP 500) Traceback"
)


def _unreachable(host, refused=False):
    pool = HTTPSConnectionPool(host, 443)
    reason = (
        NewConnectionError(pool, "Failed to establish a new connection: [Errno 111] Connection refused")
        if refused
        else NameResolutionError(host, pool, socket.gaierror(-2, "Name or service not known"))
    )
    return requests.exceptions.ConnectionError(MaxRetryError(pool, "/", reason))


@pytest.fixture
def failing_providers(settings):
    """MusicBrainz does not resolve, ListenBrainz refuses, Discogs answers 500, and the site has
    no Last.fm, eBay or Spotify keys."""
    settings.VINILOGY_REPLAY_DIR = ""
    settings.BUILD_CATALOG_ON_TASTE = True
    settings.LASTFM_API_KEY = settings.EBAY_CLIENT_ID = settings.EBAY_CLIENT_SECRET = ""
    settings.SPOTIFY_CLIENT_ID = settings.SPOTIFY_CLIENT_SECRET = settings.DISCOGS_TOKEN = ""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add("GET", re.compile(r"https://musicbrainz\.org/.*"), body=_unreachable("musicbrainz.org"))
        mock.add("GET", re.compile(r"https://api\.listenbrainz\.org/.*"), body=_unreachable("api.listenbrainz.org", refused=True))
        for method in ("GET", "POST"):
            mock.add(
                method, re.compile(r"https://api\.discogs\.com/.*"), status=500, body="<html>500 Internal Server Error</html>"
            )
            mock.add(
                method,
                re.compile(r"https://[^/]*(ebay|spotify|last\.fm|audioscrobbler|ecb)[^/]*/.*"),
                body=_unreachable("elsewhere"),
            )
        yield mock


@pytest.fixture
def world(client, failing_providers):
    """The listener's actions meet the failures; the admin's rows hold their technical text."""
    world = build_demo_world(history_days=(14,))
    listener = world.listener
    unsynced = AlbumFactory(artist=world.artists["Radiohead"], title="Unsynced Album", releases_refreshed_at=None)
    no_tracks = ReleaseFactory(album=AlbumFactory(artist=world.artists["Blur"], title="No Tracklist Yet")).album
    client.force_login(listener)
    answers = _act(client, unsynced, no_tracks)
    _technical_text_on_the_rows(listener)
    return listener, unsynced, no_tracks, answers


def _act(client, unsynced, no_tracks):
    """Every listener action that starts a provider call; their own answers are checked too."""
    answers = {"add Slowdive": client.post(reverse("accounts:seed_add"), {"name": "Slowdive"}, **HTMX)}
    for album in (unsynced, no_tracks):
        for kind in ("pressings", "tracklist", "prices"):
            answers[f"fetch {kind} {album.pk}"] = client.post(reverse("catalog:album_fetch", args=[album.pk, kind]), **HTMX)
            answers[f"fetch {kind} {album.pk} (page)"] = client.post(
                reverse("catalog:album_fetch", args=[album.pk, kind]), follow=True
            )
    for source, username in (("lastfm", "rj"), ("listenbrainz", "johndoe")):
        client.post(reverse("accounts:username_connect", args=[source]), {"username": username})
        answers[f"preview {source}"] = client.post(reverse("accounts:source_preview", args=[source]), follow=True)
        answers[f"sync {source}"] = client.post(reverse("accounts:source_sync", args=[source]), follow=True)
    answers["add Slowdive (page)"] = client.post(reverse("accounts:seed_add"), {"name": "Slowdive"}, follow=True)
    return answers


def _technical_text_on_the_rows(listener):
    Artist.objects.update(last_error=TECHNICAL)
    Artist.objects.filter(name="Slowdive").update(refreshed_at=None)
    Album.objects.update(last_error=TECHNICAL)
    Release.objects.update(last_error=TECHNICAL)
    Seller.objects.create(discogs_username="a-shop", country="ES", last_error=TECHNICAL)
    failed = RecommendationSetFactory(user=listener, status=RecommendationSet.Status.FAILED, progress=40, error=TECHNICAL)
    RecommendationItemFactory(set=failed, album=Album.objects.first())
    watch = WatchFactory(user=listener, album=Album.objects.first())
    NotificationFactory(user=listener, album=watch.album, delivery=Notification.Delivery.FAILED, delivery_error=TECHNICAL)


def _values(listener, unsynced, no_tracks):
    """Values for each path parameter: the rows that carry the failures."""
    rec_set = listener.recommendation_sets.order_by("-pk").first()
    return {
        "album_id": [unsynced.pk, no_tracks.pk, Album.objects.exclude(pk__in=[unsynced.pk, no_tracks.pk]).first().pk],
        "artist_id": [Artist.objects.get(name="Slowdive").pk, unsynced.artist_id],
        "release_id": [no_tracks.releases.first().pk],
        "kind": ["pressings", "tracklist", "prices"],
        "source": ["lastfm", "listenbrainz", "discogs", "spotify"],
        "set_id": [rec_set.pk],
        "item_id": [rec_set.items.first().pk],
        "watch_id": [listener.watches.first().pk],
        "notification_id": [listener.notifications.first().pk],
        "account_id": [1],
        "token": [AlertSettings.for_user(listener).feed_token],
    }


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _paths(route, values):
    """The route with each parameter filled, once per value of its first parameter."""
    names = [a or b for a, b in PARAMETER.findall(route)]
    if not names:
        return ["/" + route]
    choices = values.get(names[0], ["x"])
    return [
        "/"
        + PARAMETER.sub(
            lambda m, first=first: str(
                first if (m.group(1) or m.group(2)) == names[0] else values.get(m.group(1) or m.group(2), ["x"])[0]
            ),
            route,
        )
        for first in choices
    ]


def _leaks(html):
    return sorted({match.group(0) for match in FORBIDDEN.finditer(html)})


def test_the_failures_land_where_a_listener_would_read_them(client, world):
    """The walk below is worth something only if the failures reached the pages."""
    listener, unsynced, no_tracks, _ = world
    seeds = client.get(reverse("accounts:seed_list"), **HTMX).content.decode()
    assert "could not be looked up: MusicBrainz did not answer; we will try again at" in seeds
    banner = client.get(reverse("accounts:catalog_progress"), **HTMX).content.decode()
    assert re.search(r"\d+ lookups failed: \w+ did not answer; we will try them again at \d\d:\d\d\.", banner)
    assert "minute" not in banner  # no ETA for work that cannot proceed
    pressings = client.get(reverse("pricing:album_pressings", args=[unsynced.pk]), **HTMX).content.decode()
    assert "The last fetch did not work: Discogs did not answer; try again after" in pressings
    tracklist = client.get(reverse("catalog:album_tracklist", args=[no_tracks.pk]), **HTMX).content.decode()
    assert "Discogs did not answer" in tracklist
    preview = client.get(reverse("accounts:source_preview", args=["lastfm"]), **HTMX).content.decode()
    assert "Last.fm sync is not available on this site yet." in preview
    preview = client.get(reverse("accounts:source_preview", args=["listenbrainz"]), **HTMX).content.decode()
    assert "ListenBrainz did not answer; try again after" in preview


def test_no_page_fragment_message_or_api_answer_carries_exception_text_or_setting_names(client, world):
    listener, unsynced, no_tracks, answers = world
    leaks = {name: _leaks(response.content.decode()) for name, response in answers.items()}
    client.raise_request_exception = False  # a page that fails shows the listener its error page: checked too
    values = _values(listener, unsynced, no_tracks)
    opened, told = 0, set()
    for route in SITE_ROUTES:
        for path in _paths(route, values):
            for headers in ({}, HTMX):
                html = client.get(path, **headers).content.decode(errors="replace")
                leaks[f"GET {path} {'htmx' if headers else ''}"] = _leaks(html)
                opened += 1
                told |= {path} if "did not answer" in html else set()
    assert opened > 100 and len(told) >= 4  # the walk met the failures, in words
    assert {name: found for name, found in leaks.items() if found} == {}


def test_the_check_would_see_the_text_a_failure_leaves_on_its_row():
    assert {"HTTPSConnectionPool", "Max retries", "NameResolution", "Errno", "LASTFM_API_KEY", "HTTP 500", "Traceback"} <= set(
        _leaks(TECHNICAL)
    )
