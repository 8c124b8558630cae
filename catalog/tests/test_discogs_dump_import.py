"""Importing the Discogs dumps: one row per vinyl pressing, linked to its album, idempotent.

The expected sets are computed from the sample files with a plain ElementTree scan, not with
the parser under test. Small dumps that the samples do not contain (a homonym, a broken
record, a compilation's main release) are written to tmp_path by the test that needs them.
"""

import gzip
import xml.etree.ElementTree as ET

import pytest

from catalog.bulk import link_orphan_releases
from catalog.dump_import import import_dump_files
from catalog.factories import AlbumFactory, ArtistFactory, ReleaseFactory, TrackFactory
from catalog.models import Album, Artist, IngestionJob, Release, Source, Track

from .test_discogs_dump_parser import RELEASES_SAMPLE, SAMPLES, write_dump

pytestmark = pytest.mark.django_db

ARTISTS_SAMPLE = SAMPLES / "discogs_20200806_artists.sample.xml.gz"
MASTERS_SAMPLE = SAMPLES / "discogs_20200806_masters.sample.xml.gz"
ALL_SAMPLES = [RELEASES_SAMPLE, MASTERS_SAMPLE, ARTISTS_SAMPLE]  # deliberately out of order


@pytest.fixture(scope="module")
def vinyl_in_sample():
    """{release id: master id or None} for each release with a <format name="Vinyl">."""
    found = {}
    for _, element in ET.iterparse(gzip.open(RELEASES_SAMPLE)):
        if element.tag == "release":
            if any(fmt.get("name") == "Vinyl" for fmt in element.iterfind("formats/format")):
                master = element.findtext("master_id")
                found[int(element.get("id"))] = int(master) if master else None
            element.clear()
    return found


@pytest.fixture(scope="module")
def masters_in_sample():
    """{master id: main artist id} of the masters sample."""
    found = {}
    for _, element in ET.iterparse(gzip.open(MASTERS_SAMPLE)):
        if element.tag == "master":
            found[int(element.get("id"))] = int(element.findtext("artists/artist/id"))
            element.clear()
    return found


def masters_dump(tmp_path, *masters):
    """A masters dump of (id, title, artist id, artist name) tuples."""
    body = "".join(
        f'<master id="{mid}"><main_release>1</main_release><artists><artist><id>{aid}</id><name>{name}</name>'
        f"<anv/><join/><role/><tracks/></artist></artists><genres><genre>Electronic</genre></genres>"
        f"<year>1999</year><title>{title}</title><data_quality>Correct</data_quality></master>\n"
        for mid, title, aid, name in masters
    )
    return write_dump(tmp_path, "discogs_masters.xml.gz", f"<masters>\n{body}</masters>\n")


def main_release_dump(tmp_path, master_id, *, format_name="Vinyl", description="Album", release_id=9001):
    return write_dump(
        tmp_path,
        "discogs_releases.xml.gz",
        f'<releases>\n<release id="{release_id}" status="Accepted">'
        "<artists><artist><id>1</id><name>The Persuader</name>"
        f'</artist></artists><title>Stockholm</title><formats><format name="{format_name}" qty="1" text="">'
        f"<descriptions><description>LP</description><description>{description}</description></descriptions>"
        f'</format></formats><master_id is_main_release="true">{master_id}</master_id><tracklist>'
        "<track><position/><title>Side A</title><duration/></track>"
        "<track><position>A1</position><title>Östermalm</title><duration>4:45</duration></track>"
        "<track><position>A2</position><title>Vasastaden</title><duration>6:11</duration></track>"
        "<track><position>B1</position><title>Kungsholmen</title><duration/></track>"
        "</tracklist></release>\n</releases>\n",
    )


def catalog_rows():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in (Artist, Album, Release, Track)}


# --- releases ---------------------------------------------------------------------------


def test_sample_import_creates_exactly_one_release_per_vinyl_release(vinyl_in_sample):
    job = import_dump_files(ALL_SAMPLES)
    assert job.status == IngestionJob.Status.DONE
    assert sorted(Release.objects.values_list("discogs_id", flat=True)) == sorted(vinyl_in_sample)
    assert job.stats["releases.vinyl_kept"] == len(vinyl_in_sample)
    assert job.stats["releases.not_vinyl_skipped"] == 1000 - len(vinyl_in_sample)


