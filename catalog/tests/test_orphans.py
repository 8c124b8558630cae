"""Pressings whose master the catalog lacks get an album: one we hold for the same artist and
title, else one made from what the pressings say. Never another master's album; twice is once.

The descriptions and credits below are as Discogs writes them on real pressings (the dump
sample holds each kind); the last tests run over the dump sample itself.
"""

import gzip
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.dump_import import import_dump_files
from catalog.factories import AlbumFactory, ArtistFactory, ReleaseFactory
from catalog.models import Album, Artist, IngestionJob, Release, Source, Track
from catalog.orphans import albums_from_orphan_masters, link_orphans, link_orphans_by_title, pressing_descriptions

from .test_discogs_dump_parser import RELEASES_SAMPLE, SAMPLES

pytestmark = pytest.mark.django_db

ALL_SAMPLES = [SAMPLES / f"discogs_20200806_{kind}.sample.xml.gz" for kind in ("artists", "masters", "releases")]
LP_ALBUM = [{"name": "Vinyl", "qty": 1, "descriptions": ["LP", "Album"], "text": ""}]


def pressing(master_id, title, credit, descriptions=("LP", "Album"), **fields):
    formats = [{"name": "Vinyl", "qty": 1, "descriptions": list(descriptions), "text": ""}]
    values = {"formats": formats, "format_summary": "", "source": Source.DISCOGS_DUMP, **fields}
    return ReleaseFactory(album=None, discogs_master_id=master_id, title=title, artist_credit=credit, **values)


def held_album(artist_name, title, **fields):
    """An album from a source without master ids, as the Rolling Stone list gives them."""
    artist = ArtistFactory(name=artist_name, mbid=None)
    values = {"discogs_master_id": None, "mbid": None, "source": Source.ROLLING_STONE, **fields}
    return AlbumFactory(artist=artist, title=title, **values)


def catalog_rows():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in (Artist, Album, Release, Track)}


# --- 1. albums found by title -------------------------------------------------------------------


def test_an_album_found_by_title_gains_the_master_and_every_pressing_of_it():
    album = held_album("Led Zeppelin", "Led Zeppelin")
    pressings = [
        pressing(4126, "Led Zeppelin", "Led Zeppelin", year=1969),
        pressing(4126, "Led Zeppelin (Remastered)", "Led Zeppelin*", year=2014),
        pressing(4126, "Led Zeppelin", "Led Zeppelin", year=None),
    ]

    counts = link_orphans_by_title()

    album.refresh_from_db()
    assert album.discogs_master_id == 4126
    assert set(album.releases.all()) == set(pressings)
    assert (counts.linked, counts.albums_found) == (3, 1)
    assert Album.objects.count() == 1


def test_the_main_credit_finds_the_artist_behind_a_featured_guest_and_a_discogs_suffix():
    album = held_album("Bus Stop", "Kung Fu Fighting")
    pressing(40400, "Kung Fu Fighting", "Bus Stop (2) Feat. Carl Douglas")

    link_orphans_by_title()

    assert Release.objects.get(discogs_master_id=40400).album == album


def test_an_album_of_another_master_is_never_given_this_one():
    other = held_album("The Beatles", "Rubber Soul", discogs_master_id=45525)
    release = pressing(45526, "Rubber Soul", "The Beatles")

    assert link_orphans_by_title().linked == 0
    albums_from_orphan_masters()

    other.refresh_from_db()
    release.refresh_from_db()
    assert other.discogs_master_id == 45525 and not other.releases.exists()
    assert release.album.discogs_master_id == 45526 and release.album.title == "Rubber Soul"
    assert release.album.artist == other.artist


def test_two_masters_never_share_one_album():
    album = held_album("Jeff Buckley", "Grace")
    pressing(9298, "Grace", "Jeff Buckley")
    pressing(9299, "Grace", "Jeff Buckley")

    assert link_orphans_by_title().albums_found == 1
    albums_from_orphan_masters()

    album.refresh_from_db()
    assert album.discogs_master_id == 9298
    assert Album.objects.get(discogs_master_id=9299).artist == album.artist


