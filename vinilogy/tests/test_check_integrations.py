"""manage.py check_integrations: credentials per provider, and with --live one cheap call each."""

import uuid
from io import StringIO

import pytest
import responses
from django.core.management import CommandError, call_command

from integrations import ratelimit
from integrations.ebay import ApplicationToken
from integrations.models import ApiCall
from integrations.replay import record_fixture
from integrations.tests.conftest import recording_text

DISCOGS_SEARCH = "https://api.discogs.com/database/search"
MUSICBRAINZ_NIRVANA = "https://musicbrainz.org/ws/2/artist/5b11f4ce-a62d-471e-81fc-a69a8278c7da"
LASTFM = "https://ws.audioscrobbler.com/2.0/"
SPOTIFY_TOKEN = "https://accounts.spotify.com/api/token"
EBAY_TOKEN = "https://api.ebay.com/identity/v1/oauth2/token"
EBAY_TREE = "https://api.ebay.com/commerce/taxonomy/v1/get_default_category_tree_id"
DISCOGS_RELEASE_1 = "https://api.discogs.com/releases/1"
ECB_DAILY = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
LISTENBRAINZ = "https://api.listenbrainz.org/1/stats/sitewide/artists"


@pytest.fixture
def no_credentials(settings):
    settings.VINILOGY_REPLAY_DIR = ""
    settings.HTTP_MAX_RETRIES = 4
    for name in (
        "DISCOGS_TOKEN",
        "DISCOGS_CONSUMER_KEY",
        "DISCOGS_CONSUMER_SECRET",
        "LASTFM_API_KEY",
        "SPOTIFY_CLIENT_ID",
        "SPOTIFY_CLIENT_SECRET",
        "EBAY_CLIENT_ID",
        "EBAY_CLIENT_SECRET",
    ):
        setattr(settings, name, "")
    return settings


@pytest.fixture
def all_credentials(no_credentials):
    no_credentials.DISCOGS_TOKEN = "discogs-token-abcdef"
    no_credentials.LASTFM_API_KEY = "lastfm-key-abcdef"
    no_credentials.SPOTIFY_CLIENT_ID, no_credentials.SPOTIFY_CLIENT_SECRET = "spotify-id", "spotify-secret-abc"
    # An eBay app of this test's own: its token is cached (in Redis on that leg) by the ping.
    no_credentials.EBAY_CLIENT_ID, no_credentials.EBAY_CLIENT_SECRET = f"ebay-{uuid.uuid4().hex[:8]}", "ebay-secret-abc"
    yield no_credentials
    ApplicationToken(no_credentials.EBAY_CLIENT_ID, no_credentials.EBAY_CLIENT_SECRET).forget()


def answer_every_provider(http_responses):
    """Recorded answers (integrations/fixtures, SOURCES.md), except the ListenBrainz sitewide
    statistics, for which only the documented envelope is written here."""
    search = recording_text("discogs/database_search_q-prodigy_type-release_page1.json")
    http_responses.get(DISCOGS_SEARCH, body=search, headers={"X-Discogs-Ratelimit-Remaining": "59"})
    http_responses.get(MUSICBRAINZ_NIRVANA, body=recording_text("musicbrainz/artist_5b11f4ce_nirvana_inc-url-rels.json"))
    http_responses.get(LASTFM, body=recording_text("lastfm/artist.getInfo_nirvana.json"))
    http_responses.post(SPOTIFY_TOKEN, body=recording_text("spotify/token_client_credentials.json"))
    http_responses.post(EBAY_TOKEN, body=recording_text("ebay/oauth2_token_client-credentials_docs-example.json"))
    http_responses.get(EBAY_TREE, body=recording_text("ebay/taxonomy_get_default_category_tree_id_docs-example.json"))
    http_responses.get(ECB_DAILY, body=recording_text("ecb/eurofxref-daily_2024-06-28.xml"))
    http_responses.get(LISTENBRAINZ, json={"payload": {"range": "all_time", "artists": []}})


def run(*args):
    out = StringIO()
    call_command("check_integrations", *args, stdout=out)
    return out.getvalue()


def run_failing(*args):
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("check_integrations", *args, stdout=out)
    return out.getvalue(), raised.value


def row(output, provider):
    return next(line for line in output.splitlines() if line.startswith(provider + " "))


def test_without_live_it_reports_credentials_and_calls_nothing(no_credentials, http_responses):
    output = run()

    assert "no: Discogs has no credentials (set DISCOGS_TOKEN" in row(output, "discogs")
    assert "database search and price suggestions are skipped" in row(output, "discogs")
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

    assert "5661 results for 'nirvana', quota left 59" in row(output, "discogs")
    assert "artist Nirvana" in row(output, "lastfm")
    assert "daily rates of 2024-06-28, 30 currencies" in row(output, "ecb")
    assert "category tree 0 for EBAY_ES" in row(output, "ebay")
    assert output.strip().splitlines()[-1] == "7 providers: 7 ready, 0 not configured; live: 7 ok, 0 failed, 0 skipped"
    assert len(http_responses.calls) == 8  # eBay asks for its application token first
    assert ApiCall.objects.count() == 8
    discogs_call = http_responses.calls[0].request
    assert discogs_call.headers["Authorization"] == "Discogs token=discogs-token-abcdef"
    assert "discogs-token-abcdef" not in discogs_call.url


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
    record_fixture(tmp_path, "GET", f"{MUSICBRAINZ_NIRVANA}?inc=url-rels&fmt=json", body={"id": "5b11f4ce", "name": "Nirvana"})
    record_fixture(tmp_path, "GET", ECB_DAILY, body=recording_text("ecb/eurofxref-daily_2024-06-28.xml"))
    no_credentials.VINILOGY_REPLAY_DIR = str(tmp_path)

    with pytest.raises(CommandError, match="live: 2 ok, 1 failed, 4 skipped; failing: listenbrainz"):
        run("--live")


def test_each_daily_budget_is_shown_with_what_it_spent_today(no_credentials):
    no_credentials.DAILY_BUDGETS = {"ebay": 5000, "ebay_token": 1000}
    ratelimit.get_limiter("ebay").spend(5000)

    assert "ebay 1/5000, ebay_token 0/1000" in row(run(), "ebay")
    assert "/5000" not in row(run(), "lastfm")


@pytest.mark.django_db
def test_a_lastfm_error_reads_through_the_clients_own_error_map(all_credentials, http_responses):
    answer_every_provider(http_responses)
    # Error 11 "Service Offline" (https://www.last.fm/api/errorcodes) is transient: retried once.
    http_responses.replace(responses.GET, LASTFM, json={"error": 11, "message": "Service Offline"}, status=400)

    output, error = run_failing("--live")

    assert "failing: lastfm" in str(error)
    assert "unavailable: Last.fm error 11: Service Offline" in row(output, "lastfm")
    assert len([call for call in http_responses.calls if call.request.url.startswith(LASTFM)]) == 2


def test_each_provider_says_which_registered_sources_depend_on_it():
    out = StringIO()
    call_command("check_integrations", stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines() if line and not line.startswith("PROVIDER")}
    assert "price: Discogs marketplace" in lines["discogs"] and "listening: Discogs" in lines["discogs"]
    assert "price: eBay" in lines["ebay"] and "listening: Spotify" in lines["spotify"]
    assert "exchange rates" in lines["ecb"] and "catalog" in lines["musicbrainz"]
