"""Every listener and public page, read in Spanish, carries none of our templates' common English words."""

import re

import pytest
from django.urls import reverse

from accounts.models import Profile
from tests.demo_world import build_demo_world

pytestmark = pytest.mark.django_db

# Words and phrases of our templates and sentences: one of them on a Spanish page is a string
# that escaped translation. Matched on the page's visible text, as whole words.
ENGLISH = [
    "Sign out",
    "Sign in",
    "Wantlist",
    "incl. shipping",
    "Why?",
    "Lock",
    "Locked",
    "Dismiss",
    "Watch the price",
    "Vinyl pressings",
    "Where to buy",
    "Tracklist",
    "Your next records",
    "Refresh",
    "Basket",
    "Alerts",
    "Your taste",
    "Search",
    "shipping",
    "sample price",
    "known so far",
    "First released",
    "Type",
    "Studio album",
    "Genre",
    "Tracks",
    "Listen on Spotify",
    "Loading",
    "score",
    "Price",
    "Similarity",
    "You collect",
    "You added",
    "Because you",
    "listeners",
    "Remove",
    "Prices for",
    "Change country",
    "seen",
    "ago",
    "estimated",
    "exact",
    "from",
    "the",
    "and",
    "your",
    "with",
    "not",
    "Menu",
]
HIDDEN = re.compile(r"<(script|style|svg|head)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def _visible_text(html):
    return " ".join(TAG.sub(" ", HIDDEN.sub(" ", html)).split())


@pytest.fixture
def spanish(client, django_capture_on_commit_callbacks):
    world = build_demo_world(history_days=(14,))
    Profile.objects.filter(user=world.listener).update(language="es", language_chosen=True)
    album, artist = world.albums["Mezzanine"], world.artists["Massive Attack"]
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    client.force_login(world.listener)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("recommendations:page"))
    urls = [
        reverse("home"),
        reverse("catalog:search") + "?q=b",
        reverse("catalog:album", args=[album.pk]),
        reverse("pricing:artist", args=[artist.pk]),
        reverse("catalog:album_tracklist", args=[album.pk]),
        reverse("pricing:album_guide", args=[album.pk]),
        reverse("pricing:album_pressings", args=[album.pk]),
        reverse("pricing:album_offers", args=[album.pk]),
        reverse("recommendations:page"),
        reverse("recommendations:wantlist"),
        reverse("recommendations:basket"),
        reverse("accounts:onboarding"),
        reverse("alerts:inbox"),
    ]
    return client, world, urls


def test_pages_read_in_spanish_carry_no_english_words(spanish):
    client, world, urls = spanish
    names = {a.title for a in world.albums.values()} | {a.name for a in world.artists.values()}
    found = {}
    for url in urls:
        text = _visible_text(client.get(url).content.decode())
        for name in names:
            text = text.replace(name, " ")
        hits = [word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]
        if hits:
            found[url] = hits
    assert not found, found
