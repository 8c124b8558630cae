"""The replay adapter: recorded responses instead of the network, and seeded fault injection."""

import json
from collections import Counter

import pytest
import requests

from integrations.errors import ApiError
from integrations.http import HttpClient
from integrations.models import ApiCall
from integrations.replay import (
    ReplayAdapter,
    ReplayMiss,
    adapter_from_settings,
    is_replaying,
    manifest_request,
    match_key,
    mount_replay,
    record_fixture,
    record_manifest,
)

pytestmark = pytest.mark.django_db

API = "https://api.discogs.com"
VERSIONS = f"{API}/masters/4242/versions"
ECB_DAILY = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"


@pytest.fixture(autouse=True)
def replay_settings(settings):
    settings.VINILOGY_REPLAY_DIR = ""
    settings.HTTP_MAX_RETRIES = 4
    return settings


@pytest.fixture
def folder(tmp_path):
    """A small replay folder in the documented format, one subfolder per provider."""
    discogs = tmp_path / "discogs"
    record_fixture(
        discogs, "GET", f"{VERSIONS}?page=1&per_page=50", body={"page": 1}, headers={"X-Discogs-Ratelimit-Remaining": "59"}
    )
    record_fixture(discogs, "GET", f"{VERSIONS}?per_page=50&page=2&token=recorded-token", body={"page": 2})
    record_fixture(discogs, "GET", f"{API}/releases/1", body={"id": 1})
    record_fixture(tmp_path / "ecb", "GET", ECB_DAILY, body='<Cube currency="USD" rate="1.08"/>')
    return tmp_path


def discogs_client(folder, **adapter_options):
    http = HttpClient("discogs", base_url=API, rate_per_minute=0)
    adapter = mount_replay(http.session, folder, **adapter_options)
    return http, adapter


def test_a_recording_is_served_with_its_status_headers_and_body(folder):
    http, _ = discogs_client(folder)

    assert http.get_json("/masters/4242/versions", params={"page": 1, "per_page": 50}) == {"page": 1}
    assert http.last_headers["X-Discogs-Ratelimit-Remaining"] == "59"
    assert http.last_headers["Content-Type"] == "application/json"


def test_every_attempt_served_by_replay_is_logged_as_replayed(folder):
    http, _ = discogs_client(folder)

    http.get_json("/releases/1")

    assert list(ApiCall.objects.values_list("replayed", "status_code")) == [(True, 200)]


def test_text_recordings_serve_xml_feeds(folder):
    http = HttpClient("ecb")
    mount_replay(http.session, folder)

    assert http.get_text(ECB_DAILY) == '<Cube currency="USD" rate="1.08"/>'


def test_matching_uses_relevant_params_in_any_order(folder):
    http, _ = discogs_client(folder)

    assert http.get_json("/masters/4242/versions", params={"per_page": 50, "page": 2}) == {"page": 2}
    assert http.get_json("/masters/4242/versions/", params={"page": 1, "per_page": 50}) == {"page": 1}


def test_secrets_and_volatile_params_are_ignored_when_matching(folder):
    http, _ = discogs_client(folder)
    params = {"page": 1, "per_page": 50, "token": "live-token", "key": "k", "secret": "s", "oauth_nonce": "123"}

    assert http.get_json("/masters/4242/versions", params=params) == {"page": 1}


def test_a_miss_refuses_loudly_naming_the_redacted_request(folder):
    http, _ = discogs_client(folder)

    with pytest.raises(ReplayMiss) as raised:
        http.get_json("/masters/4242/versions", params={"page": 3, "per_page": 50, "token": "live-token"})

    message = str(raised.value)
    assert "GET https://api.discogs.com/masters/4242/versions?page=3&per_page=50&token=REDACTED" in message
    assert "live-token" not in message
    assert "record_fixture" in message
    assert not isinstance(raised.value, ApiError)
    assert list(ApiCall.objects.values_list("error_kind", "replayed")) == [("replay_miss", True)]


def test_an_extra_relevant_param_is_a_miss(folder):
    http, _ = discogs_client(folder)

    with pytest.raises(ReplayMiss):
        http.get_json("/releases/1", params={"curr_abbr": "EUR"})


def test_nothing_falls_through_to_the_network(folder):
    session = requests.Session()
    session.mount("https://api.discogs.com/", requests.adapters.HTTPAdapter())

    mount_replay(session, folder)

    assert is_replaying(session)
    assert all(isinstance(adapter, ReplayAdapter) for adapter in session.adapters.values())
    with pytest.raises(ReplayMiss):
        session.get("https://example.org/anything")


