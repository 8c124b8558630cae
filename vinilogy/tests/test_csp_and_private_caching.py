"""Every HTML page carries the CSP; what is someone's own is never stored by a cache."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from catalog.factories import AlbumFactory, ArtistFactory

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.fixture
def listener(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _html_pages(client, admin_user):
    album = AlbumFactory(artist=ArtistFactory(name="Air"), spotify_id="4uLU6hMCjMI75M1A2tKUQC")
    anonymous = ["/", reverse("catalog:search"), reverse("account_login"), reverse("account_signup"), "/no-such-page/"]
    pages = [client.get(url) for url in anonymous]
    client.force_login(UserFactory())
    personal = [reverse("accounts:onboarding"), reverse("recommendations:wantlist"), reverse("recommendations:page")]
    pages += [client.get(url) for url in personal + [reverse("catalog:album", args=[album.pk])]]
    pages.append(client.get(reverse("accounts:seed_search"), {"q": "\x00"}))  # the refusal page
    client.force_login(admin_user)
    pages += [client.get(url) for url in ("/admin/", "/admin/dashboard/", "/admin/catalog/ingestionjob/")]
    return pages


def test_every_html_page_carries_the_content_security_policy(client, admin_user):
    for response in _html_pages(client, admin_user):
        assert response["Content-Type"].startswith("text/html"), response
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"], response.wsgi_request.path
        # Our static files, plus the request's nonce when a page has an inline script.
        assert policy["script-src"][0] == "'self'"
        assert all(source.startswith("'nonce-") for source in policy["script-src"][1:])
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_images_may_come_from_the_cover_hosts_and_frames_only_from_spotify(client):
    policy = _policy(client.get("/"))
    assert {"'self'", "https://i.discogs.com", "https://i.scdn.co", "https://lastfm.freetls.fastly.net"} <= set(policy["img-src"])
    assert policy["frame-src"] == ["https://open.spotify.com"]
    assert policy["object-src"] == ["'none'"]


def _is_private(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


@pytest.mark.parametrize("url_name", ["accounts:onboarding", "recommendations:wantlist", "recommendations:page", "home"])
def test_a_signed_in_listeners_pages_are_private_and_not_stored(client, listener, url_name):
    assert _is_private(client.get(reverse(url_name)))


def test_htmx_fragments_are_private_and_not_stored(client, listener):
    ArtistFactory(name="Radiohead")
    response = client.get(reverse("accounts:seed_search"), {"q": "radio"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and _is_private(response)


def test_an_anonymous_htmx_fragment_is_private_too(client):
    assert _is_private(client.get(reverse("catalog:search"), {"q": "air"}, HTTP_HX_REQUEST="true"))


def test_the_json_api_is_private_and_not_stored(client, listener):
    response = client.get(reverse("api:recs"))
    assert response.status_code == 200 and _is_private(response)


def test_an_anonymous_public_page_stays_cacheable(client):
    assert not _is_private(client.get(reverse("catalog:search")))
