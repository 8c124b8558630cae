"""The listening-source registry: a new source is one module and one registry line.

The fake below is such a module, written as a test: registered, a listener connects it by
username on the onboarding page, "Sync now" reads it, and its artists are seeds in the
taste profile, with nothing else changed.
"""

import pytest
from django.urls import reverse

from accounts import services, sources
from accounts.models import ListeningSnapshot, SeedArtist, SourceUsername
from accounts.sources.base import SourceUnavailable, TasteSource
from accounts.tasks import sync_connected_users
from catalog.factories import ArtistFactory
from recommendations.services import load_listener

pytestmark = pytest.mark.django_db


class BandcampFan(TasteSource):
    """A fan page's collection: the artists they bought, most bought first."""

    name = "bandcamp"
    label = "Bandcamp fan"
    by_username = True
    recency = {"all": 1.0}
    fetched_for = []

    def fetch(self, user, client=None):
        username = self.username(user)
        if not username:
            raise SourceUnavailable("no Bandcamp username")
        self.fetched_for.append(username)
        artists = [
            {"name": "Godspeed You! Black Emperor", "mbid": "", "spotify_id": "", "playcount": 40, "rank": 1},
            {"name": "Low", "mbid": "", "spotify_id": "", "playcount": 12, "rank": 2},
        ]
        return {"all": {"artists": artists}}


@pytest.fixture
def bandcamp(monkeypatch):
    source = BandcampFan()
    source.fetched_for = []
    monkeypatch.setattr(sources, "SOURCES", [*sources.SOURCES, source])  # the one registry line
    return source


def test_a_registered_source_is_offered_connected_synced_and_weighed(client, listener, bandcamp):
    godspeed = ArtistFactory(name="Godspeed You! Black Emperor")
    page = client.get(reverse("accounts:onboarding")).content.decode()
    assert "<strong>Bandcamp fan</strong>" in page and reverse("accounts:username_connect", args=["bandcamp"]) in page

    client.post(reverse("accounts:username_connect", args=["bandcamp"]), {"username": "fan-42"})
    assert SourceUsername.objects.get(user=listener, source="bandcamp").username == "fan-42"
    client.post(reverse("accounts:source_sync", args=["bandcamp"]))

    assert bandcamp.fetched_for == ["fan-42"]
    assert ListeningSnapshot.objects.filter(user=listener, source="bandcamp", period="all").exists()
    seeds = {
        seed.artist.name: seed for seed in SeedArtist.objects.filter(user=listener, source="bandcamp").select_related("artist")
    }
    assert set(seeds) == {"Godspeed You! Black Emperor", "Low"}
    assert seeds["Godspeed You! Black Emperor"].weight > seeds["Low"].weight
    assert load_listener(listener).profile.affinity(godspeed.pk) == 1.0
    assert "connected as fan-42" in client.get(reverse("accounts:onboarding")).content.decode()


def test_a_registered_sources_listeners_are_in_the_daily_fan_out_until_they_disconnect(client, listener, bandcamp):
    bandcamp.set_username(listener, "fan-42")
    assert (listener.pk, "bandcamp") in services.connected_sources()
    assert sync_connected_users.delay().get() == 1 and bandcamp.fetched_for == ["fan-42"]

    client.post(reverse("accounts:username_disconnect", args=["bandcamp"]))
    assert (listener.pk, "bandcamp") not in services.connected_sources()


def test_a_username_with_a_path_in_it_is_refused(client, listener, bandcamp):
    client.post(reverse("accounts:username_connect", args=["bandcamp"]), {"username": "../collection"})
    assert not SourceUsername.objects.exists()


def test_an_unregistered_source_cannot_be_connected_or_synced(client, listener):
    assert client.post(reverse("accounts:username_connect", args=["bandcamp"]), {"username": "fan"}).status_code == 404
    assert client.post(reverse("accounts:source_sync", args=["bandcamp"])).status_code == 404
    with pytest.raises(ValueError, match="Unknown listening source 'bandcamp'"):
        services.sync_source(listener, "bandcamp")
