"""CSV import of artists: good rows land, bad rows are reported by line, nothing is dropped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.factories import UserFactory
from catalog import csv_import
from catalog.factories import ArtistFactory
from catalog.models import Artist, IngestionJob
from catalog.tasks import import_artists_csv

pytestmark = pytest.mark.django_db

RADIOHEAD = "a74b1b7f-71a5-4011-9441-d0b5e4122711"
BJORK = "87c5dedd-371d-4a53-9f7f-80522fb7f3cb"

MIXED_FILE = (
    "name,mbid,rating,image_url\n"
    f"Radiohead,{RADIOHEAD},4.5,https://img.example/radiohead.jpg\n"  # line 2
    f"Björk,{BJORK},5,\n"  # line 3
    "radiohead,,3,\n"  # line 4: same artist as line 2
    ",,4,\n"  # line 5
    "Portishead,xyz,,\n"  # line 6
    "Massive Attack,,,ftp://files.example/ma.jpg\n"  # line 7
    "Air,,7,\n"  # line 8
    "Moloko,,,\n"  # line 9
)


def _upload(content, name="artists.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, content.encode(encoding), content_type="text/csv")


def _import(content, **kwargs):
    job = csv_import.create_job(_upload(content, **kwargs), user=None)
    import_artists_csv.delay(job.pk)
    job.refresh_from_db()
    return job


def test_good_rows_are_imported_and_bad_rows_reported_by_line():
    job = _import(MIXED_FILE)
    assert sorted(Artist.objects.values_list("name", flat=True)) == ["Björk", "Moloko", "Radiohead"]
    assert job.errors == [
        {"line": 4, "reason": "duplicate of line 2"},
        {"line": 5, "reason": "empty name"},
        {"line": 6, "reason": "invalid MBID “xyz”"},
        {"line": 7, "reason": "invalid image URL “ftp://files.example/ma.jpg”"},
        {"line": 8, "reason": "rating must be a number between 0 and 5"},
    ]
    assert (job.status, job.total, job.processed, job.created) == (IngestionJob.Status.DONE, 8, 8, 3)


def test_every_row_is_counted_as_created_updated_unchanged_or_error():
    ArtistFactory(name="Moloko", mbid=None, source="lastfm")
    job = _import(MIXED_FILE)
    counted = job.created + job.updated + job.unchanged + len(job.errors)
    assert (job.created, job.updated, job.unchanged, counted) == (2, 1, 0, job.total)


def test_imported_fields_are_stored_from_the_row():
    _import(f"name,mbid,rating,image_url\nRadiohead,{RADIOHEAD.upper()},4.5,https://img.example/r.jpg\n")
    artist = Artist.objects.get()
    assert (str(artist.mbid), artist.rating, artist.image_url, artist.source) == (
        RADIOHEAD,
        4.5,
        "https://img.example/r.jpg",
        "csv",
    )


def test_reimporting_the_same_file_changes_nothing():
    content = f"name,mbid,rating,image\nRadiohead,{RADIOHEAD},4.5,https://img.example/r.jpg\nMoloko,,3,\n"
    _import(content)
    again = _import(content)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 2, [])
    assert Artist.objects.count() == 2


def test_the_task_delivered_twice_imports_once():
    job = _import("name\nRadiohead\n")
    Artist.objects.all().delete()
    assert import_artists_csv.delay(job.pk).get() is False
    assert not Artist.objects.exists()
    job.refresh_from_db()
    assert (job.status, job.created) == (IngestionJob.Status.DONE, 1)


def test_a_file_without_a_name_column_is_refused_before_anything_is_stored():
    with pytest.raises(csv_import.CsvRejected, match="“name” column; found: artist, mbid"):
        csv_import.create_job(_upload("artist,mbid\nRadiohead,\n"), user=None)
    assert not IngestionJob.objects.exists()


def test_a_line_that_is_not_utf8_is_its_error_and_the_utf8_lines_are_imported():
    data = b"name\nAir\n" + "Mötley Crüe\n".encode("latin-1") + "Björk\n".encode()
    job = csv_import.create_job(SimpleUploadedFile("artists.csv", data), user=None)
    import_artists_csv.delay(job.pk)
    job.refresh_from_db()
    assert [e["line"] for e in job.errors] == [3] and "not UTF-8" in job.errors[0]["reason"]
    assert set(Artist.objects.values_list("name", flat=True)) == {"Air", "Björk"}
    assert (job.total, job.processed, job.created) == (3, 3, 2)


def test_a_file_whose_header_is_not_utf8_is_refused():
    with pytest.raises(csv_import.CsvRejected, match="not UTF-8"):
        csv_import.create_job(_upload("námé\nMötley Crüe\n", encoding="latin-1"), user=None)


def test_a_byte_order_mark_and_semicolons_are_accepted():
    job = _import("\ufeffName;MBID;Rating;Image\r\nMötley Crüe;;4,5;\r\nAir;;3;\r\n")
    assert job.errors == [] and job.created == 2
    assert Artist.objects.get(name="Mötley Crüe").rating == 4.5


def test_a_one_column_file_and_names_with_apostrophes_are_read_whole():
    job = _import('name\nGuns N\' Roses\n"Crosby, Stills & Nash"\n')
    assert job.errors == []
    assert set(Artist.objects.values_list("name", flat=True)) == {"Guns N' Roses", "Crosby, Stills & Nash"}


def test_empty_lines_are_not_rows_and_do_not_shift_line_numbers():
    job = _import("name,mbid\n\nRadiohead,\n\n,\n")
    assert job.total == 2
    assert job.errors == [{"line": 5, "reason": "empty name"}]


def test_two_artists_sharing_a_name_with_different_mbids_are_not_duplicates():
    other = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
    job = _import(f"name,mbid\nNirvana,{other}\nNirvana,9282c8b4-ca0b-4c6b-b7e3-4f7762dfc4d6\nNirvana,{other}\n")
    assert job.created == 2
    assert job.errors == [{"line": 4, "reason": "duplicate of line 2"}]


def test_progress_is_written_every_few_rows_while_importing(monkeypatch):
    monkeypatch.setattr(csv_import, "PROGRESS_EVERY", 2)
    job = csv_import.create_job(_upload("name\nA\nB\nC\nD\nE\n"), user=None)
    processed_when_row_starts = []
    real_upsert = csv_import.upsert_artist

    def observing_upsert(name, **fields):
        processed_when_row_starts.append(IngestionJob.objects.get(pk=job.pk).processed)
        return real_upsert(name, **fields)

    monkeypatch.setattr(csv_import, "upsert_artist", observing_upsert)
    import_artists_csv.delay(job.pk)
    assert processed_when_row_starts == [0, 0, 2, 2, 4]
    job.refresh_from_db()
    assert (job.processed, job.progress) == (5, 100)


def test_upload_redirects_to_a_progress_panel_that_reaches_100_percent(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:catalog_ingestionjob_import_csv"), {"file": _upload(MIXED_FILE)})
    job = IngestionJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:catalog_ingestionjob_progress", args=[job.pk])
    page = admin_client.get(response.url).content.decode()
    assert "100%" in page and "8 / 8" in page and "invalid MBID “xyz”" in page
    assert job.created_by == admin_user


def test_the_progress_partial_polls_until_the_job_is_done(admin_client):
    job = csv_import.create_job(_upload("name\nRadiohead\n"), user=None)
    panel_url = reverse("admin:catalog_ingestionjob_progress_panel", args=[job.pk])
    assert 'hx-trigger="every 1s"' in admin_client.get(panel_url, HTTP_HX_REQUEST="true").content.decode()
    import_artists_csv.delay(job.pk)
    finished = admin_client.get(panel_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in finished and "100%" in finished


def test_the_progress_page_without_javascript_shows_the_current_state(admin_client):
    job = csv_import.create_job(_upload("name\nRadiohead\nAir\n"), user=None)
    page = admin_client.get(reverse("admin:catalog_ingestionjob_progress", args=[job.pk])).content.decode()
    assert "Queued" in page and "0 / 2" in page
    assert reverse("admin:catalog_ingestionjob_progress", args=[job.pk]) in page  # a plain reload link


def test_a_file_without_a_name_column_is_refused_in_the_admin_with_a_message(admin_client):
    response = admin_client.post(reverse("admin:catalog_ingestionjob_import_csv"), {"file": _upload("artist\nAir\n")})
    assert response.status_code == 200
    assert "“name” column" in response.content.decode()
    assert not IngestionJob.objects.exists()


def test_the_job_changelist_offers_the_csv_import(admin_client):
    page = admin_client.get(reverse("admin:catalog_ingestionjob_changelist")).content.decode()
    assert reverse("admin:catalog_ingestionjob_import_csv") in page and "Import artists from CSV" in page


def test_the_upload_view_is_for_staff_only(client):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(reverse("admin:catalog_ingestionjob_import_csv"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_progress_page_is_for_staff_only(client):
    job = csv_import.create_job(_upload("name\nAir\n"), user=None)
    client.force_login(UserFactory(is_staff=False))
    for name in ("admin:catalog_ingestionjob_progress", "admin:catalog_ingestionjob_progress_panel"):
        response = client.get(reverse(name, args=[job.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_the_header_settles_the_delimiter_when_names_contain_commas():
    job = _import("name;rating\nCrosby, Stills & Nash;4,5\nEarth, Wind & Fire;4\n")
    assert job.errors == [] and job.created == 2
    assert Artist.objects.get(name="Crosby, Stills & Nash").rating == 4.5


def test_a_very_long_file_name_is_stored_shortened():
    job = _import("name\nAir\n", name="a" * 400 + ".csv")
    assert job.status == IngestionJob.Status.DONE
    assert len(job.name) <= 300 and len(job.upload.name) <= 100
