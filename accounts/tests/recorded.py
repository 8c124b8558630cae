"""Recorded provider answers (integrations/fixtures, provenance in its SOURCES.md) served through
`responses` at the providers' real URLs, for the listening-source tests."""

import json
from pathlib import Path

from responses import matchers

FIXTURES = Path(__file__).resolve().parents[2] / "integrations" / "fixtures"
LASTFM = "https://ws.audioscrobbler.com/2.0/"
SPOTIFY = "https://api.spotify.com/v1"
SPOTIFY_TOKEN = "https://accounts.spotify.com/api/token"
LISTENBRAINZ = "https://api.listenbrainz.org/1"
DISCOGS = "https://api.discogs.com"
# Spotify's last page: no items, no next link (what its paging object says at the end).
SPOTIFY_END = {"items": [], "next": None, "total": 50, "limit": 10, "offset": 15, "previous": None, "href": ""}


def recording(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _params(**params):
    return [matchers.query_param_matcher(params, strict_match=False)]


def serve_lastfm(mock):
    """The same recorded top artists and albums for every period asked."""
    mock.get(
        LASTFM,
        json=recording("lastfm/user.getTopArtists_redacted-user_overall_limit1.json"),
        match=_params(method="user.getTopArtists"),
    )
    mock.get(LASTFM, json=recording("lastfm/user.getTopAlbums_duhnnie_limit5.json"), match=_params(method="user.getTopAlbums"))


def serve_spotify(mock):
    """Top artists and tracks: the recorded first and second pages, then the end of the list."""
    for kind in ("artists", "tracks"):
        url = f"{SPOTIFY}/me/top/{kind}"
        mock.get(
            url,
            json=recording(f"spotify/me_top_{kind}_limit5.json" if kind == "artists" else "spotify/me_top_tracks.json"),
            match=_params(offset="0"),
        )
        mock.get(url, json=recording(f"spotify/me_top_{kind}_limit10_offset5.json"), match=_params(offset="5"))
        mock.get(url, json=SPOTIFY_END, match=_params(offset="15"))


def serve_listenbrainz(mock, user):
    mock.get(f"{LISTENBRAINZ}/stats/user/{user}/artists", json=recording("listenbrainz/stats_user_artists_docs-example.json"))
    mock.get(
        f"{LISTENBRAINZ}/stats/user/{user}/release-groups",
        json=recording("listenbrainz/stats_user_release-groups_docs-example.json"),
    )


def serve_discogs(mock, user="brotherlogic"):
    """The recorded first and last pages of a real collection and wantlist (the last page says
    it is the last, so the client stops after it)."""
    collection = f"{DISCOGS}/users/{user}/collection/folders/0/releases"
    mock.get(
        collection, json=recording("discogs/user_brotherlogic_collection_folder0_releases_page1.json"), match=_params(page="1")
    )
    mock.get(
        collection,
        json=recording("discogs/user_brotherlogic_collection_folder0_releases_page32_last.json"),
        match=_params(page="2"),
    )
    wants = f"{DISCOGS}/users/{user}/wants"
    mock.get(wants, json=recording("discogs/user_brotherlogic_wants_page1.json"), match=_params(page="1"))
    mock.get(wants, json=recording("discogs/user_brotherlogic_wants_page3_last.json"), match=_params(page="2"))
