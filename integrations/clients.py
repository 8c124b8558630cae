"""One client per provider and thread, built from settings, for every app's services.

Kept until the settings change: its requests Session keeps connections alive, and under
replay the seeded faults follow one sequence instead of starting over at every call.
"""

import itertools
import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from .discogs import DiscogsClient
from .ebay import EbayClient
from .ecb import EcbClient
from .lastfm import LastfmClient
from .musicbrainz import MusicBrainzClient
from .spotify import SpotifyClient

_clients = threading.local()
_settings_generation = itertools.count()
_current_generation = next(_settings_generation)


@receiver(setting_changed)
def _forget_clients(**kwargs):
    """Settings changed (tests, the demo's replay): every thread builds its clients again."""
    global _current_generation
    _current_generation = next(_settings_generation)


def cached_client(provider, build):
    """The thread's client for `provider`, built by `build()` on first use after a settings change."""
    cached = getattr(_clients, provider, None)
    if cached is None or cached[0] != _current_generation:
        cached = (_current_generation, build())
        setattr(_clients, provider, cached)
    return cached[1]


def musicbrainz():
    return cached_client("musicbrainz", MusicBrainzClient.from_settings)


def discogs():
    return cached_client("discogs", DiscogsClient.from_settings)


def lastfm():
    """The Last.fm client, or None when no API key is configured (Last.fm data is optional)."""
    return cached_client("lastfm", LastfmClient.from_settings) if settings.LASTFM_API_KEY else None


def spotify_app():
    """Spotify on the app's own token (catalog reads: an album's image), or None without the
    app's id and secret. The token is asked for on the client's first use."""
    return cached_client("spotify_app", SpotifyClient.for_app) if spotify_app_configured() else None


def spotify_app_configured():
    return bool(settings.SPOTIFY_CLIENT_ID and settings.SPOTIFY_CLIENT_SECRET)


def ebay():
    return cached_client("ebay", EbayClient.from_settings)


def ecb():
    return cached_client("ecb", EcbClient.from_settings)
