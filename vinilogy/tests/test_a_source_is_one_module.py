"""A new price or listening source is one module and one registry line (issue 26).

The fakes live in vinilogy/tests/fake_sources.py; the `registered` fixture is their registry line
(each appended to its registry's SOURCES). How "no edit outside" is checked:
`test_the_fakes_are_named_nowhere_but_their_module_and_this_test` reads every file git tracks and
finds the fakes' names in no template, form, settings, migration or other module, and
`makemigrations --check` finds nothing to write with them registered (their Store row is created
by the source itself). Every other test here finds them where a real source appears.
"""

import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import sources as listening_sources
from accounts.filters import buying_filters
from accounts.models import SourceUsername
from catalog.factories import AlbumFactory, ReleaseFactory
from pricing import services, sources as price_sources, tasks
from pricing.factories import ExchangeRateFactory
from pricing.models import PriceQuote, Store
from recommendations.scoring import AlbumFacts, explain

from .fake_sources import FakeRadio, FakeShop

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
FAKE_NAMES = ("fakeshop", "fakeradio", "Fake Shop", "Fake Radio", "FakeShop", "FakeRadio")


@pytest.fixture
def registered(monkeypatch, settings):
    """The fakes' one registry line each."""
    monkeypatch.setattr(price_sources, "SOURCES", [*price_sources.SOURCES, FakeShop()])
    monkeypatch.setattr(listening_sources, "SOURCES", [*listening_sources.SOURCES, FakeRadio()])
    # Only the fake prices albums here: eBay is not configured, Discogs' statistics are not asked.
    settings.EBAY_CLIENT_ID = settings.EBAY_CLIENT_SECRET = ""
    monkeypatch.setattr(type(price_sources.get("discogs")), "refresh", lambda self, album, destinations, rates: 0)


def test_the_fakes_are_named_nowhere_but_their_module_and_this_test():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    allowed = {"vinilogy/tests/fake_sources.py", "vinilogy/tests/test_a_source_is_one_module.py"}
    naming = []
    for name in tracked:
        path = ROOT / name
        if (
            name in allowed
            or not path.is_file()
            or path.suffix not in {".py", ".html", ".txt", ".po", ".md", ".json", ".yml", ".toml"}
        ):
            continue
        text = path.read_text(errors="ignore")
        naming += [name for fake in FAKE_NAMES if fake in text]
    assert naming == []


def test_no_migration_is_needed_with_the_fakes_registered(registered):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits non-zero on a change


def test_the_fake_price_source_prices_an_album_into_the_store_it_creates_itself(registered):
    ExchangeRateFactory(currency="USD")
    album = ReleaseFactory().album
    assert not Store.objects.filter(name="Fake Shop").exists()

    assert services.refresh_album_prices(album, countries=["ES", "DE"]) == 2
    store = Store.objects.get(name="Fake Shop")
    assert (store.kind, store.website) == ("fakeshop", "https://fakeshop.example/")
    assert PriceQuote.objects.filter(store=store, album=album).count() == 2


def test_its_refresh_runs_on_its_providers_queue_and_its_day_is_planned_with_that_budget(registered, monkeypatch):
    album = AlbumFactory()
    ReleaseFactory(album=album)
    queued = []
    monkeypatch.setattr(
        tasks.refresh_source_prices, "apply_async", lambda args, **options: queued.append((args[1], options["queue"]))
    )

    tasks.refresh_album_prices.delay(album.pk).get()
    assert ("fakeshop", "ebay") in queued
    plan, due = services.plans_today(["ES"])["ebay"]
    assert [source.name for source in due] == ["fakeshop"] and album.pk in [album_id for album_id, _ in plan.enqueued]


def test_the_album_page_shows_its_offers(registered, client):
    album = ReleaseFactory().album
    services.refresh_album_prices(album, countries=["ES"])

    page = client.get(reverse("pricing:album_offers", args=[album.pk])).content.decode()
    assert "Fake Shop" in page


def test_a_listener_may_switch_it_off_on_the_options_page_and_through_the_api(registered, client, listener):
    page = client.get(reverse("accounts:onboarding")).content.decode()
    assert 'name="include_fakeshop"' in page and "Include Fake Shop offers" in page
    data = {
        "lastfm_username": "",
        "listenbrainz_username": "",
        "discogs_username": "",
        "country": "ES",
        "min_tracks_per_album": 6,
        "blocked": "",
        "seller_region": "anywhere",
        "include_ebay": "on",
    }  # Fake Shop unticked

    assert client.post(reverse("accounts:profile_update"), data).status_code == 302
    listener.profile.refresh_from_db()
    assert listener.profile.excluded_sources == ["fakeshop"]
    assert buying_filters(listener).excluded_sources == {"fakeshop"}
    api = client.put(reverse("api:filters_update"), {"excluded_sources": ["fakeshop", "ebay"]}, content_type="application/json")
    assert api.status_code == 200 and api.json()["excluded_sources"] == ["ebay", "fakeshop"]


def test_the_content_security_policy_allows_the_hosts_each_source_names(registered, client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "https://img.fakeshop.example" in policy.split("img-src")[1].split(";")[0]
    assert "https://fakeradio.example" in policy.split("form-action")[1].split(";")[0]


def test_the_console_lists_both_beside_their_providers(registered, capsys):
    call_command("check_integrations")
    out = capsys.readouterr().out
    assert "price: Fake Shop" in out and "listening: Fake Radio" in out


def test_the_fake_listening_source_is_connected_by_username_on_the_taste_page(registered, client, listener):
    assert "Fake Radio" in client.get(reverse("accounts:onboarding")).content.decode()
    assert not listening_sources.profile_with_taste(listener).has_taste

    client.post(reverse("accounts:username_connect", args=["fakeradio"]), {"username": "ana_listens"})
    assert SourceUsername.objects.get(user=listener, source="fakeradio").username == "ana_listens"
    assert listening_sources.profile_with_taste(listener).has_taste
    assert listening_sources.get("fakeradio").is_connected(listener)


def test_its_artists_are_explained_with_its_own_phrase(registered):
    facts = AlbumFacts(
        album_id=1, title="Homogenic", artist_id=1, artist_name="Björk", country="ES", artist_sources=frozenset({"fakeradio"})
    )
    assert explain(facts).startswith("Björk is one of your top artists on Fake Radio")


def test_listenbrainz_has_a_phrase_too():
    facts = AlbumFacts(
        album_id=1, title="Homogenic", artist_id=1, artist_name="Björk", country="ES", artist_sources=frozenset({"listenbrainz"})
    )
    assert explain(facts).startswith("Björk is one of your top artists on ListenBrainz")
