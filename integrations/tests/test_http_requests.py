"""HttpClient: what goes on the wire (URL, params, headers, timeouts) and what comes back."""

import pytest
from responses import matchers

from integrations.http import HttpClient, basic_auth

pytestmark = pytest.mark.django_db

BASE = "https://ws.example.test/2.0/"


def test_every_call_carries_the_user_agent_and_both_timeouts(http_responses, settings):
    settings.VINILOGY_USER_AGENT = "Vinilogy-test/1.0 ( ops@example.test )"
    settings.HTTP_CONNECT_TIMEOUT, settings.HTTP_READ_TIMEOUT = 3.0, 11.0
    http_responses.get("https://musicbrainz.example.test/ws/2/artist/x", json={})

    HttpClient("musicbrainz").get_json("https://musicbrainz.example.test/ws/2/artist/x")

    sent = http_responses.calls[0].request
    assert sent.headers["User-Agent"] == "Vinilogy-test/1.0 ( ops@example.test )"
    assert sent.req_kwargs["timeout"] == (3.0, 11.0)


def test_paths_join_the_base_url_and_an_empty_path_is_the_base_itself(http_responses):
    http_responses.get("https://ws.example.test/2.0/", json={"root": True})
    http_responses.get("https://ws.example.test/2.0/artist/1", json={"artist": 1})
    http = HttpClient("lastfm", base_url=BASE)

    assert http.get_json("") == {"root": True}
    assert http.get_json("/artist/1") == {"artist": 1}


def test_call_params_override_defaults_and_none_values_are_left_out(http_responses):
    expected = {"format": "json", "method": "artist.getInfo", "artist": "Nirvana"}
    http_responses.get(BASE, json={}, match=[matchers.query_param_matcher(expected)])
    http = HttpClient("lastfm", base_url=BASE, default_params={"format": "xml", "method": "artist.getInfo"})

    http.get_json("", params={"format": "json", "artist": "Nirvana", "mbid": None})

    assert len(http_responses.calls) == 1


def test_default_and_call_headers_are_both_sent(http_responses):
    http_responses.get(f"{BASE}x", json={})
    http = HttpClient("discogs", base_url=BASE, default_headers={"Authorization": "Discogs token=abc"})

    http.get_json("x", headers={"Accept": "application/vnd.discogs.v2.discogs+json"})

    sent = http_responses.calls[0].request.headers
    assert sent["Authorization"] == "Discogs token=abc"
    assert sent["Accept"] == "application/vnd.discogs.v2.discogs+json"


def test_last_headers_expose_the_successful_response_headers_for_pagination(http_responses):
    link = '<https://api.example.test/items?page=2>; rel="next"'
    http_responses.get(f"{BASE}items", json=[], headers={"Link": link})
    http = HttpClient("spotify", base_url=BASE)

    http.get_json("items")

    assert http.last_headers["link"] == link


def test_get_text_returns_the_decoded_body(http_responses):
    xml = '<?xml version="1.0" encoding="UTF-8"?><Cube currency="USD" rate="1.08"/>'
    http_responses.get("https://ecb.example.test/daily.xml", body=xml, content_type="text/xml; charset=utf-8")

    assert HttpClient("ecb").get_text("https://ecb.example.test/daily.xml") == xml


def test_an_empty_json_body_is_none(http_responses):
    http_responses.get(f"{BASE}empty", body="", status=204)

    assert HttpClient("lastfm", base_url=BASE).get_json("empty") is None


def test_post_json_sends_a_form_and_uses_the_given_auth(http_responses):
    http_responses.post(
        "https://accounts.example.test/api/token",
        json={"access_token": "t", "expires_in": 3600},
        match=[matchers.urlencoded_params_matcher({"grant_type": "client_credentials"})],
    )
    http = HttpClient("spotify")

    token = http.post_json(
        "https://accounts.example.test/api/token",
        data={"grant_type": "client_credentials"},
        auth=basic_auth("client-id", "client-secret"),
    )

    assert token["expires_in"] == 3600
    assert http_responses.calls[0].request.headers["Authorization"].startswith("Basic ")


def test_a_client_constructed_with_a_rate_uses_it_instead_of_settings(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "discogs": 60.0, "discogs_anonymous": 25.0}

    assert HttpClient("discogs").rate_per_minute == 60.0
    assert HttpClient("discogs", rate_per_minute=settings.RATE_LIMITS["discogs_anonymous"]).rate_per_minute == 25.0
