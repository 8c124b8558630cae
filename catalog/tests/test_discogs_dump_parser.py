"""The dump parser reads real dump records field by field, streams, and survives damage.

Expected values are read from the fixture files with plain ElementTree, independently of the
parser. Tests that need a broken record or a truncated file write one to tmp_path.
"""

import gzip
import tracemalloc
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from catalog.discogs_dump import (
    BadRecord,
    DumpArtist,
    DumpMaster,
    DumpReader,
    DumpRelease,
    SkippedRelease,
    detect_kind,
    parse_release,
)

FIXTURES = Path(__file__).parent / "fixtures" / "discogs-dumps"
# The 1,000-record dump samples belong to the demo (vinilogy/demo_data); tests read them there.
SAMPLES = Path(__file__).resolve().parents[2] / "vinilogy" / "demo_data" / "discogs-dumps"
RELEASES_SAMPLE = SAMPLES / "discogs_20200806_releases.sample.xml.gz"


def write_dump(directory, name, xml):
    """A dump file written from text: gzip when the name ends in .gz, as Discogs ships them."""
    path = Path(directory) / name
    data = xml.encode()
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def only_record(path):
    records = list(DumpReader(path))
    assert len(records) == 1
    return records[0]


@pytest.fixture(scope="module")
def release_xml():
    return ET.parse(FIXTURES / "single_release.xml").getroot()


@pytest.fixture(scope="module")
def release():
    return only_record(FIXTURES / "single_release.xml")


def test_single_release_scalars_match_the_file(release, release_xml):
    assert isinstance(release, DumpRelease)
    assert release.id == int(release_xml.get("id"))
    assert release.status == release_xml.get("status") == "Accepted"
    assert release.title == release_xml.findtext("title")
    assert release.country == release_xml.findtext("country")
    assert release.released == release_xml.findtext("released") == "1999-07-13"
    assert release.year == 1999
    assert release.data_quality == release_xml.findtext("data_quality")


def test_single_release_credits_labels_genres_and_master(release, release_xml):
    credit = release_xml.find("artists/artist")
    assert [(a.id, a.name) for a in release.artists] == [(int(credit.findtext("id")), credit.findtext("name"))]
    assert release.main_artist.name == "Josh Wink" and release.artist_credit == "Josh Wink"
    label = release_xml.find("labels/label")
    assert (release.label, release.catalog_number) == (label.get("name"), label.get("catno"))
    assert release.genres == tuple(g.text for g in release_xml.iterfind("genres/genre"))
    assert release.styles == tuple(s.text for s in release_xml.iterfind("styles/style"))
    master = release_xml.find("master_id")
    assert release.master_id == int(master.text) and release.is_main_release is False


def test_single_release_formats_and_their_summary(release, release_xml):
    fmt = release_xml.find("formats/format")
    parsed = release.formats[0]
    assert (parsed.name, parsed.qty, parsed.text) == (fmt.get("name"), int(fmt.get("qty")), fmt.get("text"))
    assert parsed.descriptions == tuple(d.text for d in fmt.iterfind("descriptions/description"))
    assert release.format_summary == "CD, Comp, Mixed"


def test_a_cd_release_is_not_vinyl(release):
    assert not release.is_vinyl


def test_single_release_tracklist_counts_a_suite_once_with_durations_in_seconds(release, release_xml):
    tracks = release_xml.findall("tracklist/track")
    assert len(release.tracklist) == len(tracks) == 14
    first = release.tracklist[0]  # an index track with three sub-tracks
    assert (first.position, first.title, first.duration_seconds) == ("1", "Untitled 8", 7 * 60)
    last = release.tracklist[-1]
    assert (last.position, last.title) == (tracks[-1].findtext("position"), tracks[-1].findtext("title"))
    assert last.duration_seconds == 3 * 60 + 39  # "3:39"


def test_single_master_matches_the_file():
    root = ET.parse(FIXTURES / "single_master.xml").getroot()
    master = only_record(FIXTURES / "single_master.xml")
    assert isinstance(master, DumpMaster)
    assert master.id == int(root.get("id")) == 122
    assert master.main_release_id == int(root.findtext("main_release"))
    assert master.title == root.findtext("title") and master.year == int(root.findtext("year"))
    assert [(a.id, a.name) for a in master.artists] == [(69209, "Mixrace")]
    assert master.genres == ("Electronic",) and master.styles == ("Breakbeat", "Hardcore", "Jungle")
    assert master.genre == "Electronic" and master.data_quality == "Correct"


def test_single_artist_matches_the_file():
    root = ET.parse(FIXTURES / "single_artist.xml").getroot()
    artist = only_record(FIXTURES / "single_artist.xml")
    assert isinstance(artist, DumpArtist)
    assert artist.id == int(root.findtext("id")) == 27
    assert (artist.name, artist.realname) == (root.findtext("name"), root.findtext("realname"))
    assert artist.data_quality == root.findtext("data_quality")
    assert artist.image_url == ""  # dumps ship blank image URIs


