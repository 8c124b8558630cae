"""Onboarding: seed artists with a typeahead, listening sources, options; and the landing page's start form."""

import re

import pytest
import responses
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.sites.models import Site
from django.urls import reverse

from accounts import sources as username_sources, views
from accounts.factories import SeedArtistFactory, UserFactory
from accounts.models import SeedArtist
from catalog.factories import ArtistFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _login_redirect(response):
    return response.status_code == 302 and reverse("account_login") in response["Location"]


# --- landing ----------------------------------------------------------------------------


def test_landing_page_explains_vinilogy_and_offers_sign_up_sign_in_and_lastfm(client):
    html = client.get(reverse("home")).content.decode()
    assert "Which vinyl record should you buy next?" in html
    assert reverse("account_signup") in html and reverse("account_login") in html
    assert 'name="lastfm_username"' in html and reverse("accounts:start") in html
    assert 'id="theme-toggle"' in html


def test_landing_page_shows_spotify_and_discogs_buttons_only_when_configured(client):
    assert "Connect with Spotify" not in client.get(reverse("home")).content.decode()
    for provider, name in (("spotify", "Spotify"), ("discogs", "Discogs")):
        app = SocialApp.objects.create(provider=provider, name=name, client_id="id", secret="secret")
        app.sites.add(Site.objects.get_current())
    html = client.get(reverse("home")).content.decode()
    assert "Connect with Spotify" in html and "Connect with Discogs" in html
    assert "/accounts/spotify/login/" in html and "/accounts/discogs/login/" in html


