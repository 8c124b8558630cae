"""Last.fm client: recorded answers parsed field by field, the image rule, errors that come as
HTTP 200, and the parameters each method sends."""

import pytest

from integrations import lastfm
from integrations.errors import AuthError, BadRequest, NotFound, RateLimited, Unavailable
from integrations.lastfm import LastfmClient

from .conftest import recording, recordings, serve

API = "https://ws.audioscrobbler.com/2.0/"
KEY = "lastfm-key-1234"
PLACEHOLDER = "https://lastfm.freetls.fastly.net/i/u/300x300/2a96cbd8b46e442fc41c2b86b821562f.png"


def sent(method, **params):
    """The full query string a call must carry: ours plus key and format."""
    return {"method": method, "api_key": KEY, "format": "json", **{k: str(v) for k, v in params.items()}}


# --- the image rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, url",
    [
        (
            "lastfm/artist.getInfo_david-bowie.json",
            "https://lastfm-img2.akamaized.net/i/u/300x300/0677776d6836c0018fa2cc5378097c78.png",
        ),
        (
            "lastfm/artist.getInfo_nirvana.json",
            "https://lastfm-img2.akamaized.net/i/u/300x300/89a490f578e4451b9dea9c20158c8a1e.png",
        ),
        (
            "lastfm/artist.getInfo_pink-floyd.json",
            "https://lastfm-img2.akamaized.net/i/u/300x300/70da44a7fcd82ae595b7662a44baa781.png",
        ),
    ],
)
def test_artist_images_take_the_mega_size(name, url):
    images = recording(name)["artist"]["image"]

    assert lastfm.pick_image(images) == url
    assert url == next(image["#text"] for image in images if image["size"] == "mega")


def test_extralarge_is_used_when_there_is_no_mega():
    images = recording("lastfm/user.getTopAlbums_duhnnie_limit5.json")["topalbums"]["album"][0]["image"]

    assert [image["size"] for image in images] == ["small", "medium", "large", "extralarge"]
    assert lastfm.pick_image(images) == "https://lastfm.freetls.fastly.net/i/u/300x300/baad825eec21da267b92599dc9ed2f66.jpg"


def test_the_blank_star_placeholder_counts_as_no_image():
    similar = lastfm.parse_similar_artists(recording("lastfm/artist.getSimilar_queens-of-the-stone-age_limit5.json"))

    assert [artist.image_url for artist in similar] == [None] * 5
    assert lastfm.pick_image([{"#text": PLACEHOLDER, "size": "mega"}]) is None


def test_plain_http_is_upgraded_only_on_lastfms_own_image_hosts():
    cdn = [{"#text": "http://lastfm.freetls.fastly.net/i/u/300x300/abc.png", "size": "mega"}]
    elsewhere = [{"#text": "http://images.example.com/abc.png", "size": "mega"}]

    assert lastfm.pick_image(cdn) == "https://lastfm.freetls.fastly.net/i/u/300x300/abc.png"
    assert (
        lastfm.usable_image_url("http://userserve-ak.last.fm/serve/500/1.jpg") == "https://userserve-ak.last.fm/serve/500/1.jpg"
    )
    assert lastfm.pick_image(elsewhere) is None


def test_missing_blank_or_small_only_images_give_none():
    assert lastfm.pick_image(None) is None
    assert lastfm.pick_image([{"#text": "", "size": "mega"}, {"#text": "", "size": "extralarge"}]) is None
    assert lastfm.pick_image([{"#text": "https://lastfm.freetls.fastly.net/i/u/34s/a.png", "size": "small"}]) is None


# --- parsing ---------------------------------------------------------------------------------


def test_artist_info_for_david_bowie_field_by_field():
    info = lastfm.parse_artist_info(recording("lastfm/artist.getInfo_david-bowie.json"))

    assert (info.name, info.mbid) == ("David Bowie", "5441c29d-3602-4898-b1a1-b77fa23b8e50")
    assert (info.listeners, info.playcount) == (3280942, 184815402)
    assert info.tags == ("rock", "glam rock", "classic rock", "80s", "alternative")
    assert info.similar_names == ("Tin Machine", "Lou Reed", "Iggy Pop", "T. Rex", "Roxy Music")
    assert info.bio_summary.startswith("David Bowie (b. David Robert Jones on 8th January 1947")
    assert info.bio_summary.endswith("following an eighteen-month battle with cancer.")
    assert info.url == "https://www.last.fm/music/David+Bowie"


