"""The Discogs collection CSV export: parsing with line-numbered errors, and importing it."""

from datetime import UTC, datetime

import pytest

from accounts import collection_import
from accounts.discogs_csv import parse_collection_csv
from accounts.factories import UserFactory
from accounts.models import CollectionItem, SeedArtist
from catalog.factories import AlbumFactory, ArtistFactory
from catalog.models import Release

HEADER = (
    "Catalog#,Artist,Title,Label,Format,Rating,Released,release_id,CollectionFolder,Date Added,"
    "Collection Media Condition,Collection Sleeve Condition,Collection Notes"
)
# Rows shaped like Discogs writes them: quoted formats with inches, a trailing empty field,
# year 0 for unknown, " (2)" artist suffixes, a custom-field column at the end.
EXPORT = "\n".join(
    [
        HEADER,
        'NODATA 02,Radiohead,OK Computer,Parlophone,"2xLP, Album, RE",5,1997,1187391,Uncategorized,2021-03-04 18:22:10,Near Mint (NM or M-),Very Good Plus (VG+),',
        'WAP 46,Nirvana (2),Bleach,Sub Pop,"CD, Album",,0,367084,Uncategorized,2020-11-12 12:24:52,,,',
        'GOD 015,Portishead,"Sour Times",Go! Discs,"7"", Single",3,1994,2541,Singles,2019-01-02 09:00:00,,,"first ""pressing"""',
    ]
)


def test_good_rows_are_parsed_field_by_field():
    parsed = parse_collection_csv(EXPORT.encode())
    assert parsed.errors == []
    first = parsed.rows[0]
    assert (first.line, first.release_id, first.artist, first.title) == (2, 1187391, "Radiohead", "OK Computer")
    assert (first.label, first.catalog_number, first.format, first.rating, first.year) == (
        "Parlophone",
        "NODATA 02",
        "2xLP, Album, RE",
        5,
        1997,
    )
    assert first.folder == "Uncategorized"
    assert first.added_at == datetime(2021, 3, 4, 18, 22, 10, tzinfo=UTC)


def test_unknown_year_and_rating_are_none():
    nirvana = parse_collection_csv(EXPORT).rows[1]
    assert nirvana.year is None and nirvana.rating is None


@pytest.mark.parametrize("index, vinyl", [(0, True), (1, False), (2, True)])
def test_vinyl_formats_are_recognised(index, vinyl):
    assert parse_collection_csv(EXPORT).rows[index].is_vinyl is vinyl


def test_bad_rows_are_reported_by_line_and_good_rows_kept():
    text = "\n".join(
        [
            HEADER,
            "A1,Good,Record,Lab,LP,,1999,11,Uncategorized,2020-01-01 10:00:00,,,",
            "A2,Bad,Id,Lab,LP,,1999,abc,Uncategorized,2020-01-01 10:00:00,,,",
            'A3,Multi,"Line',
            'Title",Lab,LP,9,1999,12,Uncategorized,2020-01-01 10:00:00,,,',
            "A4,,No Artist,Lab,LP,,1999,13,Uncategorized,2020-01-01 10:00:00,,,",
            "A5,Late,Date,Lab,LP,,1999,14,Uncategorized,yesterday,,,",
            "A6,Too,Many,Lab,LP,,1999,15,Uncategorized,2020-01-01 10:00:00,,,,surplus,fields",
            "A7,Also,Good,Lab,LP,,2001,16,Uncategorized,2020-01-01,,,",
        ]
    )
    parsed = parse_collection_csv(text)
    assert [row.release_id for row in parsed.rows] == [11, 16]
    assert [(e.line, e.reason) for e in parsed.errors] == [
        (3, "release_id must be a Discogs release number, not “abc”"),
        (4, "Rating must be a whole number from 0 to 5, not “9”"),
        (6, "the Artist and Title columns must not be empty"),
        (7, "Date Added must look like 2020-11-12 12:24:52, not “yesterday”"),
        (8, "2 more fields than the header has columns"),
    ]
    assert parsed.rows[1].line == 9


def test_a_file_that_is_not_an_export_is_one_error():
    parsed = parse_collection_csv("name,year\nRadiohead,1997\n")
    assert parsed.rows == []
    assert [(e.line, e.reason) for e in parsed.errors] == [
        (1, "not a Discogs collection export: the release_id, Artist, Title columns are missing")
    ]


def test_a_byte_order_mark_and_windows_line_ends_are_fine():
    parsed = parse_collection_csv(("\ufeff" + EXPORT.replace("\n", "\r\n")).encode("utf-8"))
    assert len(parsed.rows) == 3 and parsed.errors == []


def test_a_release_listed_twice_is_kept_once():
    parsed = parse_collection_csv(EXPORT + "\n" + EXPORT.splitlines()[1])
    assert len(parsed.rows) == 3 and parsed.duplicates == 1


# --- importing -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_importing_creates_vinyl_pressings_and_collection_items():
    user = UserFactory()
    result = collection_import.import_file(user, EXPORT.encode())
    assert (result.stored, result.taste_only, result.errors) == (2, 1, [])
    assert set(CollectionItem.objects.filter(user=user).values_list("release__discogs_id", flat=True)) == {1187391, 2541}
    item = CollectionItem.objects.get(user=user, release__discogs_id=1187391)
    assert (item.folder, item.source, item.rating) == ("collection", "discogs_csv", 5)
    release = Release.objects.get(discogs_id=1187391)
    assert (release.title, release.artist_credit, release.catalog_number, release.year) == (
        "OK Computer",
        "Radiohead",
        "NODATA 02",
        1997,
    )
    assert not Release.objects.filter(discogs_id=367084).exists()  # a CD is not a pressing we list


@pytest.mark.django_db
def test_every_artist_of_the_export_becomes_a_seed_even_on_cd():
    user = UserFactory()
    collection_import.import_file(user, EXPORT)
    names = set(SeedArtist.objects.filter(user=user, source="discogs_csv").values_list("artist__name", flat=True))
    assert names == {"Radiohead", "Nirvana", "Portishead"}


@pytest.mark.django_db
def test_an_imported_pressing_is_linked_to_its_album_by_artist_and_title():
    radiohead = ArtistFactory(name="Radiohead")
    album = AlbumFactory(artist=radiohead, title="OK Computer")
    collection_import.import_file(UserFactory(), EXPORT)
    assert Release.objects.get(discogs_id=1187391).album == album


@pytest.mark.django_db
def test_importing_the_same_export_again_changes_nothing():
    user = UserFactory()
    collection_import.import_file(user, EXPORT)
    again = collection_import.import_file(user, EXPORT)
    assert not again.changed
    assert CollectionItem.objects.filter(user=user).count() == 2


@pytest.mark.django_db
def test_bad_rows_are_reported_and_the_good_ones_imported():
    user = UserFactory()
    text = EXPORT + "\nX,Broken,Row,Lab,LP,,1999,not-a-number,Uncategorized,2020-01-01,,,"
    result = collection_import.import_file(user, text)
    assert result.errors == [{"line": 5, "reason": "release_id must be a Discogs release number, not “not-a-number”"}]
    assert result.stored == 2
    assert "1 line refused" in result.message
