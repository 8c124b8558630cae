"""Spotify client: top artists/tracks and albums parsed from recordings, `next`-link paging,
the bearer token refreshed once on 401, and the PKCE refresh-token exchange."""

import base64

import pytest
from responses import matchers

from integrations import spotify
from integrations.errors import AuthError, BadRequest, NotConfigured, NotFound
from integrations.spotify import SpotifyClient, SpotifyTokenRefresher

from .conftest import recording, serve

API = "https://api.spotify.com/v1"
TOKEN_URL = "https://accounts.spotify.com/api/token"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


# --- parsing ---------------------------------------------------------------------------------


def test_top_artists_page_field_by_field():
    raw = recording("spotify/me_top_artists_limit5.json")
    page = spotify.parse_paging(raw)
    artists = [spotify.parse_artist(item, rank) for rank, item in enumerate(page.items, start=1)]

    assert [(a.rank, a.name) for a in artists] == [(rank, item["name"]) for rank, item in enumerate(raw["items"], start=1)]
    assert [a.name for a in artists[:2]] == ["Vetusta Morla", "Extremoduro"]
    assert artists[0].id == "6J6yx1t3nwIDyPXk5xa7O8"
    assert artists[0].url == "https://open.spotify.com/artist/6J6yx1t3nwIDyPXk5xa7O8"
    assert artists[0].image_url == "https://i.scdn.co/image/85c7a46805712da40280ebe7ab095142c40fc053"  # the 1000px one
    assert (page.total, page.next_cursor) == (50, "https://api.spotify.com/v1/me/top/artists?limit=5&offset=5")


def test_top_artists_keep_their_genres():
    page = spotify.parse_paging(recording("spotify/me_top_artists_limit10_offset5.json"))
    first = spotify.parse_artist(page.items[0], 6)

    assert (first.name, first.rank) == ("San Holo", 6)
    assert first.genres[:3] == ("bass trap", "brostep", "catstep")
    assert page.next_cursor == "https://api.spotify.com/v1/me/top/artists?limit=10&offset=15"


@pytest.mark.parametrize("name", ["spotify/me_top_tracks.json", "spotify/me_top_tracks_limit10_offset5.json"])
def test_top_tracks_name_their_artists_and_album(name):
    raw = recording(name)
    tracks = [spotify.parse_track(item, rank) for rank, item in enumerate(raw["items"], start=1)]

    assert [t.id for t in tracks] == [item["id"] for item in raw["items"]]
    assert [t.album_id for t in tracks] == [item["album"]["id"] for item in raw["items"]]
    assert [t.artists[0][1] for t in tracks] == [item["artists"][0]["name"] for item in raw["items"]]


def test_a_top_track_with_two_artists():
    raw = recording("spotify/me_top_tracks_limit10_offset5.json")
    track = spotify.parse_track(raw["items"][0], 6)

    assert (track.name, track.album_name, track.rank) == ("Studiogangster", "Jung Brutal Gutaussehend 3", 6)
    assert track.artists == (("6gto7HVNhu4ARE3P3g8Y5Y", "Kollegah"), ("2JwyRtuXf2l6sTnSnGVIa1", "Farid Bang"))


def test_artist_albums_page_with_groups_dates_and_track_counts():
    page = spotify.parse_paging(recording("spotify/artist_albums_avicii.json"))
    albums = [spotify.parse_album(item) for item in page.items]

    assert (albums[0].id, albums[0].album_type) == ("37bCTD5iLWMpDcBanNkkXB", "single")
    assert (albums[0].release_date, albums[0].release_year, albums[0].total_tracks) == ("2019-08-23", 2019, 2)
    assert albums[0].artists[0] == ("1vCWHaC5f2uS3yhpwWbIA6", "Avicii")
    assert (page.total, page.next_cursor) == (
        64,
        "https://api.spotify.com/v1/artists/1vCWHaC5f2uS3yhpwWbIA6/albums?offset=2&limit=2&include_groups=single&market=ES",
    )


# Fields Development Mode apps no longer receive (Web API changelog, February 2026).
DEV_MODE_REMOVED = {
    "artist": ("popularity", "followers"),
    "album": ("album_group", "label", "popularity"),
    "track": ("popularity",),
}


def without(item, kind):
    return {key: value for key, value in item.items() if key not in DEV_MODE_REMOVED[kind]}


def test_a_development_mode_answer_without_the_removed_fields_parses_the_same():
    artist = recording("spotify/me_top_artists_limit5.json")["items"][0]
    track = recording("spotify/me_top_tracks_limit10_offset5.json")["items"][0]
    album = recording("spotify/artist_albums_avicii.json")["items"][0]

    assert spotify.parse_artist(without(artist, "artist"), 1) == spotify.parse_artist(artist, 1)
    assert spotify.parse_track(without(track, "track"), 1) == spotify.parse_track(track, 1)
    assert spotify.parse_album(without(album, "album")) == spotify.parse_album(album)


