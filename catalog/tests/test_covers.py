"""Covers from every source, best first, stored once on the album (catalog.covers is the rule,
catalog.services.covers stores it), on recorded API answers."""

import json
from pathlib import Path

import pytest
import responses

from catalog import covers
from catalog.factories import AlbumFactory
from catalog.services import save_release_group
from catalog.services.covers import offer_cover, sync_album_cover
from catalog.services.pressings import save_release_details
from catalog.services.tracks import sync_album_tracklist
from integrations import discogs as discogs_api
from integrations.musicbrainz import parse_browse_page
from integrations.tests.conftest import serve

FIXTURES = Path(__file__).resolve().parents[2] / "integrations" / "fixtures"
DISCOGS_NOW = (
    "https://i.discogs.com/zm7Ih6ex9Y-SRaLAhnKsFH7fYGYAYg-uh33bq3PPWqE/rs:fit/g:sm/q:90/h:600/w:600/"
    "czM6Ly9kaXNjb2dzLWRhdGFiYXNlLWltYWdlcy9SLTg2MDQyMjMtMTYzNzE2OTk5My0xNTMwLmpwZWc.jpeg"
)
RETIRED = (
    "https://img.discogs.com/TUPHkIlR9urlz2o2jSA9vGcCN2w=/fit-in/500x500/filters:strip_icc()/discogs-images/R-2317517.jpeg.jpg"
)
CAA = "https://coverartarchive.org/release-group/b1392450-e666-3926-a536-22c65f834433/front-500"
LASTFM = "https://lastfm.freetls.fastly.net/i/u/300x300/a.png"
SPOTIFY = "https://i.scdn.co/image/ab67616d0000b273abc"


