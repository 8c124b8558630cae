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

Each source's fetcher (accounts/sources) turns its provider's answer into these payloads;
everything here is pure and the same for every source.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from catalog.normalize import is_various_artists, normalize_artist_name, normalize_title, strip_discogs_suffix

from .weights import Listen

# How many of a listener's top artists and albums a source reads per period.
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


# --- payload entries, as every source writes them -----------------------------------------


def artist_entry(name, *, mbid="", spotify_id="", playcount=None, rank=None):
    return {"name": name, "mbid": mbid or "", "spotify_id": spotify_id or "", "playcount": playcount, "rank": rank}


def album_entry(artist, title, *, mbid="", playcount=None, rank=None):
    return {"artist": artist, "title": title, "mbid": mbid or "", "playcount": playcount, "rank": rank}


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