def test_an_artist_of_another_name_or_another_title_is_no_match():
    held_album("New York Dolls", "Too Much Too Soon")
    held_album("The Dolls", "New York Dolls")
    pressing(13185, "New York Dolls", "New York Dolls")

    assert link_orphans_by_title().linked == 0


# --- 2. albums made from the pressings ------------------------------------------------------------


def test_a_studio_album_is_made_from_its_pressings_main_release_first():
    pressing(5044, "10, 9, 8, 7, 6, 5, 4, 3, 2, 1", "Midnight Oil", year=1983, is_main_release=True)
    pressing(5044, "10 To 1", "Midnight Oil", year=1982)
    pressing(5044, "10, 9, 8, 7, 6, 5, 4, 3, 2, 1", "Midnight Oil", ("LP", "Album", "Reissue"), year=2008)

    counts = albums_from_orphan_masters()

    album = Album.objects.get(discogs_master_id=5044)
    # No year: three pressings are not every version of the master (catalog.upsert.album_year).
    assert (album.title, album.first_release_year, album.source) == ("10, 9, 8, 7, 6, 5, 4, 3, 2, 1", None, Source.DISCOGS_DUMP)
    assert album.is_studio and album.exclusion_reason == ""
    assert album.artist.name == "Midnight Oil" and album.artist.source == Source.DISCOGS_DUMP
    assert album.releases.count() == 3
    assert (counts.linked, counts.albums_created, counts.excluded, counts.artists_created) == (3, 1, 0, 1)


def test_an_artist_we_hold_gets_the_album_and_no_twin():
    artist = ArtistFactory(name="The Human League", discogs_id=2365)
    pressing(796, "Crash", "Human League, The")

    albums_from_orphan_masters()

    assert Album.objects.get(discogs_master_id=796).artist == artist
    assert Artist.objects.count() == 1


@pytest.mark.parametrize(
    "credit, descriptions, reason",
    [
        ("Morrissey", [("LP", "Album"), ("LP", "Compilation")], "Discogs describes its pressings as: Compilation"),
        ("Wagon Christ", [('12"', "33 ⅓ RPM", "EP")], "Discogs describes its pressings as: EP"),
        ("Fats Domino", [('7"', "45 RPM", "Single")], "Discogs describes its pressings as: Single"),
        ("Larry Heard", [('12"', "33 ⅓ RPM")], 'Discogs describes no pressing as an Album or LP, only: 12", 33 ⅓ RPM'),
        ("Various", [("LP", "Album")], "compilation: credited to Various Artists on Discogs"),
    ],
)
def test_an_album_that_is_not_a_studio_album_says_why(credit, descriptions, reason):
    for said in descriptions:
        pressing(31261, "A Title", credit, said)

    counts = albums_from_orphan_masters()

    album = Album.objects.get(discogs_master_id=31261)
    assert (album.is_studio, album.exclusion_reason) == (False, reason)
    assert counts.excluded == 1


def test_a_pressing_stored_with_only_its_format_summary_is_read_from_it():
    release = pressing(5655, "World Of Morrissey", "Morrissey", formats=[], format_summary='2xLP, Comp, RE + 7", Single')
    assert pressing_descriptions(release.formats, release.format_summary) == {"LP", "Compilation", "Reissue", '7"', "Single"}

    albums_from_orphan_masters()

    assert Album.objects.get(discogs_master_id=5655).exclusion_reason == "Discogs describes its pressings as: Compilation, Single"


def test_a_pressing_without_an_artist_credit_stays_an_orphan():
    release = pressing(777, "Untitled", "")

    assert albums_from_orphan_masters().skipped == 1

    release.refresh_from_db()
    assert release.album is None and not Album.objects.exists()


def test_pressings_without_a_master_are_left_alone():
    release = ReleaseFactory(album=None, discogs_master_id=None, artist_credit="Cabaret Voltaire")

    link_orphans()

    release.refresh_from_db()
    assert release.album is None and not Album.objects.exists()


# --- both passes ------------------------------------------------------------------------------


