"""Last.fm: a listener's top artists and albums for three periods (a username)."""

from catalog.models import Source
from integrations.lastfm import LastfmClient

from ..listening import TOP_ALBUMS, TOP_ARTISTS, album_entry, artist_entry
from .base import SourceUnavailable, TasteSource, client_or_unavailable


class Lastfm(TasteSource):
    name = "lastfm"
    provider = "lastfm"
    label = "Last.fm"
    catalog_source = Source.LASTFM
    by_username = True
    recency = {"overall": 1.0, "12month": 1.25, "6month": 1.5, "3month": 1.6, "1month": 1.7, "7day": 1.8}
    periods = ("overall", "12month", "6month")

    def client(self):
        return client_or_unavailable(LastfmClient.from_settings, self.label)

    def not_available_here(self):
        try:
            self.client()
        except SourceUnavailable as reason:
            return str(reason)
        return ""

    def fetch_period(self, client, username, period):
        """user.getTopArtists and user.getTopAlbums of one period, as a payload."""
        return lastfm_payload(
            client.user_top_artists(username, period=period, limit=TOP_ARTISTS).items,
            client.user_top_albums(username, period=period, limit=TOP_ALBUMS).items,
        )

    def ping(self):
        return self.client().ping()


def lastfm_payload(top_artists, top_albums) -> dict:
    """From integrations.lastfm TopArtist and TopAlbum lists (one period)."""
    return {
        "artists": [
            artist_entry(a.name, mbid=a.mbid, playcount=a.playcount, rank=a.rank or n) for n, a in enumerate(top_artists, start=1)
        ],
        "albums": [
            album_entry(a.artist_name, a.name, mbid=a.mbid, playcount=a.playcount, rank=a.rank or n)
            for n, a in enumerate(top_albums, start=1)
        ],
    }
