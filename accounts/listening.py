"""Listening sources: fetch a listener's data from each provider as snapshot payloads, and read
those payloads back as listens (an artist's plays or rank in one period).

A snapshot payload is our own small JSON shape, the same for every provider, so the profile
never depends on a provider's answer format and a payload hash changes only when the
listening itself changed:

    {"artists": [{"name", "mbid", "spotify_id", "playcount", "rank"}],
     "albums":  [{"artist", "title", "mbid", "playcount", "rank"}]}

The Discogs collection and wantlist are payloads too (periods "collection" and "wantlist"):

    {"releases": [{"id", "master_id", "title", "year", "artists": [{"id", "name"}],
                   "format", "is_vinyl", "rating", "date_added", "label", "catno", "thumb"}]}

Fetchers take the provider's client (integrations/) and return {period: payload}; everything
else here is pure.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.normalize import is_various_artists, normalize_artist_name, normalize_title, strip_discogs_suffix
from recommendations.profile import Listen

LASTFM_PERIODS = ("overall", "12month", "6month")
SPOTIFY_PERIODS = ("long_term", "medium_term", "short_term")
LISTENBRAINZ_PERIODS = ("all_time", "year", "half_yearly")
DISCOGS_PERIODS = ("collection", "wantlist")
TOP_ARTISTS = 200
TOP_ALBUMS = 100
# A track's artist counts like an artist ranked twice as low in the top artists.
TRACK_RANK_FACTOR = 2


@dataclass(frozen=True)
class ArtistRef:
    """An artist as a provider names it, with whatever ids the provider gives."""

    name: str
    mbid: str = ""
    spotify_id: str = ""
    discogs_id: int | None = None

    @property
    def key(self) -> str:
        return normalize_artist_name(self.name)

    @property
    def ids(self) -> dict:
        return {"mbid": self.mbid or None, "spotify_id": self.spotify_id or None, "discogs_id": self.discogs_id}


# --- provider answers → payloads ----------------------------------------------------------


def _artist_entry(name, *, mbid="", spotify_id="", playcount=None, rank=None):
    return {"name": name, "mbid": mbid or "", "spotify_id": spotify_id or "", "playcount": playcount, "rank": rank}


def _album_entry(artist, title, *, mbid="", playcount=None, rank=None):
    return {"artist": artist, "title": title, "mbid": mbid or "", "playcount": playcount, "rank": rank}


def lastfm_payload(top_artists, top_albums) -> dict:
    """From integrations.lastfm TopArtist and TopAlbum lists (one period)."""
    return {
        "artists": [
            _artist_entry(a.name, mbid=a.mbid, playcount=a.playcount, rank=a.rank or n)
            for n, a in enumerate(top_artists, start=1)
        ],
        "albums": [
            _album_entry(a.artist_name, a.name, mbid=a.mbid, playcount=a.playcount, rank=a.rank or n)
            for n, a in enumerate(top_albums, start=1)
        ],
    }


def fetch_lastfm(client, username) -> dict[str, dict]:
    """user.getTopArtists and user.getTopAlbums for each period, as payloads."""
    return {
        period: lastfm_payload(
            client.user_top_artists(username, period=period, limit=TOP_ARTISTS).items,
            client.user_top_albums(username, period=period, limit=TOP_ALBUMS).items,
        )
        for period in LASTFM_PERIODS
    }


def spotify_payload(top_artists, top_tracks) -> dict:
    """From integrations.spotify SpotifyArtist and SpotifyTrack lists (one time range)."""
    return {
        "artists": [_artist_entry(a.name, spotify_id=a.id, rank=a.rank) for a in top_artists],
        "tracks": [
            {"artist": t.artists[0][1], "spotify_artist_id": t.artists[0][0], "title": t.name, "rank": t.rank}
            for t in top_tracks
            if t.artists
        ],
    }


def fetch_spotify(client) -> dict[str, dict]:
    """/me/top/artists and /me/top/tracks for each time range, as payloads."""
    return {
        period: spotify_payload(client.top_artists(period, limit=50), client.top_tracks(period, limit=50))
        for period in SPOTIFY_PERIODS
    }


def listenbrainz_payload(artists, release_groups) -> dict:
    """From integrations.listenbrainz ListenedArtist and ListenedReleaseGroup lists (one range)."""
    return {
        "artists": [
            _artist_entry(a.name, mbid=a.mbids[0] if len(a.mbids) == 1 else "", playcount=a.listen_count, rank=n)
            for n, a in enumerate(artists[:TOP_ARTISTS], start=1)
        ],
        "albums": [
            _album_entry(g.artist_name, g.name, mbid=g.mbid, playcount=g.listen_count, rank=n)
            for n, g in enumerate(release_groups[:TOP_ALBUMS], start=1)
        ],
    }


def fetch_listenbrainz(client, username) -> dict[str, dict]:
    """Top artists and release groups for each range, as payloads."""
    return {
        period: listenbrainz_payload(
            client.top_artists(username, range=period), client.top_release_groups(username, range=period)
        )
        for period in LISTENBRAINZ_PERIODS
    }


def discogs_release_entry(item) -> dict:
    """From an integrations.discogs CollectionItem (collection or wantlist)."""
    label = item.labels[0] if item.labels else None
    return {
        "id": item.release_id,
        "master_id": item.master_id,
        "title": item.title,
        "year": item.year,
        "artists": [{"id": a.id, "name": a.clean_name} for a in item.artists],
        "format": item.format_summary,
        "is_vinyl": item.is_vinyl,
        "rating": item.rating or None,
        "date_added": item.date_added.isoformat() if item.date_added else None,
        "label": strip_discogs_suffix(label.name) if label else "",
        "catno": label.catno if label else "",
        "thumb": item.thumb or "",
    }


def fetch_discogs(client, username) -> dict[str, dict]:
    """Every page of the collection (folder 0, "All") and of the wantlist, as payloads."""
    return {
        "collection": {"releases": [discogs_release_entry(i) for i in client.collection(username)]},
        "wantlist": {"releases": [discogs_release_entry(i) for i in client.wantlist(username)]},
    }


# --- payloads → listens ------------------------------------------------------------------------


def listens(source: str, period: str, payload: dict) -> list[tuple[ArtistRef, Listen]]:
    """Each artist of a listening payload as a Listen, with the reference to find it by."""
    found = []
    for n, entry in enumerate(payload.get("artists") or (), start=1):
        ref = ArtistRef(entry.get("name") or "", entry.get("mbid") or "", entry.get("spotify_id") or "")
        if ref.key:
            found.append((ref, Listen(ref.key, source, period, entry.get("playcount"), entry.get("rank") or n)))
    for n, entry in enumerate(payload.get("tracks") or (), start=1):
        ref = ArtistRef(entry.get("artist") or "", spotify_id=entry.get("spotify_artist_id") or "")
        rank = (entry.get("rank") or n) * TRACK_RANK_FACTOR
        if ref.key:
            found.append((ref, Listen(ref.key, source, period, None, rank)))
    return found


def discogs_artist_counts(payloads: dict[str, dict]) -> dict[str, tuple[ArtistRef, int, int]]:
    """Per artist key: (reference, records owned, records wanted), from the main artist of each release."""
    counts = {}
    for period, index in (("collection", 1), ("wantlist", 2)):
        for release in (payloads.get(period) or {}).get("releases") or ():
            ref = main_artist(release)
            if ref is None:
                continue
            entry = list(counts.get(ref.key, (ref, 0, 0)))
            entry[index] += 1
            counts[ref.key] = tuple(entry)
    return counts


def main_artist(release: dict) -> ArtistRef | None:
    for artist in release.get("artists") or ():
        if artist.get("name") and not is_various_artists(artist["name"], artist.get("id")):
            ref = ArtistRef(strip_discogs_suffix(artist["name"]), discogs_id=artist.get("id"))
            return ref if ref.key else None
    return None


def album_plays(payloads: Iterable[dict]) -> dict[tuple[str, str], int]:
    """(artist key, title key) → the highest play count any period gives the album."""
    plays = {}
    for payload in payloads:
        for album in (payload or {}).get("albums") or ():
            if not album.get("playcount"):
                continue
            key = (normalize_artist_name(album.get("artist") or ""), normalize_title(album.get("title") or ""))
            plays[key] = max(plays.get(key, 0), album["playcount"])
    return plays