@pytest.mark.parametrize("name", recordings("lastfm/artist.getInfo_*.json"))
def test_every_recorded_artist_info_keeps_its_counts_and_drops_the_read_more_link(name):
    raw = recording(name)["artist"]
    info = lastfm.parse_artist_info(recording(name))

    assert (info.name, info.mbid) == (raw["name"], raw["mbid"])
    assert (info.listeners, info.playcount) == (int(raw["stats"]["listeners"]), int(raw["stats"]["playcount"]))
    assert info.tags == tuple(tag["name"] for tag in raw["tags"]["tag"])
    assert "Read more on Last.fm" in raw["bio"]["summary"] and "Read more" not in info.bio_summary


def test_similar_artists_carry_match_scores_between_zero_and_one():
    raw = recording("lastfm/artist.getSimilar_nirvana_limit1000.json")["similarartists"]["artist"]
    similar = lastfm.parse_similar_artists(recording("lastfm/artist.getSimilar_nirvana_limit1000.json"))

    assert len(similar) == len(raw) == 250
    assert (similar[0].name, similar[0].match, similar[0].mbid) == (
        "Alice in Chains",
        1.0,
        "4bd95eea-b9f6-4d70-a36c-cfea77431553",
    )
    assert (similar[-1].name, similar[-1].match) == ("Sprinkler", 0.000491)
    assert all(0.0 <= artist.match <= 1.0 for artist in similar)
    assert [artist.match for artist in similar] == [float(artist["match"]) for artist in raw]


def test_small_similar_list_keeps_names_and_scores():
    similar = lastfm.parse_similar_artists(recording("lastfm/artist.getSimilar_queens-of-the-stone-age_limit5.json"))

    assert [(a.name, a.match) for a in similar][:2] == [("Them Crooked Vultures", 1.0), ("Desert Sessions", 0.620856)]
    assert similar[-1].name == "Royal Blood"


def test_tag_top_artists_page_and_total_pages():
    page = lastfm.parse_chart_artists(recording("lastfm/tag.getTopArtists_blues_limit1.json"))

    assert [(a.name, a.rank, a.image_url, a.playcount) for a in page.items] == [("Hozier", 1, None, None)]
    assert (page.total, page.next_cursor) == (23248, 2)


def test_the_recorded_json_chart_envelope_reads_the_same_way():
    page = lastfm.parse_chart_artists(recording("lastfm/geo.getTopArtists_germany_page1.json"))

    assert len(page.items) == 50 and (page.total, page.next_cursor) == (1030765, 2)
    assert (page.items[0].name, page.items[0].mbid) == ("Coldplay", "cc197bad-dc9c-440d-a5b5-d52ba2e14234")
    assert page.items[0].image_url == "https://lastfm-img2.akamaized.net/i/u/300x300/3aa0fd17bc58e2a125f8008520415053.png"


def test_user_top_albums_have_integer_playcounts_and_ranks():
    page = lastfm.parse_top_albums(recording("lastfm/user.getTopAlbums_duhnnie_limit5.json"))

    assert [(a.name, a.artist_name, a.playcount, a.rank) for a in page.items] == [
        ("So Long, Astoria", "The Ataris", 1118, 1),
        ("Sometimes", "Goldmund", 934, 2),
        ("There Is Nothing Left to Lose", "Foo Fighters", 842, 3),
        ("With Teeth", "Nine Inch Nails", 827, 4),
        ("The Mother, The Mechanic, And The Path", "The Early November", 742, 5),
    ]
    assert page.items[0].artist_mbid == "57805d77-f947-4851-b7fb-78baad154451"
    assert (page.total, page.next_cursor) == (30448, 2)


def test_user_top_artists_page():
    page = lastfm.parse_chart_artists(recording("lastfm/user.getTopArtists_redacted-user_overall_limit1.json"))

    assert [(a.name, a.playcount, a.rank, a.mbid, a.image_url) for a in page.items] == [("Test Artist", 5100, 1, "", None)]
    assert (page.total, page.next_cursor) == (2, 2)