def test_lastfm_username_from_the_landing_page_goes_to_sign_up_then_onto_the_new_profile(client):
    response = client.post(reverse("accounts:start"), {"lastfm_username": "rj"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_signup"))
    assert "next=%2Fonboarding%2F" in response["Location"]
    user = UserFactory()
    client.force_login(user)
    client.get(reverse("accounts:onboarding"))
    user.profile.refresh_from_db()
    assert username_sources.get("lastfm").username(user) == "rj"


def test_signed_in_listener_starting_from_lastfm_saves_it_and_lands_on_onboarding(client, listener):
    username_sources.get("lastfm").set_username(listener, "old_name")
    listener.profile.save()
    response = client.post(reverse("accounts:start"), {"lastfm_username": "rj"})
    assert response["Location"] == reverse("accounts:onboarding")
    listener.profile.refresh_from_db()
    assert username_sources.get("lastfm").username(listener) == "rj"


def test_an_invalid_lastfm_username_is_refused(client):
    response = client.post(reverse("accounts:start"), {"lastfm_username": "no spaces <b>"}, follow=True)
    assert "only letters, digits" in response.content.decode()


def test_sign_in_and_sign_up_pages_use_the_site_layout(client):
    for name in ("account_login", "account_signup"):
        html = client.get(reverse(name)).content.decode()
        assert 'class="topbar"' in html and 'class="auth card"' in html and 'id="theme-toggle"' in html


def test_a_new_account_can_sign_up_with_email(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "username": "newbie",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:onboarding")).status_code == 200


# --- onboarding page ----------------------------------------------------------------------


def test_onboarding_needs_a_signed_in_listener(client):
    assert _login_redirect(client.get(reverse("accounts:onboarding")))


def test_onboarding_lists_my_seed_artists_only(client, listener):
    SeedArtistFactory(user=listener, artist__name="Björk")
    SeedArtistFactory(artist__name="Someone Else's Band")
    html = client.get(reverse("accounts:onboarding")).content.decode()
    assert "Björk" in html and "Someone Else" not in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html


def test_seed_typeahead_searches_the_catalog_and_marks_artists_already_added(client, listener):
    added = ArtistFactory(name="Portishead")
    ArtistFactory(name="Porter Robinson")
    SeedArtistFactory(user=listener, artist=added)
    html = client.get(reverse("accounts:seed_search"), {"q": "port"}, **HTMX).content.decode()
    assert "Porter Robinson" in html and "Portishead" in html
    assert 'aria-label="Add Porter Robinson"' in html and 'aria-label="Add Portishead"' not in html


def test_seed_typeahead_works_without_javascript_on_the_onboarding_page(client, listener):
    ArtistFactory(name="Portishead")
    html = client.get(reverse("accounts:onboarding"), {"q": "portis"}).content.decode()
    assert 'aria-label="Add Portishead"' in html


def test_seed_typeahead_says_when_the_catalog_has_no_such_artist(client, listener):
    html = client.get(reverse("accounts:seed_search"), {"q": "Unknown Band"}, **HTMX).content.decode()
    assert "is not in our catalog yet" in html


def test_adding_a_seed_returns_the_updated_list_in_place(client, listener):
    artist = ArtistFactory(name="Massive Attack")
    response = client.post(reverse("accounts:seed_add"), {"artist_id": artist.pk}, **HTMX)
    assert response.status_code == 200 and 'id="seed-list"' in response.content.decode()
    assert "Massive Attack" in response.content.decode()
    assert SeedArtist.objects.filter(user=listener, artist=artist).exists()


def test_adding_a_seed_twice_keeps_one(client, listener):
    artist = ArtistFactory()
    client.post(reverse("accounts:seed_add"), {"artist_id": artist.pk})
    response = client.post(reverse("accounts:seed_add"), {"artist_id": artist.pk})
    assert response["Location"] == reverse("accounts:onboarding")
    assert SeedArtist.objects.filter(user=listener, artist=artist).count() == 1


def test_adding_a_seed_needs_a_signed_in_listener(client):
    artist = ArtistFactory()
    assert _login_redirect(client.post(reverse("accounts:seed_add"), {"artist_id": artist.pk}))
    assert not SeedArtist.objects.exists()


def test_owner_removes_a_seed_in_place(client, listener):
    seed = SeedArtistFactory(user=listener, artist__name="Tricky")
    response = client.post(reverse("accounts:seed_remove", args=[seed.artist_id]), **HTMX)
    assert response.status_code == 200 and "Tricky" not in response.content.decode()
    assert not SeedArtist.objects.filter(pk=seed.pk).exists()


def test_another_listener_cannot_remove_my_seed(client, listener):
    mine = SeedArtistFactory(user=UserFactory(username="owner"))
    response = client.post(reverse("accounts:seed_remove", args=[mine.artist_id]))
    assert response.status_code == 404
    assert SeedArtist.objects.filter(pk=mine.pk).exists()


def test_removing_a_seed_needs_a_signed_in_listener(client):
    seed = SeedArtistFactory()
    assert _login_redirect(client.post(reverse("accounts:seed_remove", args=[seed.artist_id])))
    assert SeedArtist.objects.filter(pk=seed.pk).exists()


def test_seed_actions_refuse_get(client, listener):
    assert client.get(reverse("accounts:seed_add")).status_code == 405


# --- profile: sources and options ---------------------------------------------------------


def _profile_data(**overrides):
    data = {
        "lastfm_username": "rj",
        "listenbrainz_username": "",
        "discogs_username": "digger",
        "country": "DE",
        "min_tracks_per_album": 7,
        "blocked": "",
        "min_condition": "",
        "seller_region": "anywhere",
        "max_shipping_eur": "",
        "include_ebay": "on",
    }
    return {**data, **overrides}


def test_owner_saves_usernames_country_and_minimum_tracks(client, listener):
    response = client.post(reverse("accounts:profile_update"), _profile_data())
    assert response.status_code == 302
    listener.profile.refresh_from_db()
    assert (username_sources.get("lastfm").username(listener), username_sources.get("discogs").username(listener)) == (
        "rj",
        "digger",
    )
    assert (listener.profile.country, listener.profile.min_tracks_per_album) == ("DE", 7)


def test_profile_edit_changes_only_the_signed_in_listeners_profile(client, listener):
    other = UserFactory(username="other")
    client.post(reverse("accounts:profile_update"), _profile_data(lastfm_username="mine"))
    other.profile.refresh_from_db()
    assert username_sources.get("lastfm").username(other) == ""


def test_profile_edit_needs_a_signed_in_listener(client):
    assert _login_redirect(client.post(reverse("accounts:profile_update"), _profile_data()))


def test_blocklist_takes_catalog_artist_names_one_per_line(client, listener):
    nickelback = ArtistFactory(name="Nickelback")
    client.post(reverse("accounts:profile_update"), _profile_data(blocked="nickelback\n"))
    assert list(listener.profile.blocked_artists.all()) == [nickelback]
    html = client.get(reverse("accounts:onboarding")).content.decode()
    assert "Nickelback</textarea>" in html


def test_blocklist_refuses_names_not_in_the_catalog(client, listener):
    response = client.post(reverse("accounts:profile_update"), _profile_data(blocked="No Such Band"))
    assert response.status_code == 400
    assert "Not in our catalog: No Such Band" in response.content.decode()


def test_profile_refuses_a_silly_minimum_and_a_malformed_username(client, listener):
    response = client.post(reverse("accounts:profile_update"), _profile_data(min_tracks_per_album=0, lastfm_username="a b"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "between 1 and 40" in html and "only letters, digits" in html


def test_disconnecting_a_username_source_clears_it(client, listener):
    username_sources.get("lastfm").set_username(listener, "rj")
    listener.profile.save()
    client.post(reverse("accounts:username_disconnect", args=["lastfm"]))
    listener.profile.refresh_from_db()
    assert username_sources.get("lastfm").username(listener) == ""
    assert client.post(reverse("accounts:username_disconnect", args=["myspace"])).status_code == 404


def test_owner_disconnects_a_spotify_login_but_not_another_listeners(client, listener):
    app = SocialApp.objects.create(provider="spotify", name="Spotify", client_id="id", secret="secret")
    app.sites.add(Site.objects.get_current())
    mine = SocialAccount.objects.create(user=listener, provider="spotify", uid="me")
    theirs = SocialAccount.objects.create(user=UserFactory(username="them"), provider="spotify", uid="them")
    assert client.post(reverse("accounts:source_disconnect", args=[theirs.pk])).status_code == 404
    client.post(reverse("accounts:source_disconnect", args=[mine.pk]))
    assert not SocialAccount.objects.filter(pk=mine.pk).exists()
    assert SocialAccount.objects.filter(pk=theirs.pk).exists()


def test_disconnecting_a_source_needs_a_signed_in_listener(client):
    account = SocialAccount.objects.create(user=UserFactory(), provider="spotify", uid="x")
    assert _login_redirect(client.post(reverse("accounts:source_disconnect", args=[account.pk])))


# --- adding an artist the catalog does not have yet ------------------------------------------


@pytest.fixture
def no_network():
    """Any HTTP call fails the test unless registered: database-first means none is made."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def test_adding_a_known_artist_by_name_reads_the_catalog_and_calls_no_api(client, listener, no_network):
    artist = ArtistFactory(name="Cocteau Twins")  # fresh: refreshed just now
    response = client.post(reverse("accounts:seed_add"), {"name": "cocteau twins"}, **HTMX)
    assert "Cocteau Twins" in response.content.decode()
    assert SeedArtist.objects.filter(user=listener, artist=artist).exists()
    assert len(no_network.calls) == 0


def test_adding_an_unknown_artist_answers_at_once_and_says_in_place_when_the_apis_are_unreachable(client, listener, no_network):
    """The seed is added and the answer says it is being looked up; the lookup runs after the
    response (embedded default), and the seed list, asked again, says it failed."""
    no_network.add("GET", re.compile(r"https://musicbrainz\.org/.*"), status=503)
    no_network.add("GET", re.compile(r"https://ws\.audioscrobbler\.com/.*"), status=503)
    response = client.post(reverse("accounts:seed_add"), {"name": "Slowdive"}, **HTMX)
    assert "Slowdive" in response.content.decode() and "looking it up" in response.content.decode()
    assert SeedArtist.objects.filter(user=listener, artist__name="Slowdive").exists()
    again = client.get(reverse("accounts:seed_list"), **HTMX).content.decode()
    assert "could not be looked up" in again and "every 3s" not in again


def test_adding_an_unknown_artist_returns_before_any_provider_is_called(rf, listener, no_network, close_response):
    """No request waits on HTTP: the view has answered before the first call is made, and the
    lookup starts once the response is sent. Told by the order of events, not by a clock."""
    from django.contrib.messages.storage.fallback import FallbackStorage

    from vinilogy.after_response import ApiTasksAfterResponseMiddleware

    events = []

    def provider(request):
        events.append("provider called")
        return 503, {}, "down"

    no_network.add_callback("GET", re.compile(r"https://musicbrainz\.org/.*"), callback=provider)
    request = rf.post(reverse("accounts:seed_add"), {"name": "Slowdive"})
    request.user, request.htmx, request._dont_enforce_csrf_checks = listener, True, True
    request.session = {}
    request._messages = FallbackStorage(request)
    response = ApiTasksAfterResponseMiddleware(views.seed_add)(request)
    events.append("answered")
    assert events == ["answered"] and len(no_network.calls) == 0
    assert "looking it up" in response.content.decode()
    close_response(response)  # the WSGI server has sent it: now the lookup runs
    assert events[0] == "answered" and "provider called" in events[1:]


def test_seed_search_needs_a_signed_in_listener(client):
    assert _login_redirect(client.get(reverse("accounts:seed_search"), {"q": "port"}))


def test_sync_now_reads_a_connected_source_and_says_so(client, listener, settings, no_network):
    settings.LASTFM_API_KEY = "a-key"
    no_network.add("GET", re.compile(r"https://ws\.audioscrobbler\.com/.*"), status=503)
    username_sources.get("lastfm").set_username(listener, "rj")
    listener.profile.save()
    response = client.post(reverse("accounts:source_sync", args=["lastfm"]), follow=True)
    assert "Reading your Last.fm data" in response.content.decode()


def test_sync_now_on_a_site_without_the_key_says_it_is_not_available_in_plain_words(client, listener, settings, no_network):
    settings.LASTFM_API_KEY = ""  # this site has no Last.fm key: nothing is enqueued
    username_sources.get("lastfm").set_username(listener, "rj")
    listener.profile.save()
    html = client.post(reverse("accounts:source_sync", args=["lastfm"]), follow=True).content.decode()
    assert "Last.fm sync is not available on this site yet." in html
    assert "LASTFM_API_KEY" not in html and "Reading your Last.fm data" not in html
    assert len(no_network.calls) == 0


def test_sync_now_of_an_unknown_source_is_404_and_needs_a_signed_in_listener(client, listener):
    assert client.post(reverse("accounts:source_sync", args=["myspace"])).status_code == 404
    client.logout()
    assert _login_redirect(client.post(reverse("accounts:source_sync", args=["lastfm"])))
