"""The artist CSV import on hostile files: each bad line is an error at its line, the rest land."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog import csv_import
from catalog.models import Artist
from catalog.tasks import import_artists_csv

pytestmark = pytest.mark.django_db

HUGE = "x" * 200_000  # over the csv module's default field limit (131072)


def _import(data: bytes):
    job = csv_import.create_job(SimpleUploadedFile("artists.csv", data), user=None)
    import_artists_csv.delay(job.pk)
    job.refresh_from_db()
    return job


def _names():
    return set(Artist.objects.values_list("name", flat=True))


def _counted(job):
    return job.created + job.updated + job.unchanged + len(job.errors)


@pytest.mark.parametrize(
    "bad_line, reason",
    [
        (b"Bad \x00 Artist", "NUL byte"),
        (b"Bell \x07 Artist", "control character"),
        ("Mötley Crüe".encode("latin-1"), "not UTF-8"),
        (HUGE.encode(), "longer than 131072 characters"),
    ],
)
def test_a_bad_line_is_reported_with_its_number_and_the_others_imported(bad_line, reason):
    job = _import(b"name,rating\nAir,4\n" + bad_line + b",3\nBjork,5\n")
    assert len(job.errors) == 1 and job.errors[0]["line"] == 3 and reason in job.errors[0]["reason"]
    assert _names() == {"Air", "Bjork"}
    assert job.total == job.processed == _counted(job) == 3


def test_an_unclosed_quote_is_its_lines_error_and_does_not_swallow_the_next_lines():
    job = _import(b'name,rating\nAir,4\n"Broken,3\nBjork,5\nMoloko,2\n')
    assert job.errors == [{"line": 3, "reason": "a quote in this line is never closed (or has text right after it)"}]
    assert _names() == {"Air", "Bjork", "Moloko"}
    assert job.total == _counted(job) == 4


def test_an_unclosed_quote_that_pairs_with_a_later_one_is_still_its_lines_error():
    job = _import(b'name,rating\n"Broken,3\nBjork,5\n"Moloko",2\nAir,1\n')
    assert [error["line"] for error in job.errors] == [2]
    assert _names() == {"Bjork", "Moloko", "Air"}
    assert job.total == _counted(job) == 4


def test_a_quoted_name_spanning_lines_is_refused_as_one_row():
    job = _import(b'name,rating\n"Two\nLines",3\nAir,4\n')
    assert job.errors == [{"line": 2, "reason": "name spans several lines (is a quote left open?)"}]
    assert _names() == {"Air"}
