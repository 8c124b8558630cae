"""Spotify Web API client (https://api.spotify.com/v1), for a user who logged in with PKCE.

Spotify is an optional signal: new apps get few users and no related-artists,
recommendations or audio-features, so this client never calls those endpoints.

Development Mode apps (Web API changelog, February 2026,
https://developer.spotify.com/documentation/web-api/references/changes/february-2026) no
longer receive artist `popularity` and `followers`, album `album_group`, `label` and
`popularity`, or track `popularity`. Nothing here reads them: a listener's taste comes from
the rank of each artist or track in a time range (accounts' listening payloads and the
taste profile weigh rank and time range), never from how popular Spotify says it is.

    client = SpotifyClient(access_token, refresh=lambda: new_access_token())
    top_artists(time_range="medium_term", limit=50) -> list[SpotifyArtist]   # ranked
    top_tracks(time_range="medium_term", limit=50) -> list[SpotifyTrack]
    artist_albums(artist_id, *, include_groups="album", market=None) -> list[SpotifyAlbum]  # 10 a page
    album(album_id) -> SpotifyAlbum                                          # .embed_url, .image_url
    ping() -> str                                    # the user's top artist (limit=1)

`SpotifyClient.for_app()` reads the catalog (an album and its image) on the app's own token
(the client credentials flow: no user, needs SPOTIFY_CLIENT_SECRET), fetched on first use and
again when it expires.

On a 401 the client calls `refresh()` once, uses the access token it returns, and retries.
`SpotifyTokenRefresher(client_id, client_secret)` does the refresh itself and stays
model-free: give it the stored refresh token, get back a `SpotifyToken` (access token, maybe a
rotated refresh token, expiry) for the caller to save on allauth's SocialToken.
"""

from dataclasses import dataclass
from itertools import islice

from .errors import AuthError, BadPayload, NotConfigured
from .http import HttpClient, basic_auth
from .types import Page, to_int, walk_pages

API_ROOT = "https://api.spotify.com/v1"
TOKEN_URL = "https://accounts.spotify.com/api/token"
TIME_RANGES = ("short_term", "medium_term", "long_term")
MAX_PAGE = 50  # the largest `limit` /me/top accepts
# /artists/{id}/albums accepts limit 1–10 and answers 400 "Invalid limit" above (Web API
# reference "Get Artist's Albums"; spotipy issues 1231 and 1236): page by 10 through `next`.
ALBUMS_PAGE = 10
FIRST_PAGE = ""  # walk cursor for the request we build; later pages are `next` URLs


@dataclass(frozen=True)
class SpotifyArtist:
    id: str
    name: str
    genres: tuple
    rank: int  # 1 = the user's most played in this time range
    url: str
    image_url: str


@dataclass(frozen=True)
class SpotifyTrack:
    id: str
    name: str
    artists: tuple  # ((spotify id, name), ...)
    album_id: str
    album_name: str
    rank: int


@dataclass(frozen=True)
class SpotifyAlbum:
    id: str
    name: str
    album_type: str  # album, single, compilation
    artists: tuple
    release_date: str
    total_tracks: int | None
    url: str
    image_url: str

    @property
    def embed_url(self):
        """What the album page's embedded player loads."""
        return f"https://open.spotify.com/embed/album/{self.id}"

    @property
    def release_year(self):
        return to_int(self.release_date[:4]) or None


@dataclass(frozen=True)
class SpotifyToken:
    access_token: str
    refresh_token: str  # Spotify may rotate it; empty when it kept the old one
    expires_in: int
    scope: str


class SpotifyClient:
    def __init__(self, access_token, *, refresh=None, rate_per_minute=None, session=None):
        if not access_token:
            raise ValueError("Spotify calls need the user's access token")
        self.access_token = access_token
        self.refresh = refresh
        self.http = HttpClient("spotify", base_url=API_ROOT, rate_per_minute=rate_per_minute, session=session)

    def get(self, path_or_url, params=None):
        """GET with the bearer token; on 401, refresh once and try again."""
        try:
            return self.http.get_json(path_or_url, params=params, headers=self.auth_header())
        except AuthError as error:
            if error.status_code != 401 or self.refresh is None:
                raise
            self.access_token = self.refresh()
            return self.http.get_json(path_or_url, params=params, headers=self.auth_header())

    @classmethod
    def for_app(cls, refresher=None, **kwargs):
        """A client on the app's token, for catalog reads (no /me endpoint answers it)."""
        refresher = refresher or SpotifyTokenRefresher.from_settings()
        return cls(refresher.app_token().access_token, refresh=lambda: refresher.app_token().access_token, **kwargs)

    def auth_header(self):
        return {"Authorization": f"Bearer {self.access_token}"}

    def top_artists(self, time_range="medium_term", limit=50):
        items = self.top_items("artists", time_range, limit)
        return [parse_artist(item, rank) for rank, item in enumerate(items, start=1)]

    def top_tracks(self, time_range="medium_term", limit=50):
        items = self.top_items("tracks", time_range, limit)
        return [parse_track(item, rank) for rank, item in enumerate(items, start=1)]

    def top_items(self, kind, time_range, limit):
        if time_range not in TIME_RANGES:
            raise ValueError(f"Unknown Spotify time range {time_range!r}; use one of {', '.join(TIME_RANGES)}")
        params = {"time_range": time_range, "limit": min(limit, MAX_PAGE), "offset": 0}
        # islice stops asking for pages once `limit` items have come back.
        return list(islice(self.walk(f"/me/top/{kind}", params), limit))

    def artist_albums(self, artist_id, *, include_groups="album", market=None):
        params = {"include_groups": include_groups, "limit": ALBUMS_PAGE, "offset": 0, "market": market}
        return [parse_album(item) for item in self.walk(f"/artists/{artist_id}/albums", params)]

    def album(self, album_id):
        return parse_album(self.get(f"/albums/{album_id}"))

    def ping(self):
        top = self.top_artists(limit=1)
        return f"top artist {top[0].name}" if top else "no top artists yet"

    def walk(self, path, params):
        """Raw items of every page: the first request, then each page's absolute `next` URL."""

        def fetch(cursor):
            data = self.get(path, params=params) if cursor == FIRST_PAGE else self.get(cursor)
            return parse_paging(data)

        return walk_pages(fetch, FIRST_PAGE)