def test_recordings_sharing_a_key_play_in_order_and_the_last_repeats(tmp_path, http_clock):
    url = f"{API}/releases/2"
    record_fixture(
        tmp_path, "GET", url, 429, {"message": "You are making requests too quickly."}, {"Retry-After": "5"}, append=True
    )
    record_fixture(tmp_path, "GET", url, 200, {"id": 2}, append=True)
    http, _ = discogs_client(tmp_path)

    assert http.get_json(url) == {"id": 2}
    assert http.get_json(url) == {"id": 2}
    assert http_clock.waits == [pytest.approx(5.0)]


def test_record_fixture_stores_a_redacted_url_and_replaces_an_earlier_recording(tmp_path):
    record_fixture(tmp_path, "GET", f"{API}/releases/1?token=real-token-123", body={"v": 1})
    body_path = record_fixture(tmp_path, "GET", f"{API}/releases/1?token=other-token", body={"v": 2})

    index = json.loads((tmp_path / "index.json").read_text())
    assert [entry["url"] for entry in index["entries"]] == [f"{API}/releases/1?token=REDACTED"]
    assert json.loads(body_path.read_text()) == {"v": 2}
    assert index["entries"][0]["headers"] == {"Content-Type": "application/json"}


def test_a_folder_changed_after_loading_is_read_again(folder):
    http, _ = discogs_client(folder)
    http.get_json("/releases/1")
    record_fixture(folder / "discogs", "GET", f"{API}/releases/3", body={"id": 3})

    http, _ = discogs_client(folder)

    assert http.get_json("/releases/3") == {"id": 3}


def test_settings_mount_the_replay_folder_on_every_provider_session(folder, settings):
    settings.VINILOGY_REPLAY_DIR = str(folder)

    assert HttpClient("discogs", base_url=API).get_json("/releases/1") == {"id": 1}
    assert is_replaying(HttpClient("ecb").session)


def test_match_key_is_method_host_path_and_relevant_params():
    assert match_key("get", "https://API.discogs.com/releases/1/?b=2&a=1&api_key=x") == (
        "GET",
        "api.discogs.com/releases/1",
        (("a", "1"), ("b", "2")),
    )


@pytest.mark.parametrize(
    "request_text, expected",
    [
        ("https://api.discogs.com/artists/45", ("GET", "https://api.discogs.com/artists/45")),
        ("GET http://musicbrainz.org/ws/2/artist/x?fmt=json", ("GET", "http://musicbrainz.org/ws/2/artist/x?fmt=json")),
        (
            "POST https://accounts.spotify.com/api/token grant_type=client_credentials",
            ("POST", "https://accounts.spotify.com/api/token"),
        ),
        ("n/a (one element cut from a dump)", None),
    ],
)
def test_manifest_requests_are_read_with_or_without_a_method(request_text, expected):
    assert manifest_request({"request": request_text}) == expected


def write_manifest(root, entries, bodies):
    for name, body in bodies.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(body)
    (root / "manifest.json").write_text(json.dumps(entries))
    return root / "manifest.json"


def test_a_recordings_manifest_becomes_a_replay_folder(tmp_path):
    manifest = write_manifest(
        tmp_path / "fixtures",
        [
            {
                "file": "discogs/artist_45.json",
                "provider": "discogs",
                "request": "https://api.discogs.com/artists/45",
                "status": 200,
                "response_headers": {"Content-Type": "application/json", "Content-Length": "999", "Link": "<x>; rel=next"},
            },
            {
                "file": "lastfm/info.json",
                "provider": "lastfm",
                "status": 200,
                "request": "GET http://ws.audioscrobbler.com/2.0/?method=artist.getInfo&format=json&api_key=*&artist=Nirvana",
            },
            {
                "file": "dumps/artists.xml.gz",
                "provider": "discogs",
                "request": "https://api.discogs.com/not-copied",
                "status": 200,
            },
            {"file": "dumps/one.xml", "provider": "discogs", "request": "n/a (one element cut from a dump)", "status": 200},
        ],
        {
            "discogs/artist_45.json": '{"name": "Aphex Twin"}',
            "lastfm/info.json": '{"artist": {"name": "Nirvana"}}',
            "dumps/one.xml": "<a/>",
        },
    )

    recorded = record_manifest(manifest, tmp_path / "replay")

    assert len(recorded) == 2
    http = HttpClient("lastfm", rate_per_minute=0, default_params={"api_key": "live-key", "format": "json"})
    mount_replay(http.session, tmp_path / "replay")
    assert http.get_json("https://ws.audioscrobbler.com/2.0/", params={"method": "artist.getInfo", "artist": "Nirvana"}) == {
        "artist": {"name": "Nirvana"}
    }
    discogs, _ = discogs_client(tmp_path / "replay")
    assert discogs.get_json("/artists/45") == {"name": "Aphex Twin"}
    assert discogs.last_headers["Link"] == "<x>; rel=next"
    assert discogs.last_headers["Content-Length"] == str(len('{"name": "Aphex Twin"}'))


