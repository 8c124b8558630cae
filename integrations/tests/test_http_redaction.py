"""Secrets never reach the call log, error messages or exceptions."""

import pytest
from oauthlib.oauth1 import Client as OAuth1Client
from requests.auth import AuthBase

from integrations.errors import AuthError, Unavailable
from integrations.http import HttpClient, basic_auth
from integrations.models import ApiCall
from integrations.redact import REDACTED, redact_text, redact_url

API_KEY = "a1b2c3d4e5f6live-lastfm-key"
TOKEN = "discogs-personal-token-9f8e7d"
SECRET = "consumer-secret-0192837465"


@pytest.mark.parametrize(
    "name", ["token", "key", "secret", "api_key", "access_token", "client_secret", "oauth_signature", "oauth_token", "password"]
)
def test_redact_url_hides_the_value_of_each_secret_parameter(name):
    redacted = redact_url(f"https://api.example.test/x?q=nirvana&{name}=s3cr3t-value&page=2")

    assert "s3cr3t-value" not in redacted
    assert f"{name}={REDACTED}" in redacted
    assert "q=nirvana" in redacted and "page=2" in redacted


def test_redact_url_matches_parameter_names_case_insensitively():
    assert "XYZ" not in redact_url("https://api.example.test/?API_KEY=XYZ&Token=XYZ")


def test_redact_url_leaves_a_url_without_secrets_exactly_as_it_was():
    url = "https://api.example.test/search?q=Sigur%20R%C3%B3s&per_page=1"

    assert redact_url(url) == url


def test_redact_text_replaces_known_secret_values_anywhere():
    text = f"Invalid key {API_KEY} for https://x.test/?api_key={API_KEY}"

    assert API_KEY not in redact_text(text, {API_KEY})


def test_redact_text_hides_secret_parameters_of_urls_echoed_in_a_body():
    text = 'see "https://x.test/?q=a&token=unknown-token-value&page=2" or Api_Key=other-value.'

    redacted = redact_text(text, set())

    assert "unknown-token-value" not in redacted and "other-value" not in redacted
    assert "q=a&token=REDACTED&page=2" in redacted
    assert "monkey=banana" in redact_text("monkey=banana", set())


@pytest.fixture
def mocked(http_responses, settings):
    settings.HTTP_MAX_RETRIES = 1
    return http_responses


def stored_text():
    return " ".join(f"{endpoint} {error}" for endpoint, error in ApiCall.objects.values_list("endpoint", "error"))


@pytest.mark.django_db
def test_no_secret_query_value_is_stored_even_when_the_server_echoes_it(mocked):
    url = "https://ws.example.test/2.0/"
    mocked.get(url, status=403, json={"error": 10, "message": f"Invalid API key {API_KEY}"})
    http = HttpClient("lastfm", base_url=url, default_params={"api_key": API_KEY, "format": "json"})

    with pytest.raises(AuthError) as raised:
        http.get_json("", params={"method": "artist.getInfo", "artist": "Nirvana", "token": TOKEN})

    logged = stored_text()
    for secret in (API_KEY, TOKEN):
        assert secret not in logged
        assert secret not in str(raised.value)
    assert "api_key=REDACTED" in logged and "artist=Nirvana" in logged


@pytest.mark.django_db
def test_secrets_from_auth_objects_and_form_bodies_are_scrubbed_from_errors(mocked):
    url = "https://accounts.example.test/api/token"
    mocked.post(url, status=503, body=f"bad client {SECRET} with {TOKEN}")

    with pytest.raises(Unavailable) as raised:
        HttpClient("spotify").post_json(url, data={"refresh_token": TOKEN}, auth=basic_auth("id", SECRET))

    assert SECRET not in str(raised.value) and TOKEN not in str(raised.value)
    assert SECRET not in stored_text() and TOKEN not in stored_text()


class OAuth1Auth(AuthBase):
    """The shape of a hand-written OAuth 1.0a auth around oauthlib (as the Discogs client may use)."""

    def __init__(self, **credentials):
        self.client = OAuth1Client(**credentials)

    def __call__(self, request):
        request.url, headers, _ = self.client.sign(request.url, request.method)
        request.headers.update(headers)
        return request


@pytest.mark.django_db
def test_oauth1_secrets_are_scrubbed_from_errors(mocked):
    url = "https://api.discogs.example.test/marketplace/price_suggestions/1"
    mocked.get(url, status=401, body=f"token {TOKEN} rejected for consumer secret {SECRET}")
    auth = OAuth1Auth(
        client_key="consumer-key", client_secret=SECRET, resource_owner_key=TOKEN, resource_owner_secret="owner-secret"
    )

    with pytest.raises(AuthError):
        HttpClient("discogs", auth=auth).get_json(url)

    assert SECRET not in stored_text() and TOKEN not in stored_text()


@pytest.mark.django_db
def test_a_token_sent_in_the_authorization_header_is_scrubbed_from_errors(mocked):
    url = "https://api.discogs.example.test/users/me/wants"
    mocked.get(url, status=401, body=f"Invalid consumer token {TOKEN}.")
    http = HttpClient("discogs", default_headers={"Authorization": f"Discogs token={TOKEN}"})

    with pytest.raises(AuthError) as raised:
        http.get_json(url)

    assert TOKEN not in str(raised.value)
    assert TOKEN not in stored_text()
