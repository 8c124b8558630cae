"""A failed provider call reads as what it means and what happens next, never as its text."""

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from integrations.errors import AuthError, BadPayload, NotConfigured, NotFound, RateLimited, Unavailable, Unreachable
from integrations.failures import RETRY_SECONDS, Failure, clock_time, failure_from

NOW = 1_700_000_000.0
TECHNICAL = ("HTTPSConnectionPool", "Errno", "musicbrainz.org", "HTTP 5", "Error(", "API_KEY", "Traceback")


@pytest.mark.parametrize(
    "error, words",
    [
        (
            Unreachable("Unreachable: HTTPSConnectionPool(host='musicbrainz.org') [Errno -2]", provider="musicbrainz"),
            "MusicBrainz did not answer; we will try again at",
        ),
        (
            Unavailable("HTTP 503: Service Unavailable", provider="discogs", status_code=503),
            "Discogs did not answer; we will try again at",
        ),
        (RateLimited("HTTP 429", provider="lastfm", status_code=429), "Last.fm asked us to slow down; we will try again at"),
        (NotConfigured("set EBAY_CLIENT_ID", provider="ebay"), "eBay is not available on this site yet."),
        (ValueError("Last.fm needs an API key: set LASTFM_API_KEY"), "is not available on this site yet."),
        (AuthError("HTTP 401: Invalid consumer token", provider="discogs"), "Discogs did not accept this site's access"),
        (NotFound("HTTP 404", provider="musicbrainz"), "MusicBrainz does not know it."),
        (BadPayload("Undecodable JSON (Expecting value)", provider="discogs"), "Discogs sent an answer we could not use"),
        (RuntimeError("Traceback (most recent call last)"), "Something went wrong on our side; we will try again at"),
    ],
)
def test_each_kind_of_failure_reads_as_what_it_means(error, words):
    sentence = failure_from(error, now=NOW).sentence()
    assert words in sentence
    assert not any(text in sentence for text in TECHNICAL)


def test_a_transient_failure_says_when_it_is_tried_again_and_a_permanent_one_does_not():
    transient = failure_from(Unavailable("HTTP 503", provider="discogs"), now=NOW)
    assert transient.retry_at == NOW + RETRY_SECONDS
    assert transient.sentence().endswith(f"we will try again at {clock_time(NOW + RETRY_SECONDS)}.")
    assert transient.ask_again().endswith(f"try again after {clock_time(NOW + RETRY_SECONDS)}.")
    assert failure_from(NotFound("HTTP 404", provider="discogs"), now=NOW).retry_at is None


def test_a_longer_retry_after_from_the_provider_is_honoured():
    failure = failure_from(RateLimited("429", provider="discogs", retry_after=3600), now=NOW)
    assert failure.retry_at == NOW + 3600


def test_celerys_retry_is_read_through_to_the_error_it_carries():
    retry = Retry(exc=Unreachable("Unreachable", provider="musicbrainz"))
    assert failure_from(retry, now=NOW) == Failure("unreachable", "musicbrainz", NOW + RETRY_SECONDS)


def test_a_failure_survives_the_cache_as_plain_data():
    failure = failure_from(Unreachable("x", provider="lastfm"), now=NOW)
    assert Failure.from_dict(failure.as_dict()) == failure
    assert Failure.from_dict("an old note kept as text") is None


def test_the_time_is_the_sites_local_time(settings):
    settings.TIME_ZONE = "Europe/Madrid"
    with timezone.override("Europe/Madrid"):
        assert clock_time(NOW) == "23:13"  # 22:13 UTC