def test_vinyl_summary_names_the_disc_and_abbreviates_like_discogs():
    element = ET.fromstring(
        '<release id="9" status="Accepted"><title>T</title><formats><format name="Vinyl" qty="2" text="180g">'
        "<descriptions><description>LP</description><description>Album</description>"
        "<description>Reissue</description></descriptions></format></formats></release>"
    )
    release = parse_release(element)
    assert release.is_vinyl and release.format_summary == "2xLP, Album, RE"
    assert release.formats[0].text == "180g"


@pytest.mark.parametrize(
    ("status", "description", "official"),
    [("Accepted", "Album", True), ("Accepted", "Unofficial Release", False), ("Draft", "Album", False)],
)
def test_official_means_accepted_and_not_described_unofficial(status, description, official):
    element = ET.fromstring(
        f'<release id="9" status="{status}"><title>T</title><formats><format name="Vinyl" qty="1">'
        f"<descriptions><description>{description}</description></descriptions></format></formats></release>"
    )
    assert parse_release(element).is_official is official


def test_side_headings_are_not_tracks():
    element = ET.fromstring(
        '<release id="9" status="Accepted"><title>T</title><tracklist>'
        "<track><position/><title>Side A</title><duration/></track>"
        "<track><position>A1</position><title>One</title><duration>3:05</duration></track>"
        "<track><position>A2</position><title>Two</title><duration/></track>"
        "</tracklist></release>"
    )
    assert [(t.position, t.duration_seconds) for t in parse_release(element).tracklist] == [("A1", 185), ("A2", None)]


def test_every_record_of_the_sample_is_read():
    expected = sum(1 for _, el in ET.iterparse(gzip.open(RELEASES_SAMPLE)) if el.tag == "release")
    records = list(DumpReader(RELEASES_SAMPLE))
    assert len(records) == expected == 1000
    assert all(isinstance(record, DumpRelease) for record in records)


def test_the_import_reader_leaves_releases_that_are_neither_vinyl_nor_main_unparsed():
    wanted, skipped = [], []
    for _, element in ET.iterparse(gzip.open(RELEASES_SAMPLE)):
        if element.tag == "release":
            vinyl = any(fmt.get("name") == "Vinyl" for fmt in element.iterfind("formats/format"))
            main = element.find("master_id") is not None and element.find("master_id").get("is_main_release") == "true"
            (wanted if vinyl or main else skipped).append(element.get("id"))
            element.clear()
    records = list(DumpReader(RELEASES_SAMPLE, vinyl_or_main_only=True))
    assert [str(r.id) for r in records if isinstance(r, DumpRelease)] == wanted
    assert [r.id for r in records if isinstance(r, SkippedRelease)] == skipped


def test_kind_comes_from_the_root_element_whatever_the_file_is_called(tmp_path):
    renamed = tmp_path / "export.xml.gz"
    renamed.write_bytes(RELEASES_SAMPLE.read_bytes())
    assert detect_kind(renamed) == "releases"
    assert detect_kind(FIXTURES / "single_master.xml") == "masters"
    assert detect_kind(FIXTURES / "single_label.xml") == "labels"


def test_a_file_that_is_not_a_dump_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a Discogs dump"):
        detect_kind(write_dump(tmp_path, "notes.xml", "<notes><note/></notes>"))


def test_a_bad_record_is_reported_with_its_id_and_line_and_reading_goes_on(tmp_path):
    path = write_dump(
        tmp_path,
        "r.xml.gz",
        '<releases>\n<release id="1" status="Accepted"><title>Good</title></release>\n'
        '<release id="x2" status="Accepted"><title>Bad id</title></release>\n'
        '<release id="3" status="Accepted"></release>\n'
        '<release id="4" status="Accepted"><title>Also good</title></release>\n</releases>\n',
    )
    records = list(DumpReader(path))
    assert [r.id for r in records if isinstance(r, DumpRelease)] == [1, 4]
    bad = [r for r in records if isinstance(r, BadRecord)]
    assert [(b.id, b.line) for b in bad] == [("x2", 3), ("3", 4)]
    assert "title" in bad[1].reason


def test_a_truncated_gzip_stops_with_a_reason_after_yielding_the_complete_records(tmp_path):
    cut = tmp_path / "discogs_releases.xml.gz"
    cut.write_bytes(RELEASES_SAMPLE.read_bytes()[: RELEASES_SAMPLE.stat().st_size // 2])
    reader = DumpReader(cut)
    records = list(reader)
    assert 0 < len(records) < 1000
    assert all(isinstance(record, DumpRelease) for record in records)
    assert "truncated" in reader.failure and cut.name in reader.failure


def test_reading_a_large_dump_keeps_memory_flat(tmp_path):
    body = gzip.decompress(RELEASES_SAMPLE.read_bytes()).split(b"\n", 1)[1].rsplit(b"</releases>", 1)[0]
    big = tmp_path / "big_releases.xml.gz"
    with gzip.open(big, "wb", compresslevel=1) as out:
        out.write(b"<releases>\n")
        out.write(body * 2)  # 2,000 releases, 9 MB of XML
        out.write(b"</releases>\n")
    tracemalloc.start()
    count = sum(1 for _ in DumpReader(big))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 2000
    assert peak < 4 * 1024 * 1024  # a few records at a time, never the file nor its tree
