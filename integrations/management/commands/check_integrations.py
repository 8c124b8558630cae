"""manage.py check_integrations [--live]: which external APIs are configured, and do they answer.

Without --live it only reads settings. With --live it makes one cheap, documented call per
configured provider through the shared HTTP layer (so each call is also in the ApiCall log)
and exits non-zero when any of them fails.
"""
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from integrations.errors import ApiError, AuthError, RateLimited
from integrations.http import HttpClient, basic_auth
from integrations.replay import ReplayMiss

# A health check should answer quickly: one retry, not the full ingestion budget.
CHECK_RETRIES = 1
NIRVANA_MBID = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"


@dataclass
class Credentials:
    ready: bool
    detail: str


@dataclass
class Probe:
    provider: str
    credentials: Callable[[], Credentials]
    live_call: Callable[[], str]


@dataclass
class Result:
    provider: str
    credentials: Credentials
    live: str = "-"
    detail: str = ""


# --- which credentials are configured ---------------------------------------------------


def _no_credentials_needed():
    return Credentials(True, "no credentials needed")


def _discogs_credentials():
    kinds = []
    if settings.DISCOGS_TOKEN:
        kinds.append("personal token")
    if settings.DISCOGS_CONSUMER_KEY and settings.DISCOGS_CONSUMER_SECRET:
        kinds.append("OAuth consumer")
    if kinds:
        return Credentials(True, " + ".join(kinds))
    return Credentials(False, "set DISCOGS_TOKEN or DISCOGS_CONSUMER_KEY/SECRET (search needs auth)")


def _pair_credentials(first, second, names):
    if first and second:
        return Credentials(True, "client id + secret")
    return Credentials(False, f"set {names}")


def _lastfm_credentials():
    return Credentials(True, "API key") if settings.LASTFM_API_KEY else Credentials(False, "set LASTFM_API_KEY")


def _spotify_credentials():
    return _pair_credentials(settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET, "SPOTIFY_CLIENT_ID/SECRET")


def _ebay_credentials():
    return _pair_credentials(settings.EBAY_CLIENT_ID, settings.EBAY_CLIENT_SECRET, "EBAY_CLIENT_ID/SECRET")


# --- one cheap call per provider ----------------------------------------------------------


def _client(provider, rate_key=None, **options):
    rate = settings.RATE_LIMITS.get(rate_key or provider)
    return HttpClient(provider, rate_per_minute=rate, max_retries=CHECK_RETRIES, **options)


def _discogs_live():
    if settings.DISCOGS_TOKEN:
        auth = {"headers": {"Authorization": f"Discogs token={settings.DISCOGS_TOKEN}"}, "params": {}}
    else:
        auth = {"headers": {}, "params": {"key": settings.DISCOGS_CONSUMER_KEY, "secret": settings.DISCOGS_CONSUMER_SECRET}}
    client = _client("discogs", default_headers=auth["headers"], default_params=auth["params"])
    found = client.get_json("https://api.discogs.com/database/search", params={"q": "nirvana", "per_page": 1})
    remaining = client.last_headers.get("X-Discogs-Ratelimit-Remaining", "?")
    return f"{found.get('pagination', {}).get('items', '?')} results for 'nirvana', quota left {remaining}"


def _musicbrainz_live():
    artist = _client("musicbrainz").get_json(f"https://musicbrainz.org/ws/2/artist/{NIRVANA_MBID}", params={"fmt": "json"})
    return f"artist {artist.get('name', '?')}"


def _lastfm_error_check(payload):
    """Last.fm reports errors inside an HTTP 200 body: {"error": 10, "message": ...}."""
    if not isinstance(payload, dict) or "error" not in payload:
        return
    message = f"Last.fm error {payload['error']}: {payload.get('message', '')}"
    if payload["error"] == 29:
        raise RateLimited(message)
    if payload["error"] in (4, 9, 10, 14, 26):
        raise AuthError(message)
    raise ApiError(message)