@pytest.fixture
def api():
    """The providers' answers; a request nobody registered fails the test, as does one never made."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def recorded(name):
    return json.loads((FIXTURES / name).read_text())


# --- the rule ----------------------------------------------------------------------------------


def test_sources_rank_discogs_then_cover_art_archive_then_lastfm_then_spotify():
    assert [covers.rank(url) for url in (DISCOGS_NOW, CAA, LASTFM, SPOTIFY)] == [0, 1, 2, 3]
    assert covers.rank("https://example.org/cover.jpg") == covers.UNRANKED
    assert covers.rank("") == covers.NO_COVER


def test_a_better_source_replaces_the_stored_cover_and_a_worse_or_equal_one_does_not():
    assert covers.better(LASTFM, DISCOGS_NOW) == DISCOGS_NOW
    assert covers.better(DISCOGS_NOW, SPOTIFY) == DISCOGS_NOW
    assert covers.better(DISCOGS_NOW, DISCOGS_NOW.replace("w:600", "w:500")) == DISCOGS_NOW  # a tie keeps ours


def test_nothing_never_replaces_a_cover():
    assert covers.better(CAA, "") == CAA and covers.better(CAA, None) == CAA


def test_retired_discogs_hosts_and_plain_http_are_no_covers_and_are_dropped():
    assert covers.usable(RETIRED) == "" and covers.usable("http://i.discogs.com/x.jpg") == ""
    assert covers.better(RETIRED, "") == ""
    assert covers.better(RETIRED, SPOTIFY) == SPOTIFY


def test_the_cover_art_archive_front_follows_from_the_release_group_id():
    assert covers.coverartarchive_front("b1392450-e666-3926-a536-22c65f834433") == CAA
    assert covers.coverartarchive_front(None) == ""


# --- where the chain meets each source ------------------------------------------------------------


@pytest.mark.django_db
def test_a_pressing_with_a_current_discogs_image_gives_its_album_that_cover():
    data = discogs_api.parse_release(recorded("discogs/release_8604223_pink-floyd_ummagumma_2016.json"))
    release = save_release_details(data)
    assert release.album.cover_url.startswith("https://i.discogs.com/")


@pytest.mark.django_db
def test_a_pressing_recorded_with_a_retired_image_host_leaves_the_album_to_its_sleeve():
    data = discogs_api.parse_release(recorded("discogs/release_1823781_david-axelrod_earth-rot.json"))
    assert data.image_url.startswith("https://img.discogs.com/")
    release = save_release_details(data)
    assert release.album.title == "Earth Rot" and release.album.cover_url == ""


@pytest.mark.django_db
def test_the_discogs_master_image_replaces_a_lower_ranked_cover(api, settings):
    settings.DISCOGS_TOKEN = "token"
    master = recorded("discogs/master_21491_radiohead_ok-computer.json")
    master["images"][0]["uri"] = DISCOGS_NOW  # the recording predates i.discogs.com: same answer, today's host
    album = AlbumFactory(discogs_master_id=21491, cover_url=LASTFM)
    api.add(responses.GET, "https://api.discogs.com/masters/21491", json=master)
    sync_album_tracklist(album)
    album.refresh_from_db()
    assert album.cover_url == DISCOGS_NOW


@pytest.mark.django_db
def test_a_musicbrainz_release_group_gives_its_cover_art_archive_front_without_a_call():
    group = parse_browse_page(recorded("musicbrainz/release-group_browse_built_mixed_offset0.json")).items[0]
    album = save_release_group(AlbumFactory().artist, group)
    assert album.cover_url == covers.coverartarchive_front(group.mbid)


@pytest.mark.django_db
def test_lastfm_fills_the_gap_for_an_album_no_better_source_covers(api, settings):
    settings.LASTFM_API_KEY = "key"
    album = AlbumFactory(title="OK Computer", artist__name="Radiohead", mbid=None, cover_url=RETIRED)
    serve(api, "https://ws.audioscrobbler.com/2.0/", "lastfm/album.getInfo_radiohead_ok-computer.json")
    sync_album_cover(album)
    album.refresh_from_db()
    assert album.cover_url.startswith("https://lastfm.freetls.fastly.net/")


@pytest.mark.django_db
def test_lastfm_is_not_asked_when_the_album_has_a_better_cover(api, settings):
    settings.LASTFM_API_KEY = "key"
    album = AlbumFactory(cover_url=DISCOGS_NOW, mbid=None)
    sync_album_cover(album)  # api fails any unexpected call
    assert album.cover_url == DISCOGS_NOW


@pytest.mark.django_db
def test_an_album_with_a_musicbrainz_id_gets_the_cover_art_archive_front_and_lastfm_is_not_asked(api, settings):
    settings.LASTFM_API_KEY = "key"
    album = AlbumFactory(mbid="b1392450-e666-3926-a536-22c65f834433", cover_url="")
    sync_album_cover(album)
    assert album.cover_url == CAA


@pytest.mark.django_db
def test_offering_stores_once_and_only_a_better_cover():
    album = AlbumFactory(cover_url=SPOTIFY)
    assert offer_cover(album, LASTFM) == LASTFM
    assert offer_cover(album, SPOTIFY) == LASTFM
    album.refresh_from_db()
    assert album.cover_url == LASTFM


@pytest.mark.django_db
def test_spotify_fills_the_gap_on_the_apps_token_when_lastfm_has_no_cover(api, settings):
    settings.LASTFM_API_KEY = ""
    settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET = "app-id", "app-secret"
    album = AlbumFactory(spotify_id="0sNOF9WDwhWunNAHPD3Baj", mbid=None, cover_url="")
    serve(api, "https://accounts.spotify.com/api/token", "spotify/token_client_credentials.json", method="POST")
    serve(
        api, "https://api.spotify.com/v1/albums/0sNOF9WDwhWunNAHPD3Baj", "spotify/album_0sNOF9WDwhWunNAHPD3Baj_cyndi-lauper.json"
    )
    sync_album_cover(album)
    # Recorded in 2014, on Spotify's image host of the time; today's answers name i.scdn.co.
    assert album.cover_url == "https://d3rt1990lpmkn.cloudfront.net/original/07c323340e03e25a8e5dd5b9a8ec72b69c50089d"


@pytest.mark.django_db
def test_spotify_is_not_asked_without_the_apps_secret_or_the_albums_spotify_id(api, settings):
    settings.LASTFM_API_KEY, settings.SPOTIFY_CLIENT_SECRET = "", ""
    album = AlbumFactory(spotify_id="0sNOF9WDwhWunNAHPD3Baj", mbid=None, cover_url="")
    sync_album_cover(album)  # api fails any unexpected call
    assert album.cover_url == ""