def test_every_vinyl_release_whose_master_is_present_is_linked_to_its_album(vinyl_in_sample):
    master_ids = sorted({m for m in vinyl_in_sample.values() if m})
    albums = {m: AlbumFactory(discogs_master_id=m) for m in master_ids[::2]}
    job = import_dump_files([RELEASES_SAMPLE])
    stored = {r.discogs_id: r for r in Release.objects.all()}
    for release_id, master_id in vinyl_in_sample.items():
        album = albums.get(master_id)
        assert stored[release_id].album_id == (album.pk if album else None)
        assert stored[release_id].discogs_master_id == master_id
    linked = sum(1 for m in vinyl_in_sample.values() if m in albums)
    assert job.stats["releases.linked"] == linked > 0
    assert job.stats["releases.unlinked"] == len(vinyl_in_sample) - linked


def test_a_pressing_keeps_its_discogs_fields():
    import_dump_files([RELEASES_SAMPLE])
    release = Release.objects.get(discogs_id=1)
    assert (release.title, release.artist_credit, release.country) == ("Stockholm", "The Persuader", "Sweden")
    assert (release.released, release.year) == ("1999-03-00", 1999)
    assert (release.label, release.catalog_number) == ("Svek", "SK032")
    assert release.formats == [{"name": "Vinyl", "qty": 2, "descriptions": ['12"', "33 ⅓ RPM"], "text": ""}]
    assert release.format_summary == '2x12", 33 ⅓ RPM'
    assert release.is_main_release and release.is_official and release.source == Source.DISCOGS_DUMP


def test_releases_imported_before_their_masters_are_linked_when_the_masters_arrive(tmp_path, vinyl_in_sample):
    import_dump_files([RELEASES_SAMPLE])
    assert not Release.objects.linked().exists()
    job = import_dump_files([masters_dump(tmp_path, (1660109, "Stockholm", 1, "The Persuader"))])
    waiting = [r for r, m in vinyl_in_sample.items() if m == 1660109]
    album = Album.objects.get(discogs_master_id=1660109)
    assert set(album.releases.values_list("discogs_id", flat=True)) == set(waiting)
    assert job.stats["releases.orphans_linked"] == len(waiting)


def test_files_in_any_order_are_imported_artists_then_masters_then_releases(tmp_path):
    masters = masters_dump(tmp_path, (1660109, "Stockholm", 1, "The Persuader"))
    job = import_dump_files([RELEASES_SAMPLE, masters, ARTISTS_SAMPLE])
    assert job.stats["releases.linked"] > 0 and job.stats["releases.orphans_linked"] == 0
    assert Artist.objects.filter(discogs_id=1).count() == 1
    assert Album.objects.get(discogs_master_id=1660109).artist.discogs_id == 1


def test_orphans_link_to_albums_that_another_source_created_later():
    ReleaseFactory(album=None, discogs_master_id=4242)
    album = AlbumFactory(discogs_master_id=4242)
    assert link_orphan_releases() == 1
    assert album.releases.count() == 1


def test_a_blank_dump_value_never_blanks_a_stored_pressing(tmp_path):
    album = AlbumFactory()
    ReleaseFactory(
        discogs_id=9001, album=album, discogs_master_id=None, country="UK", year=1997, title="Old", source=Source.DISCOGS_DUMP
    )
    import_dump_files([main_release_dump(tmp_path, master_id=777)])  # no country, no date, unknown master
    release = Release.objects.get(discogs_id=9001)
    assert (release.country, release.year, release.album_id) == ("UK", 1997, album.pk)
    assert release.title == "Stockholm" and release.discogs_master_id == 777


def test_a_pressing_from_the_api_keeps_its_values_and_only_gains_blanks(tmp_path):
    ReleaseFactory(discogs_id=9001, album=None, title="Stockholm (API)", format_summary="LP", source=Source.DISCOGS)
    import_dump_files([main_release_dump(tmp_path, master_id=777)])
    release = Release.objects.get(discogs_id=9001)
    assert (release.title, release.format_summary, release.source) == ("Stockholm (API)", "LP", Source.DISCOGS)
    assert release.discogs_master_id == 777 and release.rating_average == 4.5


def test_an_unofficial_pressing_is_kept_and_marked_unofficial(tmp_path):
    import_dump_files([main_release_dump(tmp_path, master_id=777, description="Unofficial Release")])
    assert Release.objects.get(discogs_id=9001).is_official is False


# --- idempotence ------------------------------------------------------------------------


def test_a_second_import_of_the_same_files_changes_nothing(vinyl_in_sample):
    first = import_dump_files(ALL_SAMPLES)
    before = catalog_rows()
    second = import_dump_files(ALL_SAMPLES)
    assert (second.created, second.updated) == (0, 0)
    assert first.created > 0
    assert second.unchanged == 1000 + 1000 + len(vinyl_in_sample)  # artists, albums, pressings
    assert catalog_rows() == before