def test_album_info_lists_tracks_with_durations():
    album = lastfm.parse_album_info(recording("lastfm/album.getInfo_radiohead_ok-computer.json"))

    assert (album.name, album.artist_name, album.mbid) == (
        "OK Computer",
        "Radiohead",
        "0b6b4ba0-d36f-47bd-b4ea-6a5b91842d29",
    )
    assert (album.listeners, album.playcount) == (4534014, 233593613)
    assert [(t.rank, t.name, t.duration_seconds) for t in album.tracks][:3] == [
        (1, "Airbag", 262),
        (2, "Paranoid Android", 383),
        (3, "Subterranean Homesick Alien", 275),
    ]
    assert len(album.tracks) == 12
    assert album.tags == ("alternative", "alternative rock", "rock", "radiohead", "indie")
    assert album.image_url == "https://lastfm.freetls.fastly.net/i/u/300x300/62d26c6cb4ac4bdccb8f3a2a0fd55421.png"


def test_album_info_without_tracks_has_an_empty_tracklist():
    album = lastfm.parse_album_info(recording("lastfm/album.getInfo_pink-floyd_dark-side-of-the-moon.json"))

    assert (album.name, album.listeners, album.playcount, album.tracks) == (
        "The Dark Side Of The Moon",
        1148733,
        37072059,
        (),
    )
    assert album.tags[0] == "Progressive rock"


# --- errors inside HTTP 200 --------------------------------------------------------------------


def test_recorded_error_6_is_not_found():
    with pytest.raises(NotFound, match="could not be found"):
        lastfm.check_payload(recording("lastfm/error_6_artist-not-found.json"))


def test_error_29_is_rate_limited_and_transient():
    with pytest.raises(RateLimited) as raised:
        lastfm.check_payload(recording("lastfm/error_29_rate-limit-exceeded.json"))

    assert not raised.value.permanent


@pytest.mark.parametrize(
    "code, error",
    [
        (11, Unavailable),
        (16, Unavailable),
        (10, AuthError),
        (26, AuthError),
        (4, AuthError),
        (13, BadRequest),
        (3, BadRequest),
    ],
)
def test_other_error_codes_map_to_their_kind(code, error):
    with pytest.raises(error):
        lastfm.check_payload({"error": code, "message": "from Last.fm"})


def test_answers_without_error_pass_the_check():
    assert lastfm.check_payload(recording("lastfm/artist.getInfo_nirvana.json")) is None


# --- the client --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_artist_info_by_name_autocorrects_and_sends_the_key_as_a_parameter(provider_api):
    serve(
        provider_api,
        API,
        "lastfm/artist.getInfo_pink-floyd.json",
        params=sent("artist.getInfo", artist="Pink Floyd", autocorrect=1),
    )

    info = LastfmClient(KEY).artist_info("Pink Floyd")

    assert info.mbid == "83d91898-7763-47d7-b03b-b92132375c47"
    assert "Authorization" not in provider_api.calls[0].request.headers


@pytest.mark.django_db
def test_artist_info_by_mbid_does_not_send_a_name(provider_api):
    mbid = "5441c29d-3602-4898-b1a1-b77fa23b8e50"
    serve(provider_api, API, "lastfm/artist.getInfo_david-bowie.json", params=sent("artist.getInfo", mbid=mbid))

    assert LastfmClient(KEY).artist_info(mbid=mbid).name == "David Bowie"


@pytest.mark.django_db
def test_rate_limit_error_29_in_a_200_is_retried(provider_api):
    params = sent("artist.getSimilar", artist="Queens of the Stone Age", autocorrect=1, limit=5)
    serve(provider_api, API, "lastfm/error_29_rate-limit-exceeded.json", params=params)
    serve(provider_api, API, "lastfm/artist.getSimilar_queens-of-the-stone-age_limit5.json", params=params)

    similar = LastfmClient(KEY).similar_artists("Queens of the Stone Age", limit=5)

    assert len(similar) == 5 and len(provider_api.calls) == 2


# Error bodies as documented on https://www.last.fm/api/errorcodes; Last.fm sends them with a
# 4xx status as well as inside an HTTP 200, and the code, not the status, says what happened.
SERVICE_OFFLINE = '{"error": 11, "message": "Service Offline - This service is temporarily offline. Try again later."}'
TEMPORARY_ERROR = '{"error": 16, "message": "There was a temporary error processing your request. Please try again"}'
SUSPENDED_KEY = '{"error": 26, "message": "Suspended API key - Access for your account has been suspended"}'


