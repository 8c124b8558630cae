"""Artists, their similar artists and their albums: database first, over recorded API answers.

The replay adapter serves the demo's recordings (vinilogy/demo_data/replay); a test that
needs an error writes its own one-entry replay folder with integrations.replay.record_fixture.
"""

from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from catalog import services
from catalog.factories import AlbumFactory, ArtistFactory
from catalog.models import Album, Artist, ArtistSimilarity, Source
from integrations.discogs import parse_search_page
from integrations.errors import Unavailable
from integrations.models import ApiCall
from integrations.replay import record_fixture
from integrations.tests.conftest import recording
from vinilogy.demo import replaying

pytestmark = pytest.mark.django_db

NIRVANA_MBID = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
MB_NIRVANA = f"https://musicbrainz.org/ws/2/artist/{NIRVANA_MBID}?inc=url-rels&fmt=json"


@pytest.fixture
def replay():
    with replaying():
        yield


def test_unknown_artist_is_looked_up_on_musicbrainz_and_lastfm_and_saved(replay):
    artist = services.get_or_create_artist(name="Nirvana", mbid=NIRVANA_MBID)

    assert (artist.name, str(artist.mbid), artist.discogs_id) == ("Nirvana", NIRVANA_MBID, 125246)
    assert artist.spotify_id == "6olE6TJLqED3rqDCT0FyPh"
    assert (artist.listeners, artist.playcount) == (4196311, 216257220)
    assert set(artist.tags.values_list("name", flat=True)) == {"grunge", "rock", "alternative", "alternative rock", "90s"}
    assert artist.source == Source.MUSICBRAINZ and artist.refreshed_at is not None
    assert dict(ApiCall.objects.values_list("provider").annotate(n=Count("pk"))) == {"musicbrainz": 1, "lastfm": 1}


def test_fresh_artist_costs_no_api_call(replay):
    first = services.get_or_create_artist(mbid=NIRVANA_MBID)
    calls = ApiCall.objects.count()

    again = services.get_or_create_artist(name="Nirvana")

    assert again.pk == first.pk
    assert ApiCall.objects.count() == calls


def test_a_stale_artist_known_by_name_is_refreshed_in_place(replay):
    known = ArtistFactory(name="Nirvana", mbid=None, refreshed_at=timezone.now() - timedelta(days=30))

    artist = services.get_or_create_artist(name="Nirvana", mbid=NIRVANA_MBID)

    assert artist.pk == known.pk
    assert Artist.objects.filter(normalized_name="nirvana").count() == 1
    assert str(Artist.objects.get(pk=known.pk).mbid) == NIRVANA_MBID


def test_a_permanent_error_is_kept_on_the_artist_and_skipped_until_its_window(tmp_path):
    record_fixture(tmp_path, "GET", MB_NIRVANA, 404, {"error": "Not Found"})
    with replaying(tmp_path):
        artist = services.get_or_create_artist(name="Nirvana", mbid=NIRVANA_MBID)
        calls = ApiCall.objects.count()
        again = services.get_or_create_artist(name="Nirvana", mbid=NIRVANA_MBID)

    assert "404" in artist.last_error and artist.refreshed_at is not None
    assert again.pk == artist.pk and ApiCall.objects.count() == calls


def test_a_transient_error_propagates_so_the_task_retries(tmp_path, settings):
    settings.HTTP_MAX_RETRIES = 1
    record_fixture(tmp_path, "GET", MB_NIRVANA, 503, {"error": "Service unavailable"})
    with replaying(tmp_path), pytest.raises(Unavailable):
        services.get_or_create_artist(name="Nirvana", mbid=NIRVANA_MBID)

    assert not Artist.objects.exists()


def test_similar_artists_are_saved_in_bulk_with_bare_rows_for_unknown_names(replay):
    nirvana = services.get_or_create_artist(mbid=NIRVANA_MBID)

    count = services.sync_artist_similars(nirvana)

    similar = ArtistSimilarity.objects.filter(from_artist=nirvana, source=Source.LASTFM).order_by("-score")
    assert count == similar.count() == 100
    top = similar.select_related("to_artist").first()
    assert (top.to_artist.name, top.score) == ("Alice in Chains", 1.0)
    bare = Artist.objects.get(pk=top.to_artist_id)
    assert bare.mbid is None and bare.source == Source.LASTFM and bare.refreshed_at is None


def test_fresh_similar_artists_cost_no_api_call(replay):
    nirvana = services.get_or_create_artist(mbid=NIRVANA_MBID)
    services.sync_artist_similars(nirvana)
    calls = ApiCall.objects.count()

    services.sync_artist_similars(Artist.objects.get(pk=nirvana.pk))

    assert ApiCall.objects.count() == calls
    assert ArtistSimilarity.objects.filter(from_artist=nirvana).count() == 100


def test_albums_left_out_keep_the_reason(replay):
    nirvana = services.get_or_create_artist(mbid=NIRVANA_MBID)

    albums = services.sync_artist_albums(nirvana)

    assert len(albums) == 8
    assert {(a.is_studio, a.exclusion_reason) for a in albums} == {(False, "primary type: EP")}
    assert Album.objects.get(title="Hormoaning").first_release_year == 1992


def test_musicbrainz_albums_merge_into_albums_already_known_by_title(replay):
    nirvana = services.get_or_create_artist(mbid=NIRVANA_MBID)
    known = AlbumFactory(artist=nirvana, title="Blew", mbid=None, discogs_master_id=None, is_studio=True)

    services.sync_artist_albums(nirvana)

    merged = Album.objects.get(pk=known.pk)
    assert str(merged.mbid) == "f4704ade-d0d8-3015-a9f9-a4972df288fc"
    assert not merged.is_studio and Album.objects.filter(artist=nirvana, title="Blew").count() == 1


def test_fresh_album_list_costs_no_api_call(replay):
    nirvana = services.get_or_create_artist(mbid=NIRVANA_MBID)
    services.sync_artist_albums(nirvana)
    calls = ApiCall.objects.count()

    services.sync_artist_albums(Artist.objects.get(pk=nirvana.pk))

    assert ApiCall.objects.count() == calls


def test_discogs_search_result_is_taken_only_when_confident():
    results = parse_search_page(recording("discogs/database_search_q-prodigy_type-release_page1.json")).items
    artist = ArtistFactory(name="Kurt Vile")
    wanted = AlbumFactory(artist=artist, title="Childish Prodigy")
    unknown = AlbumFactory(artist=artist, title="Smoke Ring for My Halo")

    best = services.best_search_match(wanted, results)

    assert best is not None and best.title == "Kurt Vile - Childish Prodigy"
    assert services.best_search_match(unknown, results) is None