def test_url_for_maps_a_recording_to_the_url_our_client_asks_for(tmp_path):
    manifest = write_manifest(
        tmp_path / "fixtures",
        [
            {
                "file": "d/m.json",
                "provider": "discogs",
                "request": "https://api.discogs.com/masters/1/versions?per_page=4",
                "status": 200,
            }
        ],
        {"d/m.json": '{"versions": []}'},
    )

    record_manifest(manifest, tmp_path / "replay", url_for=lambda entry, url: url.replace("per_page=4", "per_page=100"))

    http, _ = discogs_client(tmp_path / "replay")
    assert http.get_json("/masters/1/versions", params={"per_page": 100}) == {"versions": []}


# --- fault injection ---------------------------------------------------------------------


def many_recordings(folder, count=40):
    for n in range(count):
        record_fixture(folder, "GET", f"{API}/releases/{n}", body={"id": n})
    return [f"/releases/{n}" for n in range(count)]


def fetch_all(folder, paths, **adapter_options):
    http, adapter = discogs_client(folder, **adapter_options)
    return [http.get_json(path)["id"] for path in paths], adapter


def test_fault_injection_is_seeded_and_every_request_still_succeeds(tmp_path):
    paths = many_recordings(tmp_path)

    ids, adapter = fetch_all(tmp_path, paths, failure_rate=0.2, seed=123)
    _, same_seed = fetch_all(tmp_path, paths, failure_rate=0.2, seed=123)
    _, other_seed = fetch_all(tmp_path, paths, failure_rate=0.2, seed=7)

    assert ids == list(range(40))
    assert adapter.injected == same_seed.injected
    assert adapter.injected != other_seed.injected
    assert {fault for fault, _ in adapter.injected} == {"rate_limited", "unavailable", "timeout"}


def test_injected_faults_are_retried_and_logged_like_real_ones(tmp_path):
    paths = many_recordings(tmp_path, count=20)

    _, adapter = fetch_all(tmp_path, paths, failure_rate=0.3, seed=5)

    failed = Counter(ApiCall.objects.exclude(error_kind="").values_list("error_kind", flat=True))
    injected = Counter(fault for fault, _ in adapter.injected)
    assert failed == {
        "rate_limited": injected["rate_limited"],
        "unavailable": injected["unavailable"],
        "timeout": injected["timeout"],
    }
    assert ApiCall.objects.filter(error_kind="").count() == 20
    assert not ApiCall.objects.filter(replayed=False).exists()


def test_consecutive_faults_per_request_stay_below_the_retry_budget(tmp_path):
    paths = many_recordings(tmp_path, count=5)

    ids, adapter = fetch_all(tmp_path, paths, failure_rate=1.0, seed=1)

    assert ids == list(range(5))
    assert Counter(url for _, url in adapter.injected) == {f"{API}{path}": 2 for path in paths}


def test_no_fault_is_injected_when_there_is_no_retry_to_absorb_it(tmp_path, settings):
    settings.HTTP_MAX_RETRIES = 1
    paths = many_recordings(tmp_path, count=5)

    ids, adapter = fetch_all(tmp_path, paths, failure_rate=1.0, seed=1)

    assert ids == list(range(5))
    assert adapter.injected == []


def test_fault_injection_can_be_switched_on_from_settings(tmp_path, settings):
    paths = many_recordings(tmp_path, count=30)
    settings.VINILOGY_REPLAY_DIR = str(tmp_path)
    settings.VINILOGY_REPLAY_FAILURE_RATE = 0.2
    settings.VINILOGY_REPLAY_SEED = 42

    http = HttpClient("discogs", base_url=API, rate_per_minute=0)

    assert [http.get_json(path)["id"] for path in paths] == list(range(30))
    assert ApiCall.objects.exclude(error_kind="").exists()


def test_without_a_replay_folder_the_factory_leaves_sessions_on_the_network(settings):
    settings.VINILOGY_REPLAY_DIR = ""

    assert adapter_from_settings("discogs") is None
    assert not is_replaying(HttpClient("discogs").session)


def test_the_factory_gives_each_provider_its_own_seeded_fault_sequence(folder, settings):
    settings.VINILOGY_REPLAY_DIR = str(folder)
    settings.VINILOGY_REPLAY_FAILURE_RATE = 0.5
    settings.VINILOGY_REPLAY_SEED = "7"

    draws = {provider: adapter_from_settings(provider).rng.random() for provider in ("discogs", "ecb")}

    assert draws["discogs"] != draws["ecb"]
    assert adapter_from_settings("discogs").rng.random() == draws["discogs"]
