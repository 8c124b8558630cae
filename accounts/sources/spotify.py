"""Spotify: a listener's top artists and tracks for three time ranges (allauth OAuth token).

Optional: new Spotify apps get few users, so Last.fm or ListenBrainz carry a listener alone.
Spotify gives ranks, not plays, so a rank counts a little less than a play elsewhere.
"""

from datetime import timedelta

from allauth.socialaccount.models import SocialToken
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from catalog.models import Source
from integrations.spotify import SpotifyClient, SpotifyTokenRefresher

from ..listening import artist_entry
from .base import SourceUnavailable, TasteSource, client_or_unavailable

# Refresh a token that expires within this margin rather than fail mid-sync.
TOKEN_MARGIN = timedelta(minutes=1)
TOP_LIMIT = 50


class Spotify(TasteSource):
    name = "spotify"
    provider = "spotify"
    label = "Spotify"
    catalog_source = Source.SPOTIFY
    social_provider = "spotify"
    csp_hosts = {"form-action": ["https://accounts.spotify.com"]}  # the connect button's redirect
    reason = gettext_lazy("%(artist)s is one of your top artists on Spotify%(album_plays)s")
    reason_order = 30
    weight = 0.8
    recency = {"long_term": 1.0, "medium_term": 1.25, "short_term": 1.5}
    periods = ("long_term", "medium_term", "short_term")

    def fetch(self, user, client=None):
        """/me/top/artists and /me/top/tracks for each time range, as payloads."""
        if client is None:
            token = social_token(user, "spotify")
            if token is None:
                raise SourceUnavailable(_("Spotify is not connected (optional: Last.fm or ListenBrainz work without it)"))
            client = spotify_client(token)
        return {
            period: spotify_payload(client.top_artists(period, limit=TOP_LIMIT), client.top_tracks(period, limit=TOP_LIMIT))
            for period in self.periods
        }


def spotify_payload(top_artists, top_tracks) -> dict:
    """From integrations.spotify SpotifyArtist and SpotifyTrack lists (one time range).

    Only ranks: Development Mode apps get no popularity or follower counts any more (Spotify
    Web API changelog, February 2026), so the taste profile weighs rank and time range."""
    return {
        "artists": [artist_entry(a.name, spotify_id=a.id, rank=a.rank) for a in top_artists],
        "tracks": [
            {"artist": t.artists[0][1], "spotify_artist_id": t.artists[0][0], "title": t.name, "rank": t.rank}
            for t in top_tracks
            if t.artists
        ],
    }


def social_token(user, provider):
    return SocialToken.objects.filter(account__user=user, account__provider=provider).select_related("account").first()


def spotify_client(token):
    if token.expires_at is not None and token.expires_at <= timezone.now() + TOKEN_MARGIN:
        refresh_spotify_token(token)
    return SpotifyClient(token.token, refresh=lambda: refresh_spotify_token(token))


def refresh_spotify_token(token) -> str:
    """Trade the stored refresh token for a new access token and save it on the SocialToken."""
    if not token.token_secret:
        raise SourceUnavailable(
            _("Your Spotify connection has expired: connect Spotify again"), "the Spotify connection has no refresh token"
        )
    fresh = client_or_unavailable(SpotifyTokenRefresher.from_settings, "Spotify")(token.token_secret)
    token.token = fresh.access_token
    # Spotify may rotate the refresh token; when it does not, the old one stays valid.
    token.token_secret = fresh.refresh_token or token.token_secret
    token.expires_at = timezone.now() + timedelta(seconds=fresh.expires_in) if fresh.expires_in else None
    token.save(update_fields=["token", "token_secret", "expires_at"])
    return token.token