@pytest.mark.django_db
@pytest.mark.parametrize("status, body", [(400, SERVICE_OFFLINE), (403, TEMPORARY_ERROR), (503, TEMPORARY_ERROR)])
def test_try_again_codes_with_an_error_status_are_retried(provider_api, status, body):
    params = sent("artist.getSimilar", artist="Queens of the Stone Age", autocorrect=1, limit=5)
    serve(provider_api, API, body=body, status=status, params=params)
    serve(provider_api, API, "lastfm/artist.getSimilar_queens-of-the-stone-age_limit5.json", params=params)

    similar = LastfmClient(KEY).similar_artists("Queens of the Stone Age", limit=5)

    assert len(similar) == 5 and len(provider_api.calls) == 2


@pytest.mark.django_db
def test_a_suspended_key_with_a_403_is_an_auth_error_naming_the_code(provider_api):
    serve(provider_api, API, body=SUSPENDED_KEY, status=403, params=sent("artist.getInfo", artist="Nirvana", autocorrect=1))

    with pytest.raises(AuthError, match="Last.fm error 26") as caught:
        LastfmClient(KEY).artist_info("Nirvana")

    assert caught.value.status_code == 403 and len(provider_api.calls) == 1


@pytest.mark.django_db
def test_unknown_artist_raises_not_found_without_retrying(provider_api):
    mbid = "078d0e3d-4ec6-4697-a51d-064c7719379f"
    serve(provider_api, API, "lastfm/error_6_artist-not-found.json", params=sent("artist.getInfo", mbid=mbid))

    with pytest.raises(NotFound):
        LastfmClient(KEY).artist_info(mbid=mbid)

    assert len(provider_api.calls) == 1


@pytest.mark.django_db
def test_user_top_albums_sends_user_period_limit_and_page(provider_api):
    serve(
        provider_api,
        API,
        "lastfm/user.getTopAlbums_duhnnie_limit5.json",
        params=sent("user.getTopAlbums", user="Duhnnie", period="12month", limit=5, page=1),
    )

    page = LastfmClient(KEY).user_top_albums("Duhnnie", period="12month", limit=5)

    assert page.items[0].playcount == 1118


@pytest.mark.django_db
def test_user_top_artists_sends_its_method(provider_api):
    serve(
        provider_api,
        API,
        "lastfm/user.getTopArtists_redacted-user_overall_limit1.json",
        params=sent("user.getTopArtists", user="REDACTED_USER", period="overall", limit=1, page=1),
    )

    assert LastfmClient(KEY).user_top_artists("REDACTED_USER", limit=1).items[0].playcount == 5100


@pytest.mark.django_db
def test_tag_chart_walks_pages_up_to_the_cap(provider_api):
    for page in (1, 2):
        serve(
            provider_api,
            API,
            "lastfm/tag.getTopArtists_blues_limit1.json",
            params=sent("tag.getTopArtists", tag="blues", limit=1, page=page),
        )

    artists = LastfmClient(KEY).tag_top_artists_all("blues", limit=1, max_pages=2)

    assert len(provider_api.calls) == 2 and len(artists) == 2


@pytest.mark.django_db
def test_album_info_by_artist_and_title(provider_api):
    serve(
        provider_api,
        API,
        "lastfm/album.getInfo_radiohead_ok-computer.json",
        params=sent("album.getInfo", artist="Radiohead", album="OK Computer", autocorrect=1),
    )

    assert len(LastfmClient(KEY).album_info("Radiohead", "OK Computer").tracks) == 12


def test_bad_arguments_fail_before_any_call():
    client = LastfmClient(KEY)

    with pytest.raises(ValueError, match="period"):
        client.user_top_albums("someone", period="weekly")
    with pytest.raises(ValueError):
        client.artist_info()
    with pytest.raises(ValueError, match="API key"):
        LastfmClient("")


def test_from_settings_uses_the_configured_key(settings):
    settings.LASTFM_API_KEY = "from-settings"

    assert LastfmClient.from_settings().http.default_params["api_key"] == "from-settings"
