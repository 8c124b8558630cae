"""The external providers we call, as one list: what credentials each has, one cheap live call
each (the client's own ping(), with a check's quick retry budget), and today's daily budget.

The console's `manage.py check_integrations` (vinilogy) loops over PROBES, and says beside
each provider which price and listening sources of the registries depend on it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from . import discogs, ratelimit
from .discogs import DiscogsClient
from .ebay import EbayClient
from .ecb import EcbClient
from .errors import ApiError
from .lastfm import LastfmClient
from .listenbrainz import ListenBrainzClient
from .musicbrainz import MusicBrainzClient
from .replay import ReplayMiss
from .spotify import SpotifyTokenRefresher

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
    kinds = discogs.credential_kinds()
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
