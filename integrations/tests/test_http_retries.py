"""HttpClient: which outcomes are retried, how long it waits, which error comes out, what is logged."""

from email.utils import formatdate

import pytest
import requests

from integrations.errors import AuthError, BadPayload, BadRequest, NotFound, RateLimited, Unavailable
from integrations.http import HttpClient
from integrations.models import ApiCall

pytestmark = pytest.mark.django_db

BASE = "https://api.example.test"
URL = f"{BASE}/releases/1"


@pytest.fixture(autouse=True)
def http_settings(settings):
    settings.HTTP_MAX_RETRIES = 3
    settings.HTTP_BACKOFF_BASE = 1.0
    settings.HTTP_BACKOFF_MAX = 30.0
    settings.VINILOGY_REPLAY_DIR = ""
    return settings


class UpperBound:
    """A jitter source that always picks the top of the range: makes the schedule visible."""

    def uniform(self, low, high):
        return high


def client(**options):
    # rate 0 = no spacing, so the only waits recorded are the retry waits under test.
    return HttpClient("discogs", base_url=BASE, rate_per_minute=options.pop("rate_per_minute", 0), **options)


def logged_attempts():
    return list(ApiCall.objects.order_by("attempt").values_list("attempt", "status_code", "error_kind"))


def test_429_with_retry_after_waits_that_long_then_succeeds(http_responses, http_clock):
    http_responses.get(URL, status=429, json={"message": "You are making requests too quickly."}, headers={"Retry-After": "7"})
    http_responses.get(URL, json={"id": 1})

    assert client(rate_per_minute=60).get_json("/releases/1") == {"id": 1}

    assert http_clock.waits == [7.0]
    assert logged_attempts() == [(1, 429, "rate_limited"), (2, 200, "")]


def test_retry_after_as_an_http_date_is_honoured(http_responses, http_clock):
    in_30_seconds = formatdate(http_clock.now() + 30, usegmt=True)
    http_responses.get(URL, status=503, headers={"Retry-After": in_30_seconds})
    http_responses.get(URL, json={"id": 1})

    client().get_json(URL)

    assert http_clock.waits == [pytest.approx(30.0)]


def test_retry_after_longer_than_the_backoff_cap_gives_up_at_once_with_the_delay(http_responses, http_clock):
    http_responses.get(URL, status=429, headers={"Retry-After": "3600"})

    with pytest.raises(RateLimited) as raised:
        client().get_json(URL)

    assert raised.value.retry_after == 3600.0
    assert raised.value.permanent is False
    assert len(http_responses.calls) == 1
    assert http_clock.waits == []


def test_503_then_success_backs_off_with_jitter_within_the_base(http_responses, http_clock):
    http_responses.get(URL, status=503, body="upstream down")
    http_responses.get(URL, json={"ok": True})

    assert client().get_json(URL) == {"ok": True}

    assert len(http_clock.waits) == 1
    assert 0.0 <= http_clock.waits[0] <= 1.0
    assert logged_attempts() == [(1, 503, "unavailable"), (2, 200, "")]


def test_backoff_doubles_per_attempt_and_stops_at_the_cap(http_responses, http_clock, settings):
    settings.HTTP_MAX_RETRIES = 5
    settings.HTTP_BACKOFF_MAX = 5.0
    http_responses.get(URL, status=502)
    http = client()
    http.rng = UpperBound()

    with pytest.raises(Unavailable):
        http.get_json(URL)

    assert http_clock.waits == [1.0, 2.0, 4.0, 5.0, 5.0]


@pytest.mark.parametrize(
    "exception, kind",
    [
        (requests.exceptions.ConnectTimeout("connect timed out"), "timeout"),
        (requests.exceptions.ReadTimeout("read timed out"), "timeout"),
        (requests.exceptions.ConnectionError("connection refused"), "connection"),
    ],
)
def test_network_failures_become_unavailable_after_the_retry_budget(http_responses, exception, kind):
    http_responses.get(URL, body=exception)

    with pytest.raises(Unavailable) as raised:
        client().get_json(URL)

    assert raised.value.kind == kind
    assert raised.value.attempts == 4
    assert len(http_responses.calls) == 4
    assert logged_attempts() == [(n, None, kind) for n in (1, 2, 3, 4)]


def test_server_errors_until_the_budget_runs_out_raise_unavailable_with_the_status(http_responses):
    http_responses.get(URL, status=500, body="boom")

    with pytest.raises(Unavailable) as raised:
        client().get_json(URL)

    assert raised.value.status_code == 500
    assert raised.value.provider == "discogs"
    assert len(http_responses.calls) == 4


def test_malformed_json_is_a_bad_payload_and_not_retried(http_responses, http_clock):
    http_responses.get(URL, body="{not json", content_type="application/json")

    with pytest.raises(BadPayload):
        client().get_json(URL)

    assert len(http_responses.calls) == 1
    assert http_clock.waits == []
    assert logged_attempts() == [(1, 200, "bad_payload")]


@pytest.mark.parametrize(
    "status, error_class, kind",
    [(404, NotFound, "not_found"), (401, AuthError, "auth"), (403, AuthError, "auth"), (400, BadRequest, "bad_request")],
)
def test_client_errors_are_permanent_and_not_retried(http_responses, status, error_class, kind):
    http_responses.get(URL, status=status, json={"message": "nope"})

    with pytest.raises(error_class) as raised:
        client().get_json(URL)

    assert raised.value.permanent is True
    assert raised.value.status_code == status
    assert len(http_responses.calls) == 1
    assert logged_attempts() == [(1, status, kind)]


def lastfm_check(payload):
    if isinstance(payload, dict) and payload.get("error") == 29:
        raise RateLimited(payload["message"])
    if isinstance(payload, dict) and payload.get("error") == 10:
        raise AuthError(payload["message"])


def test_a_rate_limit_reported_inside_a_200_body_is_retried(http_responses):
    http_responses.get(URL, json={"error": 29, "message": "Rate Limit Exceeded"})
    http_responses.get(URL, json={"artist": {"name": "Nirvana"}})

    result = client(payload_check=lastfm_check).get_json(URL)

    assert result == {"artist": {"name": "Nirvana"}}
    assert logged_attempts() == [(1, 200, "rate_limited"), (2, 200, "")]


def test_a_permanent_error_reported_inside_a_200_body_is_not_retried(http_responses):
    http_responses.get(URL, json={"error": 10, "message": "Invalid API key"})

    with pytest.raises(AuthError) as raised:
        client(payload_check=lastfm_check).get_json(URL)

    assert raised.value.provider == "discogs"
    assert raised.value.status_code == 200
    assert raised.value.url == URL
    assert len(http_responses.calls) == 1
