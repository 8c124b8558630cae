"""ListenBrainz: a listener's top artists and release groups (a username; public, no key)."""

from catalog.models import Source
from integrations.listenbrainz import ListenBrainzClient

from ..listening import TOP_ALBUMS, TOP_ARTISTS, album_entry, artist_entry
from .base import TasteSource


class ListenBrainz(TasteSource):
    name = "listenbrainz"
    provider = "listenbrainz"
    label = "ListenBrainz"
    catalog_source = Source.LISTENBRAINZ
    by_username = True
    recency = {"all_time": 1.0, "year": 1.25, "half_yearly": 1.5, "quarter": 1.6, "month": 1.7, "week": 1.8}
    periods = ("all_time", "year", "half_yearly")

    def client(self):
        return ListenBrainzClient.from_settings()

    def fetch_period(self, client, username, period):
        """Top artists and release groups of one range, as a payload (only as many as are used)."""
        return listenbrainz_payload(
            client.top_artists(username, range=period, limit=TOP_ARTISTS),
            client.top_release_groups(username, range=period, limit=TOP_ALBUMS),
        )

    def ping(self):
        return self.client().ping()


def listenbrainz_payload(artists, release_groups) -> dict:
    """From integrations.listenbrainz ListenedArtist and ListenedReleaseGroup lists (one range)."""
    return {
        "artists": [
            artist_entry(a.name, mbid=a.mbids[0] if len(a.mbids) == 1 else "", playcount=a.listen_count, rank=n)
            for n, a in enumerate(artists[:TOP_ARTISTS], start=1)
        ],
        "albums": [
            album_entry(g.artist_name, g.name, mbid=g.mbid, playcount=g.listen_count, rank=n)
            for n, g in enumerate(release_groups[:TOP_ALBUMS], start=1)
        ],
    }
