"""Last.fm API 2.0 client (https://ws.audioscrobbler.com/2.0/, format=json, api_key).

Build one with `LastfmClient.from_settings()` (settings.LASTFM_API_KEY) or
`LastfmClient(api_key)`. Last.fm reports errors inside HTTP 200 bodies
(`{"error": 29, "message": ...}`); `check_payload` turns them into integrations.errors so
the HTTP layer retries rate limits (29) and outages (11, 16) like any 429/503.

Public API (dataclasses from this module):

    artist_info(name=None, *, mbid=None) -> ArtistInfo
    similar_artists(name=None, *, mbid=None, limit=100) -> list[SimilarArtist]   # match 0–1
    tag_top_artists(tag, *, limit=50, page=1) -> Page[ChartArtist]
    tag_top_artists_all(tag, *, limit=50, max_pages=4) -> list[ChartArtist]
    user_top_albums(user, *, period="overall", limit=50, page=1) -> Page[TopAlbum]
    user_top_artists(user, *, period="overall", limit=50, page=1) -> Page[ChartArtist]   # with playcount
    album_info(artist=None, album=None, *, mbid=None) -> AlbumInfo
    ping() -> str                                                 # one artist.getInfo

Images follow one rule (`pick_image`): size "mega", else "extralarge"; https only (http is
upgraded for Last.fm's own image CDN, anything else dropped); Last.fm's blank-star
placeholder counts as missing; missing is None, so the site shows its own placeholder.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from .errors import AuthError, BadRequest, NotFound, RateLimited, Unavailable
from .http import HttpClient
from .types import Page, as_list, to_float, to_int, walk_pages

API_ROOT = "https://ws.audioscrobbler.com/2.0/"
PERIODS = ("overall", "7day", "1month", "3month", "6month", "12month")
IMAGE_SIZES = ("mega", "extralarge")
# The grey star Last.fm serves for every artist since it stopped showing artist photos.
PLACEHOLDER_IMAGE_HASH = "2a96cbd8b46e442fc41c2b86b821562f"
IMAGE_CDN_HOSTS = ("lastfm.freetls.fastly.net", "lastfm-img2.akamaized.net", "userserve-ak.last.fm")
IMAGE_CDN_SUFFIXES = (".last.fm", ".lst.fm")
READ_MORE_LINK = re.compile(r'\s*<a href="[^"]*">Read more on Last\.fm</a>\.?\s*$')

# Last.fm error codes (https://www.last.fm/api/errorcodes) mapped to our error types.
RATE_LIMITED = {29}
UNAVAILABLE = {8, 11, 16}  # operation failed, service offline, temporary error: try again
NOT_FOUND = {6, 7}  # invalid parameters (what "artist not found" comes as), invalid resource
AUTH_FAILED = {4, 9, 10, 14, 15, 26}  # bad auth, session, API key, token; suspended key


@dataclass(frozen=True)
class ArtistInfo:
    name: str
    mbid: str
    url: str
    listeners: int | None
    playcount: int | None
    tags: tuple
    bio_summary: str
    image_url: str | None
    similar_names: tuple  # the few similar artists artist.getInfo embeds


@dataclass(frozen=True)
class SimilarArtist:
    name: str
    mbid: str
    match: float  # 0–1, 1 = most similar
    url: str
    image_url: str | None


@dataclass(frozen=True)
class ChartArtist:
    """An artist in a ranked list: a tag's chart, or a user's top artists (with playcount)."""

    name: str
    mbid: str
    rank: int | None
    url: str
    image_url: str | None
    playcount: int | None = None  # the user's scrobbles; tag charts do not give one


@dataclass(frozen=True)
class TopAlbum:
    name: str
    mbid: str
    artist_name: str
    artist_mbid: str
    playcount: int
    rank: int | None
    url: str
    image_url: str | None


@dataclass(frozen=True)
class AlbumTrack:
    rank: int | None
    name: str
    duration_seconds: int | None


@dataclass(frozen=True)
class AlbumInfo:
    name: str
    artist_name: str
    mbid: str
    url: str
    listeners: int | None
    playcount: int | None
    tags: tuple
    tracks: tuple
    image_url: str | None


class LastfmClient:
    def __init__(self, api_key, *, rate_per_minute=None, session=None):
        if not api_key:
            raise ValueError("Last.fm needs an API key: set LASTFM_API_KEY")
        self.http = HttpClient(
            "lastfm",
            base_url=API_ROOT,
            rate_per_minute=rate_per_minute,
            default_params={"api_key": api_key, "format": "json"},
            payload_check=check_payload,
            session=session,
        )

    @classmethod
    def from_settings(cls, **kwargs):
        from django.conf import settings

        return cls(settings.LASTFM_API_KEY, **kwargs)

    def call(self, method, **params):
        return self.http.get_json("", params={"method": method, **params})

    def artist_info(self, name=None, *, mbid=None):
        return parse_artist_info(self.call("artist.getInfo", **artist_selector(name, mbid)))

    def similar_artists(self, name=None, *, mbid=None, limit=100):
        data = self.call("artist.getSimilar", **artist_selector(name, mbid), limit=limit)
        return parse_similar_artists(data)

    def tag_top_artists(self, tag, *, limit=50, page=1):
        return parse_chart_artists(self.call("tag.getTopArtists", tag=tag, limit=limit, page=page))

    def tag_top_artists_all(self, tag, *, limit=50, max_pages=4):
        """The tag's chart across pages; capped because popular tags have thousands of pages."""

        def fetch(page):
            return self.tag_top_artists(tag, limit=limit, page=page)

        return list(walk_pages(fetch, 1, max_pages=max_pages))

    def user_top_albums(self, user, *, period="overall", limit=50, page=1):
        data = self.call("user.getTopAlbums", user=user, period=checked_period(period), limit=limit, page=page)
        return parse_top_albums(data)

    def user_top_artists(self, user, *, period="overall", limit=50, page=1):
        data = self.call("user.getTopArtists", user=user, period=checked_period(period), limit=limit, page=page)
        return parse_chart_artists(data)

    def ping(self):
        """One cheap documented call (artist.getInfo) through the client's own error map."""
        return f"artist {self.artist_info('Nirvana').name}"

    def album_info(self, artist=None, album=None, *, mbid=None):
        if mbid:
            return parse_album_info(self.call("album.getInfo", mbid=mbid))
        if not (artist and album):
            raise ValueError("album_info needs an mbid, or both artist and album")
        return parse_album_info(self.call("album.getInfo", artist=artist, album=album, autocorrect=1))


