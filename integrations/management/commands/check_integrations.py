"""manage.py check_integrations [--live]: which external APIs are configured, and do they answer.

Without --live it only reads settings. With --live it asks each configured provider's client
for its ping() (one cheap, documented call through the shared HTTP layer and the client's own
error handling, so each call is also in the ApiCall log) and exits non-zero when any fails.
Each row also shows the provider's daily budget, when it has one, and what it spent today.
"""
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from integrations import discogs, ratelimit
from integrations.discogs import DiscogsClient
from integrations.ebay import EbayClient
from integrations.ecb import EcbClient
from integrations.errors import ApiError
from integrations.lastfm import LastfmClient
from integrations.listenbrainz import ListenBrainzClient
from integrations.musicbrainz import MusicBrainzClient
from integrations.replay import ReplayMiss
from integrations.spotify import SpotifyTokenRefresher

# A health check should answer quickly: one retry, not the full ingestion budget.
CHECK_RETRIES = 1


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
    return Credentials(False, discogs.credentials_warning())


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


# --- one cheap call per provider: the client's own ping() --------------------------------


def _ping(build):
    """Build a client from settings and ping it with the quick retry budget of a check."""

    def live_call():
        client = build()
        for http in _http_clients(client):
            http.max_retries = CHECK_RETRIES
        return client.ping()

    return live_call


def _http_clients(client):
    """The client's HttpClient, and its token's (eBay asks for one before the ping)."""
    token = getattr(client, "token", None)
    return [http for http in (getattr(client, "http", None), getattr(token, "http", None)) if http is not None]


PROBES = [
    Probe("discogs", _discogs_credentials, _ping(DiscogsClient.from_settings)),
    Probe("lastfm", _lastfm_credentials, _ping(LastfmClient.from_settings)),
    Probe("musicbrainz", _no_credentials_needed, _ping(MusicBrainzClient.from_settings)),
    Probe("spotify", _spotify_credentials, _ping(SpotifyTokenRefresher.from_settings)),
    Probe("ebay", _ebay_credentials, _ping(EbayClient.from_settings)),
    Probe("ecb", _no_credentials_needed, _ping(EcbClient.from_settings)),
    Probe("listenbrainz", _no_credentials_needed, _ping(ListenBrainzClient.from_settings)),
]


def budget_today(provider):
    """'ebay 12/5000, ebay_token 1/1000': each daily budget of the provider and what it spent."""
    budgets = {name: limit for name, limit in settings.DAILY_BUDGETS.items() if limit and name.split("_")[0] == provider}
    spent = [f"{name} {ratelimit.get_limiter(name).spent_today()}/{limit}" for name, limit in sorted(budgets.items())]
    return ", ".join(spent) or "-"


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
        rows = [("PROVIDER", "CREDENTIALS", "BUDGET TODAY", "LIVE", "DETAIL")]
        for r in results:
            credentials = ("yes: " if r.credentials.ready else "no: ") + r.credentials.detail
            rows.append((r.provider, credentials, budget_today(r.provider), r.live, r.detail))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths)) + "  " + row[4])

    def _summary(self, results, live):
        ready = sum(r.credentials.ready for r in results)
        summary = f"{len(results)} providers: {ready} ready, {len(results) - ready} not configured"
        if live:
            counts = {state: sum(r.live == state for r in results) for state in ("ok", "FAILED", "skipped")}
            summary += f"; live: {counts['ok']} ok, {counts['FAILED']} failed, {counts['skipped']} skipped"
        return summary
