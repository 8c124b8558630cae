"""The Discogs collection CSV import on hostile files: bad lines are errors, good rows land."""

import pytest

from accounts import collection_import
from accounts.factories import UserFactory
from accounts.models import CollectionItem

from .test_discogs_csv import HEADER


def _row(release_id, artist="Air", title="Moon Safari"):
    return f"A1,{artist},{title},Source,LP,,1998,{release_id},Uncategorized,2020-01-01 10:00:00,,,"


def _file(*lines: str | bytes) -> bytes:
    return b"\n".join(line if isinstance(line, bytes) else line.encode() for line in (HEADER, *lines))


def _import(data):
    user = UserFactory()
    return user, collection_import.import_file(user, data)


def _accounted(job):
    return job.stored + job.taste_only + job.known + job.refused


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad_line, reason",
    [
        (_row(10, artist="Bad \x00 Artist"), "NUL byte"),
        (_row(10, title="Tab\tok but bell \x07 not"), "control character"),
        (_row(10, artist="Mötley Crüe").encode("latin-1"), "not UTF-8"),
        (_row(10, title="x" * 200_000), "longer than 131072 characters"),
        (_row(2**63), "larger than any id can be"),
        (_row("١٢"), "must be a Discogs release number"),
        (_row(10, title="y" * 501), "Title is longer than 500 characters"),
        (_row(10, artist="z" * 301), "Artist is longer than 300 characters"),
    ],
)
def test_a_bad_line_is_reported_with_its_number_and_the_good_rows_imported(bad_line, reason):
    user, result = _import(_file(_row(11), bad_line, _row(12, artist="Moloko")))
    assert [error["line"] for error in result.errors] == [3] and reason in result.errors[0]["reason"]
    assert set(CollectionItem.objects.filter(user=user).values_list("release__discogs_id", flat=True)) == {11, 12}
    assert result.total == _accounted(result) == 3


@pytest.mark.django_db
def test_an_unclosed_quote_does_not_swallow_the_rows_after_it():
    broken = 'A2,Broken,"Never Closed,Source,LP,,1998,20,Uncategorized,2020-01-01 10:00:00,,,'
    quoted = 'A3,Portishead,Dummy,Go! Beat,"LP, Album",,1994,21,Uncategorized,2020-01-01 10:00:00,,,'
    user, result = _import(_file(_row(11), broken, _row(12), quoted))
    assert [error["line"] for error in result.errors] == [3]
    assert "never closed" in result.errors[0]["reason"]
    assert CollectionItem.objects.filter(user=user).count() == 3
    assert result.total == _accounted(result) == 4


@pytest.mark.django_db
def test_a_repeated_release_is_known_and_another_format_kept_as_taste_only():
    cd = 'A4,Nirvana,Bleach,Sub Pop,"CD, Album",,1989,30,Uncategorized,2020-01-01 10:00:00,,,'
    _, result = _import(_file(_row(11), _row(11), cd, _row("abc")))
    assert (result.stored, result.known, result.taste_only, result.refused) == (1, 1, 1, 1)
    assert result.total == _accounted(result) == 4