class SpotifyTokenRefresher:
    """Trades a refresh token for a new access token, authenticating the way the token was
    obtained (Spotify's "Refreshing tokens" guide,
    https://developer.spotify.com/documentation/web-api/tutorials/refreshing-tokens):

    - a confidential client (allauth exchanges the code with the app's secret whenever
      SPOTIFY_CLIENT_SECRET is set) sends `Authorization: Basic base64(client_id:secret)`;
    - a public PKCE client (no secret) sends only `client_id` in the body.
    """

    def __init__(self, client_id, client_secret="", *, session=None):
        if not client_id:
            raise ValueError("Refreshing a Spotify token needs SPOTIFY_CLIENT_ID")
        self.client_id = client_id
        self.client_secret = client_secret
        self.http = HttpClient("spotify", session=session)

    @classmethod
    def from_settings(cls, **kwargs):
        from django.conf import settings

        return cls(settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET, **kwargs)

    def ping(self):
        """The app's own credentials, checked with one client-credentials token request
        (Spotify's "Client Credentials Flow"); a public PKCE app has no secret to check."""
        return f"app token issued ({self.app_token().expires_in} s)"

    def app_token(self):
        """The app's own access token (client credentials flow), for catalog reads."""
        if not self.client_secret:
            raise NotConfigured("Spotify app tokens need SPOTIFY_CLIENT_SECRET", provider="spotify")
        data = {"grant_type": "client_credentials"}
        return parse_token(self.http.post_json(TOKEN_URL, data=data, auth=basic_auth(self.client_id, self.client_secret)))

    def __call__(self, refresh_token):
        data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        if self.client_secret:
            answer = self.http.post_json(TOKEN_URL, data=data, auth=basic_auth(self.client_id, self.client_secret))
        else:
            answer = self.http.post_json(TOKEN_URL, data={**data, "client_id": self.client_id})
        return parse_token(answer)


# --- pure parsing --------------------------------------------------------------------------


def parse_paging(data):
    """Spotify's paging object: items plus an absolute `next` URL (None on the last page)."""
    return Page(list(data.get("items") or ()), total=to_int(data.get("total")), next_cursor=data.get("next") or None)


def parse_artist(data, rank):
    return SpotifyArtist(
        id=data["id"],
        name=data.get("name", ""),
        genres=tuple(data.get("genres") or ()),
        rank=rank,
        url=(data.get("external_urls") or {}).get("spotify", ""),
        image_url=largest_image(data.get("images")),
    )


def parse_track(data, rank):
    album = data.get("album") or {}
    return SpotifyTrack(
        id=data["id"],
        name=data.get("name", ""),
        artists=artist_pairs(data.get("artists")),
        album_id=album.get("id", ""),
        album_name=album.get("name", ""),
        rank=rank,
    )


def parse_album(data):
    return SpotifyAlbum(
        id=data["id"],
        name=data.get("name", ""),
        album_type=(data.get("album_type") or "").lower(),
        artists=artist_pairs(data.get("artists")),
        release_date=release_date(data.get("release_date")),
        total_tracks=to_int(data.get("total_tracks")) or to_int((data.get("tracks") or {}).get("total")),
        url=(data.get("external_urls") or {}).get("spotify", ""),
        image_url=largest_image(data.get("images")),
    )


def parse_token(data):
    if not isinstance(data, dict) or not data.get("access_token"):
        raise BadPayload("Spotify token answer without an access_token", provider="spotify")
    return SpotifyToken(
        access_token=data["access_token"],
        refresh_token=data.get("refresh_token") or "",
        expires_in=to_int(data.get("expires_in")) or 0,
        scope=data.get("scope") or "",
    )


def artist_pairs(artists):
    return tuple((artist.get("id", ""), artist.get("name", "")) for artist in artists or ())


def largest_image(images):
    """Spotify lists images largest first, but say so only by width: pick the widest."""
    images = [image for image in images or () if image.get("url")]
    if not images:
        return ""
    return max(images, key=lambda image: image.get("width") or 0)["url"]


def release_date(value):
    """ "1997-06-16", "1997-06" or "1997"; an old documentation-era shape used an object."""
    if isinstance(value, dict):
        return str(value.get("year") or "")
    return value or ""