@pytest.mark.parametrize(
    "name, total, count",
    [
        ("spotify/artist_albums_5YyScSZOuBHpoFhGvHFedc.json", 31, 20),
        ("spotify/artist_albums_5YyScSZOuBHpoFhGvHFedc_limit2.json", 33, 2),
    ],
)
def test_older_artist_album_pages_parse_every_item(name, total, count):
    raw = recording(name)
    page = spotify.parse_paging(raw)
    albums = [spotify.parse_album(item) for item in page.items]

    assert (page.total, len(albums)) == (total, count)
    assert [a.name for a in albums] == [item["name"] for item in raw["items"]]
    assert albums[0].name == "Mas de Cien Amaneceres" and not page.is_last


@pytest.mark.parametrize(
    "name, album_id, title, album_type, year, tracks",
    [
        (
            "spotify/album_10FLjwfpbxLmW8c25Xyc2N_single.json",
            "10FLjwfpbxLmW8c25Xyc2N",
            "Die With A Smile",
            "single",
            2024,
            1,
        ),
        (
            "spotify/album_32nryzA6XBCX9ZUspVc1yz_compilation-55-tracks.json",
            "32nryzA6XBCX9ZUspVc1yz",
            "Classic Rock Hits",
            "compilation",
            2023,
            55,
        ),
        (
            "spotify/album_0sNOF9WDwhWunNAHPD3Baj_cyndi-lauper.json",
            "0sNOF9WDwhWunNAHPD3Baj",
            "She's So Unusual",
            "album",
            1983,
            13,
        ),
    ],
)
def test_albums_give_the_embed_link(name, album_id, title, album_type, year, tracks):
    album = spotify.parse_album(recording(name))

    assert (album.id, album.name, album.album_type, album.release_year, album.total_tracks) == (
        album_id,
        title,
        album_type,
        year,
        tracks,
    )
    assert album.embed_url == f"https://open.spotify.com/embed/album/{album_id}"


def test_refresh_answers_give_the_new_token_and_a_rotated_refresh_token_when_sent():
    pkce = spotify.parse_token(recording("spotify/token_pkce_refresh.json"))
    classic = spotify.parse_token(recording("spotify/token_refresh.json"))

    assert pkce.access_token.startswith("9Cysa896KySJLrEcasloD1Gufy9iSq7Wa") and pkce.expires_in == 3600
    assert pkce.refresh_token.startswith("PoO04alC_uRJoyd2MLhN53hHv2") and pkce.scope == "user-follow-modify"
    assert classic.refresh_token == "" and classic.scope == "user-read-birthdate user-read-email"


# --- the client --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_top_artists_follow_next_links_until_enough_items(provider_api):
    serve(
        provider_api,
        f"{API}/me/top/artists",
        "spotify/me_top_artists_limit5.json",
        params={"time_range": "long_term", "limit": "15", "offset": "0"},
        headers=bearer("user-token"),
    )
    serve(
        provider_api,
        f"{API}/me/top/artists",
        "spotify/me_top_artists_limit10_offset5.json",
        params={"limit": "5", "offset": "5"},
        headers=bearer("user-token"),
    )

    artists = SpotifyClient("user-token").top_artists("long_term", limit=15)

    assert len(provider_api.calls) == 2
    assert [a.rank for a in artists] == list(range(1, 16))
    assert (artists[0].name, artists[5].name) == ("Vetusta Morla", "San Holo")


@pytest.mark.django_db
def test_top_tracks_stop_asking_once_the_limit_is_reached(provider_api):
    serve(
        provider_api,
        f"{API}/me/top/tracks",
        "spotify/me_top_tracks.json",
        params={"time_range": "short_term", "limit": "5", "offset": "0"},
    )

    tracks = SpotifyClient("user-token").top_tracks("short_term", limit=5)

    assert len(tracks) == 5 and len(provider_api.calls) == 1


@pytest.mark.django_db
def test_an_expired_token_is_refreshed_once_and_the_call_retried(provider_api):
    url = f"{API}/albums/10FLjwfpbxLmW8c25Xyc2N"
    serve(
        provider_api,
        url,
        status=401,
        body='{"error": {"status": 401, "message": "The access token expired"}}',
        headers=bearer("old-token"),
    )
    serve(provider_api, url, "spotify/album_10FLjwfpbxLmW8c25Xyc2N_single.json", headers=bearer("new-token"))
    refreshed = []
    client = SpotifyClient("old-token", refresh=lambda: refreshed.append(1) or "new-token")

    album = client.album("10FLjwfpbxLmW8c25Xyc2N")

    assert album.name == "Die With A Smile" and refreshed == [1]
    assert client.access_token == "new-token"


@pytest.mark.django_db
def test_without_a_refresher_a_401_is_an_auth_error(provider_api):
    serve(
        provider_api,
        f"{API}/albums/x",
        status=401,
        body='{"error": {"status": 401, "message": "Invalid access token"}}',
    )

    with pytest.raises(AuthError):
        SpotifyClient("bad-token").album("x")


@pytest.mark.django_db
def test_an_unknown_album_is_not_found(provider_api):
    serve(provider_api, f"{API}/albums/nope", "spotify/error_404_id-not-found.json", status=404)

    with pytest.raises(NotFound):
        SpotifyClient("user-token").album("nope")


