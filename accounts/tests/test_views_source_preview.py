"""Preview before sync: what a sync of a source would change, read by a task, written nowhere."""

import pytest
from django.urls import reverse

from accounts import sources as username_sources
from accounts.models import ListeningSnapshot, SeedArtist

from .recorded import serve_lastfm

pytestmark = pytest.mark.django_db


@pytest.fixture
def lastfm_listener(listener, settings):
    settings.LASTFM_API_KEY = "test-key"
    username_sources.get("lastfm").set_username(listener, "rj")
    listener.profile.save()
    return listener


def test_a_preview_lists_what_a_sync_would_add_and_writes_nothing(client, lastfm_listener, http_responses):
    serve_lastfm(http_responses)

    response = client.post(reverse("accounts:source_preview", args=["lastfm"]))

    html = response.content.decode()
    assert "What a sync of Last.fm would change" in html
    html = client.get(reverse("accounts:source_preview", args=["lastfm"])).content.decode()
    assert "to add" in html and "(nothing written)" in html and "Apply: sync Last.fm now" in html
    assert not ListeningSnapshot.objects.exists() and not SeedArtist.objects.exists()


def test_a_preview_of_an_unreadable_source_says_why_in_place(client, lastfm_listener, settings):
    settings.LASTFM_API_KEY = ""
    client.post(reverse("accounts:source_preview", args=["lastfm"]))
    html = client.get(reverse("accounts:source_preview", args=["lastfm"]), HTTP_HX_REQUEST="true").content.decode()
    assert "Last.fm sync is not available on this site yet." in html and "every 3s" not in html
    assert "LASTFM_API_KEY" not in html


def test_the_preview_is_the_listeners_own_and_of_known_sources_only(client, lastfm_listener):
    assert client.get(reverse("accounts:source_preview", args=["myspace"])).status_code == 404
    client.logout()
    response = client.get(reverse("accounts:source_preview", args=["lastfm"]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
