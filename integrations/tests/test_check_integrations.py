"""manage.py check_integrations: credentials per provider, and with --live one cheap call each."""
from io import StringIO

import pytest
import responses
from django.core.management import CommandError, call_command

from integrations.models import ApiCall
from integrations.replay import record_fixture

DISCOGS_SEARCH = "https://api.discogs.com/database/search"
MUSICBRAINZ_NIRVANA = "https://musicbrainz.org/ws/2/artist/5b11f4ce-a62d-471e-81fc-a69a8278c7da"
LASTFM = "https://ws.audioscrobbler.com/2.0/"
SPOTIFY_TOKEN = "https://accounts.spotify.com/api/token"
EBAY_TOKEN = "https://api.ebay.com/identity/v1/oauth2/token"
ECB_DAILY = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
LISTENBRAINZ = "https://api.listenbrainz.org/1/stats/sitewide/artists"


@pytest.fixture
def no_credentials(settings):
    settings.VINILOGY_REPLAY_DIR = ""
    settings.HTTP_MAX_RETRIES = 4
    for name in (
        "DISCOGS_TOKEN", "DISCOGS_CONSUMER_KEY", "DISCOGS_CONSUMER_SECRET", "LASTFM_API_KEY",
        "SPOTIFY_CLIENT_ID", "SPOTIFY_CLIENT_SECRET", "EBAY_CLIENT_ID", "EBAY_CLIENT_SECRET",
    ):
        setattr(settings, name, "")
    return settings


@pytest.fixture
def all_credentials(no_credentials):
    no_credentials.DISCOGS_TOKEN = "discogs-token-abcdef"
    no_credentials.LASTFM_API_KEY = "lastfm-key-abcdef"
    no_credentials.SPOTIFY_CLIENT_ID, no_credentials.SPOTIFY_CLIENT_SECRET = "spotify-id", "spotify-secret-abc"
    no_credentials.EBAY_CLIENT_ID, no_credentials.EBAY_CLIENT_SECRET = "ebay-id", "ebay-secret-abc"
    return no_credentials


def answer_every_provider(http_responses):
    http_responses.get(DISCOGS_SEARCH, json={"pagination": {"items": 2107}, "results": []}, headers={"X-Discogs-Ratelimit-Remaining": "59"})
    http_responses.get(MUSICBRAINZ_NIRVANA, json={"name": "Nirvana"})
    http_responses.get(LASTFM, json={"artist": {"name": "Nirvana"}})
    http_responses.post(SPOTIFY_TOKEN, json={"access_token": "x", "token_type": "Bearer", "expires_in": 3600})
    http_responses.post(EBAY_TOKEN, json={"access_token": "x", "expires_in": 7200})
    http_responses.get(ECB_DAILY, body='<Cube currency="USD" rate="1.1"/><Cube currency="JPY" rate="160"/>')
    http_responses.get(LISTENBRAINZ, json={"payload": {"range": "all_time", "artists": []}})


def run(*args):
    out = StringIO()
    call_command("check_integrations", *args, stdout=out)
    return out.getvalue()


def row(output, provider):
    return next(line for line in output.splitlines() if line.startswith(provider + " "))


def test_without_live_it_reports_credentials_and_calls_nothing(no_credentials, http_responses):
    output = run()

    assert "no: set DISCOGS_TOKEN" in row(output, "discogs")
    assert "no: set LASTFM_API_KEY" in row(output, "lastfm")
    assert "yes: no credentials needed" in row(output, "musicbrainz")
    assert output.strip().splitlines()[-1] == "7 providers: 3 ready, 4 not configured"
    assert len(http_responses.calls) == 0


def test_discogs_counts_as_configured_with_an_oauth_consumer(no_credentials):
    no_credentials.DISCOGS_CONSUMER_KEY, no_credentials.DISCOGS_CONSUMER_SECRET = "ck", "cs"

    assert "yes: OAuth consumer" in row(run(), "discogs")


@pytest.mark.django_db
def test_live_calls_every_configured_provider_once_and_reports_ok(all_credentials, http_responses):
    answer_every_provider(http_responses)

    output = run("--live")

    assert "2107 results for 'nirvana', quota left 59" in row(output, "discogs")
    assert "artist Nirvana" in row(output, "lastfm")
    assert "2 currencies" in row(output, "ecb")
    assert output.strip().splitlines()[-1] == "7 providers: 7 ready, 0 not configured; live: 7 ok, 0 failed, 0 skipped"
    assert len(http_responses.calls) == 7
    assert ApiCall.objects.count() == 7
    assert http_responses.calls[0].request.headers["Authorization"] == "Discogs token=discogs-token-abcdef"


@pytest.mark.django_db
def test_live_skips_providers_without_credentials(no_credentials, http_responses):
    answer_every_provider(http_responses)

    output = run("--live")

    assert "skipped" in row(output, "spotify")
    assert output.strip().splitlines()[-1].endswith("live: 3 ok, 0 failed, 4 skipped")
    assert {call.request.url.split("?")[0] for call in http_responses.calls} == {MUSICBRAINZ_NIRVANA, ECB_DAILY, LISTENBRAINZ}


@pytest.mark.django_db
def test_live_exits_non_zero_when_a_configured_provider_fails(all_credentials, http_responses):
    answer_every_provider(http_responses)
    http_responses.replace(responses.GET, LASTFM, json={"error": 10, "message": "Invalid API key"})
    http_responses.replace(responses.GET, ECB_DAILY, status=503)

    with pytest.raises(CommandError, match="live: 5 ok, 2 failed, 0 skipped; failing: lastfm, ecb"):
        run("--live")


@pytest.mark.django_db
def test_live_gives_up_quickly_on_a_provider_that_is_down(all_credentials, http_responses, http_clock):
    answer_every_provider(http_responses)
    http_responses.replace(responses.GET, ECB_DAILY, status=503)

    with pytest.raises(CommandError):
        run("--live")

    assert len([call for call in http_responses.calls if call.request.url == ECB_DAILY]) == 2


@pytest.mark.django_db
def test_in_replay_mode_a_provider_without_a_recording_is_reported_as_failed(no_credentials, tmp_path):
    record_fixture(tmp_path, "GET", f"{MUSICBRAINZ_NIRVANA}?fmt=json", body={"name": "Nirvana"})
    record_fixture(tmp_path, "GET", ECB_DAILY, body='<Cube currency="USD" rate="1.1"/>')
    no_credentials.VINILOGY_REPLAY_DIR = str(tmp_path)

    with pytest.raises(CommandError, match="live: 2 ok, 1 failed, 4 skipped; failing: listenbrainz"):
        run("--live")