@pytest.mark.django_db
def test_artist_albums_page_by_ten_and_follow_next_until_the_last_page(provider_api):
    albums_url = f"{API}/artists/1vCWHaC5f2uS3yhpwWbIA6/albums"
    first = {"include_groups": "single", "limit": "10", "offset": "0", "market": "ES"}
    serve(provider_api, albums_url, "spotify/artist_albums_avicii.json", params=first)
    # The recorded page's own `next` link, then Spotify's paging object once nothing is left
    # (documented shape, written here).
    serve(
        provider_api,
        albums_url,
        params={"offset": "2", "limit": "2", "include_groups": "single", "market": "ES"},
        body='{"items": [], "next": null, "total": 64, "limit": 2, "offset": 2}',
    )

    albums = SpotifyClient("user-token").artist_albums("1vCWHaC5f2uS3yhpwWbIA6", include_groups="single", market="ES")

    assert [a.id for a in albums] == [item["id"] for item in recording("spotify/artist_albums_avicii.json")["items"]]
    assert len(provider_api.calls) == 2


@pytest.mark.django_db
def test_pkce_refresh_posts_the_client_id_and_no_secret(provider_api):
    serve(
        provider_api,
        TOKEN_URL,
        "spotify/token_pkce_refresh.json",
        method="POST",
        match=[
            matchers.urlencoded_params_matcher(
                {"grant_type": "refresh_token", "refresh_token": "stored-refresh", "client_id": "app-id"}
            ),
        ],
    )

    token = SpotifyTokenRefresher("app-id")("stored-refresh")

    assert token.access_token.startswith("9Cysa896")
    assert "Authorization" not in provider_api.calls[0].request.headers


@pytest.mark.django_db
def test_refresh_with_a_client_secret_uses_basic_auth(provider_api):
    basic = "Basic " + base64.b64encode(b"app-id:app-secret").decode()
    serve(
        provider_api,
        TOKEN_URL,
        "spotify/token_refresh.json",
        method="POST",
        headers={"Authorization": basic},
        match=[
            matchers.urlencoded_params_matcher({"grant_type": "refresh_token", "refresh_token": "stored-refresh"}),
        ],
    )

    assert SpotifyTokenRefresher("app-id", "app-secret")("stored-refresh").expires_in == 3600


@pytest.mark.django_db
def test_a_rejected_client_is_a_bad_request(provider_api):
    serve(provider_api, TOKEN_URL, "spotify/token_error_invalid_client.json", method="POST", status=400)

    with pytest.raises(BadRequest, match="invalid_client"):
        SpotifyTokenRefresher("wrong-id")("stored-refresh")


def test_unknown_time_ranges_are_refused():
    with pytest.raises(ValueError, match="time range"):
        SpotifyClient("t").top_artists("forever")


@pytest.mark.django_db
def test_from_settings_refreshes_as_a_confidential_client_when_the_app_has_a_secret(provider_api, settings):
    settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET = "app-id", "app-secret"
    basic = "Basic " + base64.b64encode(b"app-id:app-secret").decode()
    serve(provider_api, TOKEN_URL, "spotify/token_refresh.json", method="POST", headers={"Authorization": basic})

    SpotifyTokenRefresher.from_settings()("stored-refresh")

    assert "client_id" not in provider_api.calls[0].request.body


@pytest.mark.django_db
def test_from_settings_refreshes_as_a_public_pkce_client_without_a_secret(provider_api, settings):
    settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET = "app-id", ""
    body = {"grant_type": "refresh_token", "refresh_token": "stored-refresh", "client_id": "app-id"}
    serve(
        provider_api,
        TOKEN_URL,
        "spotify/token_pkce_refresh.json",
        method="POST",
        match=[matchers.urlencoded_params_matcher(body)],
    )

    SpotifyTokenRefresher.from_settings()("stored-refresh")

    assert "Authorization" not in provider_api.calls[0].request.headers


@pytest.mark.django_db
def test_the_app_ping_asks_for_one_client_credentials_token_with_basic_auth(provider_api):
    basic = "Basic " + base64.b64encode(b"app-id:app-secret").decode()
    grant = [matchers.urlencoded_params_matcher({"grant_type": "client_credentials"})]
    serve(
        provider_api,
        TOKEN_URL,
        "spotify/token_client_credentials.json",
        method="POST",
        headers={"Authorization": basic},
        match=grant,
    )

    assert SpotifyTokenRefresher("app-id", "app-secret").ping() == "app token issued (3600 s)"


def test_a_public_pkce_app_has_no_secret_to_ping_with():
    with pytest.raises(NotConfigured, match="SPOTIFY_CLIENT_SECRET"):
        SpotifyTokenRefresher("app-id").ping()


@pytest.mark.django_db
def test_the_user_ping_reads_one_top_artist(provider_api):
    params = {"time_range": "medium_term", "limit": "1", "offset": "0"}
    serve(
        provider_api, f"{API}/me/top/artists", "spotify/me_top_artists_limit5.json", params=params, headers=bearer("user-token")
    )

    assert SpotifyClient("user-token").ping() == "top artist Vetusta Morla"