def test_a_reimport_after_albums_were_flagged_changes_nothing(tmp_path):
    AlbumFactory(discogs_master_id=5000, source=Source.DISCOGS_DUMP, track_count=None)
    files = [main_release_dump(tmp_path, master_id=5000, description="Compilation")]
    import_dump_files(files)
    before = catalog_rows()
    again = import_dump_files(files)
    assert (again.created, again.updated) == (0, 0) and catalog_rows() == before


# --- artists ----------------------------------------------------------------------------


def test_a_musicbrainz_artist_gains_its_discogs_id_instead_of_a_twin():
    mb = ArtistFactory(name="The Persuader", source=Source.MUSICBRAINZ)
    job = import_dump_files([ARTISTS_SAMPLE])
    mb.refresh_from_db()
    assert mb.discogs_id == 1 and mb.name == "The Persuader"
    assert Artist.objects.filter(normalized_name="persuader").count() == 1
    assert job.stats["artists.updated"] == 1 and job.stats["artists.created"] == 999


def test_discogs_homonyms_become_two_artists_despite_the_name_key(tmp_path):
    dump = write_dump(
        tmp_path,
        "discogs_artists.xml.gz",
        "<artists>\n<artist><id>125246</id><name>Nirvana</name></artist>\n"
        "<artist><id>307513</id><name>Nirvana (2)</name></artist>\n</artists>\n",
    )
    import_dump_files([dump])
    keys = dict(Artist.objects.values_list("discogs_id", "normalized_name"))
    assert keys == {125246: "nirvana", 307513: "nirvana 2"}
    assert import_dump_files([dump]).updated == 0


def test_a_suffixed_homonym_never_takes_over_an_artist_by_name(tmp_path):
    mb = ArtistFactory(name="Nirvana", listeners=2_000_000, source=Source.MUSICBRAINZ)
    xml = "<artists><artist><id>307513</id><name>Nirvana (2)</name></artist></artists>"
    dump = write_dump(tmp_path, "discogs_artists.xml.gz", xml)
    import_dump_files([dump])
    mb.refresh_from_db()
    assert mb.discogs_id is None and Artist.objects.get(discogs_id=307513).name == "Nirvana (2)"


def test_a_renamed_dump_artist_is_renamed_but_an_artist_from_elsewhere_keeps_its_name(tmp_path):
    ArtistFactory(name="Persuader, The", mbid=None, discogs_id=1, source=Source.DISCOGS_DUMP)
    ArtistFactory(name="Mr James Barth and AD", discogs_id=2, source=Source.MUSICBRAINZ)
    import_dump_files([ARTISTS_SAMPLE])
    assert Artist.objects.get(discogs_id=1).name == "The Persuader"
    assert Artist.objects.get(discogs_id=2).name == "Mr James Barth and AD"


# --- masters -> albums -------------------------------------------------------------------


def test_masters_become_albums_with_their_credited_artist(masters_in_sample):
    job = import_dump_files([MASTERS_SAMPLE])
    albums = {a.discogs_master_id: a for a in Album.objects.select_related("artist")}
    assert set(albums) == set(masters_in_sample)
    assert all(albums[m].artist.discogs_id == a for m, a in masters_in_sample.items())
    assert job.stats["albums.created"] == 1000 and job.stats["artists.created"] == len(set(masters_in_sample.values()))
    album = albums[113]
    assert (album.title, album.first_release_year, album.genre, album.source) == (
        "Moments In Time",
        2002,
        "Electronic",
        Source.DISCOGS_DUMP,
    )
    assert album.is_studio and album.exclusion_reason == ""


def test_a_various_artists_master_is_stored_as_a_compilation(masters_in_sample):
    import_dump_files([MASTERS_SAMPLE])
    various = [m for m, artist in masters_in_sample.items() if artist == 194]
    assert various
    for album in Album.objects.filter(discogs_master_id__in=various):
        assert not album.is_studio and "Various" in album.exclusion_reason


def test_a_musicbrainz_album_keeps_its_values_and_studio_flag(masters_in_sample):
    various = next(m for m, artist in masters_in_sample.items() if artist == 194)
    album = AlbumFactory(
        discogs_master_id=various, title="From MusicBrainz", genre="", first_release_year=1990, source=Source.MUSICBRAINZ
    )
    import_dump_files([MASTERS_SAMPLE])
    album.refresh_from_db()
    assert (album.title, album.first_release_year, album.is_studio) == ("From MusicBrainz", 1990, True)
    assert album.genre != ""  # a blank is filled


def test_a_master_finds_the_album_of_the_same_artist_and_title(tmp_path):
    artist = ArtistFactory(name="The Persuader", discogs_id=1)
    album = AlbumFactory(artist=artist, title="Stockholm", discogs_master_id=None)
    import_dump_files([masters_dump(tmp_path, (1660109, "Stockholm", 1, "The Persuader"))])
    album.refresh_from_db()
    assert album.discogs_master_id == 1660109 and Album.objects.count() == 1


