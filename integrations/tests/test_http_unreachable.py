"""A provider whose host cannot be reached at all fails fast: no retries with backoff, the
attempt logged, and its next calls for a minute fail at once without being sent."""

import socket

import pytest
import requests
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError

from integrations.errors import Unavailable, Unreachable
from integrations.http import UNREACHABLE_HOLD_SECONDS, HttpClient
from integrations.models import ApiCall

pytestmark = pytest.mark.django_db

URL = "https://musicbrainz.org/ws/2/artist/"


def name_not_resolved(host="musicbrainz.org"):
    """What requests raises offline: HTTPSConnectionPool(...): Max retries exceeded (NameResolutionError)."""
    pool = HTTPSConnectionPool(host, 443)
    reason = NameResolutionError(host, pool, socket.gaierror(-2, "Name or service not known"))
    return requests.exceptions.ConnectionError(MaxRetryError(pool, "/ws/2/artist/", reason))


def connection_refused(host="musicbrainz.org"):
    pool = HTTPSConnectionPool(host, 443)
    reason = NewConnectionError(pool, "Failed to establish a new connection: [Errno 111] Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(pool, "/ws/2/artist/", reason))


@pytest.fixture(autouse=True)
def retries(settings):
    settings.HTTP_MAX_RETRIES = 4
    settings.VINILOGY_REPLAY_DIR = ""


def client():
    return HttpClient("musicbrainz", rate_per_minute=0)


@pytest.mark.parametrize("failure", [name_not_resolved, connection_refused])
def test_an_unreachable_host_fails_at_once_without_retries_and_is_logged(http_responses, http_clock, failure):
    http_responses.get(URL, body=failure())

    with pytest.raises(Unreachable) as raised:
        client().get_json(URL)

    assert raised.value.kind == "unreachable" and not raised.value.permanent  # a task may retry later
    assert len(http_responses.calls) == 1 and http_clock.waits == []
    call = ApiCall.objects.get()
    assert call.error_kind == "unreachable" and "musicbrainz.org" in call.error  # the detail stays in the log


def test_for_a_minute_the_next_calls_to_that_provider_fail_at_once_without_being_sent(http_responses, http_clock):
    http_responses.get(URL, body=name_not_resolved())
    with pytest.raises(Unreachable):
        client().get_json(URL)

    http_clock.advance(UNREACHABLE_HOLD_SECONDS - 1)
    with pytest.raises(Unreachable) as again:
        client().get_json(URL)

    assert len(http_responses.calls) == 1 and again.value.attempts == 0
    assert ApiCall.objects.filter(error__startswith="Not sent").count() == 1
    http_responses.replace("GET", URL, json={"artists": []})
    http_clock.advance(2)
    assert client().get_json(URL) == {"artists": []}  # the minute is over: tried again


def test_a_connection_dropped_after_it_was_made_is_still_retried(http_responses):
    http_responses.get(URL, body=requests.exceptions.ConnectionError("Connection reset by peer"))

    with pytest.raises(Unavailable) as raised:
        client().get_json(URL)

    assert raised.value.kind == "connection" and len(http_responses.calls) == 5