def artist_selector(name, mbid):
    """Last.fm finds an artist by MBID, or by name with its spelling corrections on."""
    if mbid:
        return {"mbid": mbid}
    if not name:
        raise ValueError("Give an artist name or an mbid")
    return {"artist": name, "autocorrect": 1}


def checked_period(period):
    if period not in PERIODS:
        raise ValueError(f"Unknown Last.fm period {period!r}; use one of {', '.join(PERIODS)}")
    return period


# --- errors that arrive as HTTP 200 ------------------------------------------------------


def check_payload(data):
    """Raise the integrations error matching a Last.fm {"error": code, "message": ...} body."""
    if not isinstance(data, dict) or "error" not in data:
        return
    code = to_int(data.get("error"))
    message = f"Last.fm error {code}: {data.get('message', '')}"
    if code in RATE_LIMITED:
        raise RateLimited(message, provider="lastfm")
    if code in UNAVAILABLE:
        raise Unavailable(message, provider="lastfm")
    if code in NOT_FOUND:
        raise NotFound(message, provider="lastfm")
    if code in AUTH_FAILED:
        raise AuthError(message, provider="lastfm")
    raise BadRequest(message, provider="lastfm")


# --- the image rule -----------------------------------------------------------------------


def pick_image(images):
    """The best usable image URL from Last.fm's [{"#text": url, "size": ...}], or None."""
    by_size = {image.get("size"): image.get("#text") for image in as_list(images) if isinstance(image, dict)}
    for size in IMAGE_SIZES:
        url = usable_image_url(by_size.get(size))
        if url:
            return url
    return None


def usable_image_url(url):
    if not url or PLACEHOLDER_IMAGE_HASH in url:
        return None
    parts = urlsplit(url)
    if parts.scheme == "https":
        return url
    if parts.scheme == "http" and is_lastfm_image_host(parts.hostname or ""):
        return urlunsplit(parts._replace(scheme="https"))
    return None


