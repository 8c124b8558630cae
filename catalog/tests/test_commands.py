"""The ingestion commands: thin loops over the services with one summary line and a job row."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.factories import ArtistFactory
from catalog.models import Album, Artist, IngestionJob, Release
from integrations.models import ApiCall
from integrations.replay import record_fixture
from integrations.tests.conftest import recording
from pricing.models import PriceQuote
from vinilogy.demo import replaying

pytestmark = pytest.mark.django_db

NIRVANA_MBID = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"


def run(*args):
    out = StringIO()
    call_command(*args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.fixture
def replay():
    with replaying():
        yield


def test_ingest_runs_the_chain_and_prints_one_summary_line(replay):
    summary = run("ingest", NIRVANA_MBID)

    assert summary.count("\n") == 0
    assert "API calls 4 (lastfm 2, musicbrainz 2)" in summary and "errors 0" in summary
    assert Artist.objects.get(mbid=NIRVANA_MBID).albums.count() == 8
    job = IngestionJob.objects.get(kind=IngestionJob.Kind.COMMAND)
    assert job.status == IngestionJob.Status.DONE and job.stats["api_calls"] == {"lastfm": 2, "musicbrainz": 2}


def test_ingest_again_makes_no_api_call_and_counts_cache_hits(replay):
    run("ingest", NIRVANA_MBID)
    calls = ApiCall.objects.count()

    summary = run("ingest", NIRVANA_MBID)

    assert ApiCall.objects.count() == calls
    assert "API calls 0 (none); cache hits 3" in summary


def test_sync_releases_walks_the_albums_due_and_details_one_pressing_each(replay, settings):
    from catalog import services

    settings.LASTFM_API_KEY = ""  # a site without Last.fm: the cover step asks nobody (no recording of its album.getInfo)

    album = services.get_or_create_release(2535152).album
    # The main release stands for the album; its details are the recorded (and fresh) ones.
    Release.objects.filter(discogs_id=2535152).update(is_main_release=True)
    # Master 38677's own answer (its standard tracklist) was never recorded: asked already.
    Album.objects.filter(pk=album.pk).update(tracklist_checked_at=timezone.now())

    summary = run("sync_releases", "--album", str(album.pk))

    assert Release.objects.filter(album=album).count() == 76
    assert "errors 0" in summary


def test_refresh_prices_prices_the_albums_due_and_refreshes_best_prices(replay):
    from catalog import services

    album = services.get_or_create_release(1).album

    summary = run("refresh_prices", "--country", "ES")

    quote = PriceQuote.objects.get(album=album)
    assert (quote.item_eur, quote.total_eur) == (100, None)  # an item price: Discogs statistics state no shipping
    assert "API calls 1 (discogs 1)" in summary


def test_seed_artists_from_a_tag_finds_its_top_artists_database_first(tmp_path):
    record_fixture(
        tmp_path,
        "GET",
        "https://ws.audioscrobbler.com/2.0/?method=tag.getTopArtists&tag=blues&limit=1&page=1&format=json",
        200,
        recording("lastfm/tag.getTopArtists_blues_limit1.json"),
    )
    hozier = ArtistFactory(name="Hozier", refreshed_at=timezone.now())
    with replaying(tmp_path):
        summary = run("seed_artists", "--tag", "blues", "--limit", "1")

    assert "API calls 1 (lastfm 1); cache hits 1" in summary
    assert Artist.objects.get(pk=hozier.pk).name == "Hozier"


def test_seed_artists_from_a_csv_goes_through_the_csv_import(tmp_path):
    path = tmp_path / "artists.csv"
    path.write_text("name,mbid\nNirvana,5b11f4ce-a62d-471e-81fc-a69a8278c7da\nNeil Young,\n", encoding="utf-8")

    summary = run("seed_artists", "--csv", str(path))

    assert set(Artist.objects.values_list("name", flat=True)) == {"Nirvana", "Neil Young"}
    assert summary.startswith("created 2,")
    assert IngestionJob.objects.filter(kind=IngestionJob.Kind.CSV_ARTISTS, status=IngestionJob.Status.DONE).exists()


def test_enrich_albums_skips_artists_listed_recently(replay):
    ArtistFactory(name="Listed", albums_refreshed_at=timezone.now())
    nirvana = ArtistFactory(name="Nirvana", mbid=NIRVANA_MBID, albums_refreshed_at=None)

    summary = run("enrich_albums")

    assert Album.objects.filter(artist=nirvana).count() == 8
    assert "API calls 1 (musicbrainz 1)" in summary


def test_refresh_stale_leaves_fresh_rows_alone(replay):
    ArtistFactory(name="Fresh", refreshed_at=timezone.now(), albums_refreshed_at=timezone.now())

    summary = run("refresh_stale")

    assert "API calls 0 (none)" in summary