def test_two_masters_of_one_title_by_one_artist_become_two_albums(tmp_path):
    dump = masters_dump(tmp_path, (501, "Tony Martin", 7, "Tony Martin"), (502, "Tony Martin", 7, "Tony Martin"))
    import_dump_files([dump])
    assert Album.objects.filter(artist__discogs_id=7).count() == 2


# --- what a main release teaches its album ------------------------------------------------


def test_a_main_release_described_as_a_compilation_flags_its_album_and_gives_it_tracks(tmp_path):
    album = AlbumFactory(discogs_master_id=5000, source=Source.DISCOGS_DUMP, track_count=None)
    import_dump_files([main_release_dump(tmp_path, master_id=5000, description="Compilation")])
    album.refresh_from_db()
    assert not album.is_studio and "Compilation" in album.exclusion_reason
    assert album.track_count == 3
    tracks = list(album.tracks.values_list("sequence", "position", "title", "duration_seconds"))
    assert tracks == [(1, "A1", "Östermalm", 285), (2, "A2", "Vasastaden", 371), (3, "B1", "Kungsholmen", None)]


def test_a_musicbrainz_album_is_never_flipped_by_a_main_release(tmp_path):
    album = AlbumFactory(discogs_master_id=5000, source=Source.MUSICBRAINZ, track_count=None)
    import_dump_files([main_release_dump(tmp_path, master_id=5000, description="Compilation")])
    album.refresh_from_db()
    assert album.is_studio and album.exclusion_reason == ""
    assert album.track_count == 3  # an unknown count is still filled


def test_an_album_with_tracks_keeps_them(tmp_path):
    album = AlbumFactory(discogs_master_id=5000, track_count=12)
    TrackFactory(album=album, sequence=1, title="Already here")
    import_dump_files([main_release_dump(tmp_path, master_id=5000)])
    album.refresh_from_db()
    assert list(album.tracks.values_list("title", flat=True)) == ["Already here"] and album.track_count == 12


def test_a_cd_main_release_teaches_its_album_but_is_not_stored(tmp_path):
    album = AlbumFactory(discogs_master_id=5000, track_count=None)
    job = import_dump_files([main_release_dump(tmp_path, master_id=5000, format_name="CD")])
    album.refresh_from_db()
    assert album.track_count == 3 and not Release.objects.exists()
    assert job.stats["releases.not_vinyl_skipped"] == 1


# --- the job ----------------------------------------------------------------------------


def test_the_job_records_kind_progress_and_counts():
    job = import_dump_files(ALL_SAMPLES)
    assert job.kind == IngestionJob.Kind.DISCOGS_DUMP and job.status == IngestionJob.Status.DONE
    assert job.processed == job.total == sum(path.stat().st_size for path in ALL_SAMPLES)
    assert job.created == Artist.objects.count() + Album.objects.count() + Release.objects.count()
    assert job.finished_at and "releases/min" in job.message


def test_bad_records_are_listed_on_the_job_and_the_rest_is_imported(tmp_path):
    dump = write_dump(
        tmp_path,
        "discogs_releases.xml.gz",
        '<releases>\n<release id="1" status="Accepted"><title>A</title><formats><format name="Vinyl" qty="1"/>'
        '</formats></release>\n<release id="oops" status="Accepted"><title>B</title>'
        '<formats><format name="Vinyl" qty="1"/>'
        "</formats></release>\n"
        '<release id="3" status="Accepted"><title>C</title><formats><format name="Vinyl" qty="1"/></formats>'
        "</release>\n</releases>\n",
    )
    job = import_dump_files([dump])
    assert job.status == IngestionJob.Status.DONE
    assert sorted(Release.objects.values_list("discogs_id", flat=True)) == [1, 3]
    assert job.errors == [
        {
            "file": dump.name,
            "kind": "releases",
            "id": "oops",
            "line": 3,
            "reason": "invalid literal for int() with base 10: 'oops'",
        }
    ]


def test_a_truncated_file_fails_the_job_and_keeps_the_committed_batches(tmp_path, vinyl_in_sample):
    cut = tmp_path / "discogs_20200806_releases.xml.gz"
    cut.write_bytes(RELEASES_SAMPLE.read_bytes()[: RELEASES_SAMPLE.stat().st_size // 2])
    job = import_dump_files([cut], batch_size=50)
    assert job.status == IngestionJob.Status.FAILED and job.finished_at
    assert "truncated" in job.message and cut.name in job.message
    kept = set(Release.objects.values_list("discogs_id", flat=True))
    assert kept and kept < set(vinyl_in_sample)
    assert job.stats["releases.created"] == len(kept)