def is_lastfm_image_host(host):
    return host in IMAGE_CDN_HOSTS or host.endswith(IMAGE_CDN_SUFFIXES)


# --- pure parsing -----------------------------------------------------------------------------


def parse_artist_info(data):
    artist = data["artist"]
    stats = artist.get("stats") or {}
    return ArtistInfo(
        name=artist.get("name", ""),
        mbid=artist.get("mbid") or "",
        url=artist.get("url", ""),
        listeners=to_int(stats.get("listeners")),
        playcount=to_int(stats.get("playcount")),
        tags=tag_names(artist.get("tags")),
        bio_summary=clean_summary((artist.get("bio") or {}).get("summary")),
        image_url=pick_image(artist.get("image")),
        similar_names=tuple(s.get("name", "") for s in as_list((artist.get("similar") or {}).get("artist"))),
    )


def parse_similar_artists(data):
    return [
        SimilarArtist(
            name=entry.get("name", ""),
            mbid=entry.get("mbid") or "",
            match=to_float(entry.get("match")) or 0.0,
            url=entry.get("url", ""),
            image_url=pick_image(entry.get("image")),
        )
        for entry in as_list((data.get("similarartists") or {}).get("artist"))
    ]


def parse_chart_artists(data):
    """The "topartists" envelope of tag.getTopArtists, user.getTopArtists (with playcounts)
    and geo.getTopArtists."""
    envelope = data.get("topartists") or {}
    artists = [
        ChartArtist(
            name=entry.get("name", ""),
            mbid=entry.get("mbid") or "",
            rank=rank_of(entry),
            url=entry.get("url", ""),
            image_url=pick_image(entry.get("image")),
            playcount=to_int(entry.get("playcount")),
        )
        for entry in as_list(envelope.get("artist"))
    ]
    return page_of(envelope, artists)


def parse_top_albums(data):
    envelope = data.get("topalbums") or {}
    return page_of(envelope, [parse_top_album(entry) for entry in as_list(envelope.get("album"))])


def parse_top_album(entry):
    artist = entry.get("artist") or {}
    return TopAlbum(
        name=entry.get("name", ""),
        mbid=entry.get("mbid") or "",
        artist_name=artist.get("name", "") if isinstance(artist, dict) else str(artist),
        artist_mbid=(artist.get("mbid") or "") if isinstance(artist, dict) else "",
        playcount=to_int(entry.get("playcount")) or 0,
        rank=rank_of(entry),
        url=entry.get("url", ""),
        image_url=pick_image(entry.get("image")),
    )


def parse_album_info(data):
    album = data["album"]
    tracks = as_list((album.get("tracks") or {}).get("track"))
    return AlbumInfo(
        name=album.get("name", ""),
        artist_name=album.get("artist", ""),
        mbid=album.get("mbid") or "",
        url=album.get("url", ""),
        listeners=to_int(album.get("listeners")),
        playcount=to_int(album.get("playcount")),
        tags=tag_names(album.get("tags")),
        tracks=tuple(AlbumTrack(rank_of(t), t.get("name", ""), to_int(t.get("duration")) or None) for t in tracks),
        image_url=pick_image(album.get("image")),
    )


def page_of(envelope, items):
    """Last.fm pages by number; its "@attr" says which page this is and how many there are."""
    attr = envelope.get("@attr") or {}
    page, pages = to_int(attr.get("page")) or 1, to_int(attr.get("totalPages")) or 1
    return Page(items, total=to_int(attr.get("total")), next_cursor=page + 1 if page < pages else None)


def rank_of(entry):
    return to_int((entry.get("@attr") or {}).get("rank"))


def tag_names(tags):
    """Names from {"tag": [...]}; Last.fm sends "" instead of {} when there are none."""
    if not isinstance(tags, dict):
        return ()
    return tuple(tag.get("name", "") for tag in as_list(tags.get("tag")))


def clean_summary(summary):
    """The bio summary without the trailing "Read more on Last.fm" link."""
    return READ_MORE_LINK.sub("", summary or "").strip()