def _lastfm_live():
    client = _client("lastfm", payload_check=_lastfm_error_check)
    params = {"method": "artist.getInfo", "artist": "Nirvana", "format": "json", "api_key": settings.LASTFM_API_KEY}
    info = client.get_json("https://ws.audioscrobbler.com/2.0/", params=params)
    return f"artist {info.get('artist', {}).get('name', '?')}"


def _spotify_live():
    auth = basic_auth(settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET)
    token = _client("spotify").post_json(
        "https://accounts.spotify.com/api/token", data={"grant_type": "client_credentials"}, auth=auth
    )
    return f"app token issued ({token.get('token_type', '?')}, {token.get('expires_in', '?')} s)"


def _ebay_live():
    auth = basic_auth(settings.EBAY_CLIENT_ID, settings.EBAY_CLIENT_SECRET)
    data = {"grant_type": "client_credentials", "scope": "https://api.ebay.com/oauth/api_scope"}
    token = _client("ebay").post_json("https://api.ebay.com/identity/v1/oauth2/token", data=data, auth=auth)
    return f"app token issued ({token.get('expires_in', '?')} s)"


def _ecb_live():
    xml = _client("ecb").get_text("https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml")
    return f"daily rates, {xml.count('currency=')} currencies"


def _listenbrainz_live():
    stats = _client("listenbrainz").get_json("https://api.listenbrainz.org/1/stats/sitewide/artists", params={"count": 1})
    return f"sitewide stats from {stats.get('payload', {}).get('range', '?') if isinstance(stats, dict) else '?'}"


PROBES = [
    Probe("discogs", _discogs_credentials, _discogs_live),
    Probe("lastfm", _lastfm_credentials, _lastfm_live),
    Probe("musicbrainz", _no_credentials_needed, _musicbrainz_live),
    Probe("spotify", _spotify_credentials, _spotify_live),
    Probe("ebay", _ebay_credentials, _ebay_live),
    Probe("ecb", _no_credentials_needed, _ecb_live),
    Probe("listenbrainz", _no_credentials_needed, _listenbrainz_live),
]


def run_probe(probe, live):
    result = Result(probe.provider, probe.credentials())
    if not live:
        return result
    if not result.credentials.ready:
        result.live, result.detail = "skipped", "not configured"
        return result
    try:
        result.live, result.detail = "ok", probe.live_call()
    except (ApiError, ReplayMiss) as error:  # in replay mode a missing recording is a failure too
        result.live, result.detail = "FAILED", f"{error.kind}: {error}"
    return result


class Command(BaseCommand):
    help = "Report which external APIs have credentials; with --live, make one cheap call to each."

    def add_arguments(self, parser):
        parser.add_argument("--live", action="store_true", help="call each configured provider once")

    def handle(self, *args, live=False, **options):
        if live and settings.VINILOGY_REPLAY_DIR:
            self.stdout.write(f"Replay mode: answers come from {settings.VINILOGY_REPLAY_DIR}, not the network.")
        results = [run_probe(probe, live) for probe in PROBES]
        self._print_table(results)
        summary = self._summary(results, live)
        failed = [r.provider for r in results if r.live == "FAILED"]
        if failed:
            raise CommandError(f"{summary}; failing: {', '.join(failed)}")
        self.stdout.write(self.style.SUCCESS(summary))

    def _print_table(self, results):
        rows = [("PROVIDER", "CREDENTIALS", "LIVE", "DETAIL")]
        for r in results:
            credentials = ("yes: " if r.credentials.ready else "no: ") + r.credentials.detail
            rows.append((r.provider, credentials, r.live, r.detail))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths)) + "  " + row[3])

    def _summary(self, results, live):
        ready = sum(r.credentials.ready for r in results)
        summary = f"{len(results)} providers: {ready} ready, {len(results) - ready} not configured"
        if live:
            counts = {state: sum(r.live == state for r in results) for state in ("ok", "FAILED", "skipped")}
            summary += f"; live: {counts['ok']} ok, {counts['FAILED']} failed, {counts['skipped']} skipped"
        return summary