def test_a_second_run_changes_nothing():
    held_album("Led Zeppelin", "Led Zeppelin")
    pressing(4126, "Led Zeppelin", "Led Zeppelin")
    pressing(5655, "World Of Morrissey", "Morrissey", ("LP", "Compilation"))
    pressing(21863, "Valona", "Johan Kinde")
    link_orphans()
    before = catalog_rows()

    again = link_orphans()

    assert catalog_rows() == before
    assert again.by_title.linked == again.from_masters.linked == again.from_masters.albums_created == 0


def test_queries_are_per_batch_not_per_pressing():
    def queries_for(masters, first_id):
        for master_id in range(first_id, first_id + masters):
            artist = ArtistFactory(name=f"Artist of {master_id}")
            pressing(master_id, f"Title {master_id}", artist.name)
            pressing(master_id, f"Title {master_id}", artist.name, ("LP", "Album", "Reissue"))
        with CaptureQueriesContext(connection) as queries:
            link_orphans()
        return len(queries)

    assert queries_for(3, 1000) == queries_for(30, 2000)


def test_the_command_prints_one_summary_line_and_records_a_job():
    pressing(21863, "Valona", "Johan Kinde")
    out = StringIO()

    call_command("link_orphans", "--no-progress", stdout=out, stderr=StringIO())

    assert out.getvalue().count("\n") == 1
    assert "1 linked to 1 albums made from their masters (1 studio, 0 excluded with a reason)" in out.getvalue()
    job = IngestionJob.objects.get(kind=IngestionJob.Kind.COMMAND)
    assert job.status == IngestionJob.Status.DONE and (job.created, job.stats["orphans.linked"]) == (2, 1)


# --- over the Discogs dump sample ---------------------------------------------------------------


@pytest.fixture(scope="module")
def vinyl_masters_in_sample():
    """{release id: master id} of each vinyl release with a master, read with plain ElementTree."""
    found = {}
    for _, element in ET.iterparse(gzip.open(RELEASES_SAMPLE)):
        if element.tag == "release":
            master = element.findtext("master_id")
            if master and any(fmt.get("name") == "Vinyl" for fmt in element.iterfind("formats/format")):
                found[int(element.get("id"))] = int(master)
            element.clear()
    return found


def test_after_a_dump_import_every_vinyl_pressing_with_a_master_has_its_album(vinyl_masters_in_sample):
    zeppelin = held_album("Led Zeppelin", "Led Zeppelin")

    job = import_dump_files(ALL_SAMPLES)

    stored = dict(Release.objects.filter(discogs_master_id__isnull=False).values_list("discogs_id", "album__discogs_master_id"))
    assert stored == vinyl_masters_in_sample
    zeppelin.refresh_from_db()
    assert zeppelin.discogs_master_id == 4126 and zeppelin.releases.exists()
    assert job.stats["orphans.linked"] == len(vinyl_masters_in_sample)
    held_before = 2  # Led Zeppelin and their album
    assert job.created == Artist.objects.count() + Album.objects.count() + Release.objects.count() - held_before


def test_an_album_made_from_a_dump_pressing_learns_what_its_main_release_says():
    import_dump_files(ALL_SAMPLES)

    stockholm = Album.objects.get(discogs_master_id=1660109)  # master absent from the masters sample
    assert (stockholm.title, stockholm.artist.discogs_id, stockholm.first_release_year) == ("Stockholm", 1, None)
    assert not stockholm.is_studio
    assert stockholm.exclusion_reason == 'Discogs describes no pressing as an Album or LP, only: 12", 33 ⅓ RPM'
    assert stockholm.track_count == 6
    assert list(stockholm.tracks.values_list("position", flat=True)) == ["A", "B1", "B2", "C1", "C2", "D"]


def test_a_second_dump_import_after_the_orphans_pass_changes_nothing():
    import_dump_files(ALL_SAMPLES)
    before = catalog_rows()

    again = import_dump_files(ALL_SAMPLES)

    assert catalog_rows() == before and (again.created, again.updated) == (0, 0)
