"""The listener's Discogs CSV import as a job: what the page says is what the database holds,
for big files on both databases, on a second upload, on bad lines, and after a run that died."""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import collection_import
from accounts.factories import UserFactory
from accounts.models import CollectionImport, CollectionItem, ListeningSnapshot, SeedArtist
from catalog import job_lease

from .test_discogs_csv import HEADER

pytestmark = pytest.mark.django_db

ARTISTS = 2_000  # about 50 records an artist, as a large real collection has


def _generated(path, rows, *, title_pad=0, cd_every=10, repeat_every=1000, bad_every=5000):
    """A Discogs export of `rows` records: every `cd_every`th a CD (taste only), every
    `repeat_every`th repeats the release before it, every `bad_every`th a release id that is no
    number. Returns the counts the import must report (stored, taste_only, known, refused), and
    keeps in `counts.artists` the artists of the rows it stores (the seeds it must make)."""
    counts = _Counts(stored=0, taste_only=0, known=0, refused=0)
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for i in range(1, rows + 1):
            release_id = 1_000_000 + i
            if i % bad_every == 0:
                release_id, kind = f"x{i}", "refused"
            elif i % repeat_every == 0:
                release_id, kind = 1_000_000 + i - 1, "known"
            elif i % cd_every == 0:
                kind = "taste_only"
            else:
                kind = "stored"
            counts[kind] += 1
            if kind in ("stored", "taste_only"):
                counts.artists.add(i % ARTISTS)
            fmt = "CD" if i % cd_every == 0 and kind == "taste_only" else "LP"
            out.write(f",Artist {i % ARTISTS},Album {i}{'x' * title_pad},,{fmt},,,{release_id},,,,,\n")
    return counts


class _Counts(dict):
    def __init__(self, **counts):
        super().__init__(**counts)
        self.artists = set()


def _upload(client, path):
    with open(path, "rb") as data:
        upload = SimpleUploadedFile("collection.csv", data.read(), "text/csv")
    return client.post(reverse("accounts:collection_csv"), {"file": upload})


def _assert_page_equals_database(job, expected, listener):
    """The job's counts are the file's, and the database holds exactly the rows they claim."""
    assert (job.stored, job.taste_only, job.known, job.refused) == tuple(expected.values())
    assert job.stored + job.taste_only + job.known + job.refused == job.total == sum(expected.values())
    assert CollectionItem.objects.filter(user=listener, source="discogs_csv").count() == job.stored
    releases = ListeningSnapshot.objects.get(user=listener, source="discogs_csv").payload["releases"]
    assert len(releases) == job.stored + job.taste_only


def _report(label, rows, job, seconds, connection):
    """The figures of the issue's closing note (shown with pytest -s)."""
    ran = (job.finished_at - job.started_at).total_seconds()
    print(
        f"\n{label} on {connection.vendor}: {rows} rows in; {job.stored} vinyl records stored, {job.taste_only} taste only, "
        f"{job.known} known, {job.refused} refused; {CollectionItem.objects.count()} collection items in the database; "
        f"task {ran:.1f}s, upload to done {seconds:.1f}s"
    )


def test_a_100000_row_file_imports_completely_and_the_page_says_what_the_database_holds(client, listener, tmp_path):
    from django.db import connection

    path = tmp_path / "collection.csv"
    expected = _generated(path, 100_000)
    assert path.stat().st_size < 5 * 1024 * 1024
    started = time.monotonic()
    response = _upload(client, path)
    seconds = time.monotonic() - started
    assert response.status_code == 302
    job = CollectionImport.objects.get(user=listener)
    assert job.status == job.Status.DONE
    _assert_page_equals_database(job, expected, listener)
    assert SeedArtist.objects.filter(user=listener, source="discogs_csv").count() == len(expected.artists)
    _report("100,000-row file", 100_000, job, seconds, connection)
    html = client.get(response["Location"]).content.decode()
    assert "100000 of 100000 rows read" in html
    assert f"{expected['stored']} vinyl records stored in your collection" in html

    started = time.monotonic()
    again = client.get(_upload(client, path)["Location"]).content.decode()
    second = CollectionImport.objects.filter(user=listener).first()
    assert (second.stored, second.known, second.changed) == (0, expected["stored"] + expected["known"], False)
    assert CollectionItem.objects.filter(user=listener).count() == expected["stored"]
    assert "Nothing changed: your collection already held this file." in again
    _report("the same file again", 100_000, second, time.monotonic() - started, connection)


def test_a_5_mb_file_imports_completely(client, listener, tmp_path):
    from django.db import connection

    path = tmp_path / "collection.csv"
    expected = _generated(path, 40_000, title_pad=86)
    assert 4.9 * 1024 * 1024 < path.stat().st_size < 5 * 1024 * 1024
    started = time.monotonic()
    _upload(client, path)
    job = CollectionImport.objects.get(user=listener)
    assert job.status == job.Status.DONE
    _assert_page_equals_database(job, expected, listener)
    _report(f"{path.stat().st_size / 1024 / 1024:.2f} MB file", 40_000, job, time.monotonic() - started, connection)


def test_uploading_the_same_file_again_changes_nothing_and_says_so(client, listener, tmp_path):
    path = tmp_path / "collection.csv"
    expected = _generated(path, 3_000)
    _upload(client, path)
    items = list(CollectionItem.objects.filter(user=listener).order_by("pk").values_list("pk", "release_id", "rating"))
    seeds = list(SeedArtist.objects.filter(user=listener).order_by("pk").values_list("pk", "weight"))

    response = _upload(client, path)
    again = CollectionImport.objects.filter(user=listener).first()
    assert again.status == again.Status.DONE and not again.changed
    assert (again.stored, again.known) == (0, expected["stored"] + expected["known"])
    assert list(CollectionItem.objects.filter(user=listener).order_by("pk").values_list("pk", "release_id", "rating")) == items
    assert list(SeedArtist.objects.filter(user=listener).order_by("pk").values_list("pk", "weight")) == seeds
    assert "Nothing changed: your collection already held this file." in client.get(response["Location"]).content.decode()


def test_a_malformed_file_lists_its_bad_lines_and_keeps_the_good_rows(client, listener, tmp_path):
    path = tmp_path / "collection.csv"
    expected = _generated(path, 2_000, bad_every=500)
    response = _upload(client, path)
    job = CollectionImport.objects.get(user=listener)
    _assert_page_equals_database(job, expected, listener)
    assert [error["line"] for error in job.errors] == [501, 1001, 1501, 2001]
    html = client.get(response["Location"]).content.decode()
    assert "Line 501: release_id must be a Discogs release number" in html and "4 lines refused" in html
    assert "were imported" not in html


def test_the_upload_answers_with_the_progress_page_before_the_rows_are_read(client, listener, tmp_path, settings):
    """Inside the request the job is only stored; the rows are read after the response."""
    path = tmp_path / "collection.csv"
    _generated(path, 10)
    seen_in_request = []
    original = collection_import.start

    def start_and_look(user, upload):
        job = original(user, upload)
        seen_in_request.append((job.status, CollectionItem.objects.filter(user=user).count()))
        return job

    collection_import.start = start_and_look
    try:
        response = _upload(client, path)
    finally:
        collection_import.start = original
    job = CollectionImport.objects.get(user=listener)
    assert response["Location"] == reverse("accounts:collection_csv_job", args=[job.pk])
    assert seen_in_request == [("queued", 0)]
    assert job.status == "done"


class Killed(BaseException):
    """The worker's process dies: nothing of ours catches it, the open batch is rolled back."""


def _killed_in_batch(monkeypatch, job, batch_number):
    """Run the job until its process dies while applying batch `batch_number`, then let the
    lease run out, as it does for a dead worker."""
    applied, real_apply = [], collection_import._apply

    def dies(run, batch):
        applied.append(len(batch))
        real_apply(run, batch)
        if len(applied) == batch_number:
            raise Killed

    monkeypatch.setattr(collection_import, "_apply", dies)
    with pytest.raises(Killed):
        collection_import.run_import(job.pk)
    monkeypatch.setattr(collection_import, "_apply", real_apply)
    job.refresh_from_db()


def _lease_runs_out(job):
    CollectionImport.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))


def test_a_run_killed_midway_resumes_to_the_same_counts_with_every_row_once(tmp_path, monkeypatch):
    path = tmp_path / "collection.csv"
    expected = _generated(path, 10_000)
    user = UserFactory()
    job = collection_import.create_job(user, "collection.csv", path.read_bytes())
    _killed_in_batch(monkeypatch, job, 4)
    assert (job.status, job.processed) == ("running", 3 * collection_import.BATCH_SIZE)  # the fourth rolled back
    assert CollectionItem.objects.filter(user=user).count() == job.stored
    assert not ListeningSnapshot.objects.filter(user=user).exists()
    with pytest.raises(job_lease.LeaseHeld):
        collection_import.run_import(job.pk)  # its lease is still live: a second runner waits

    _lease_runs_out(job)
    assert collection_import.run_import(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    _assert_page_equals_database(job, expected, user)
    assert not collection_import.run_import(job.pk)  # a late redelivery does nothing


def test_the_progress_page_restarts_a_run_whose_lease_ran_out(client, listener, tmp_path, monkeypatch):
    path = tmp_path / "collection.csv"
    expected = _generated(path, 2_500)
    job = collection_import.create_job(listener, "collection.csv", path.read_bytes())
    _killed_in_batch(monkeypatch, job, 1)
    _lease_runs_out(job)

    client.get(reverse("accounts:collection_csv_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    job.refresh_from_db()
    assert job.status == "done"
    _assert_page_equals_database(job, expected, listener)


def test_a_failed_run_claims_only_the_rows_it_stored(tmp_path, monkeypatch):
    path = tmp_path / "collection.csv"
    _generated(path, 3_000)
    user = UserFactory()
    job = collection_import.create_job(user, "collection.csv", path.read_bytes())
    real_apply, calls = collection_import._apply, []

    def database_goes_away(run, batch):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("connection lost")
        real_apply(run, batch)

    monkeypatch.setattr(collection_import, "_apply", database_goes_away)
    collection_import.run_import(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "upload the file again" in job.message
    assert job.processed == collection_import.BATCH_SIZE
    assert CollectionItem.objects.filter(user=user).count() == job.stored
    assert not ListeningSnapshot.objects.filter(user=user).exists()


def test_a_file_that_is_not_an_export_leaves_no_trace(client, listener):
    upload = SimpleUploadedFile("people.csv", b"name,age\nana,3\n", "text/csv")
    response = client.post(reverse("accounts:collection_csv"), {"file": upload})
    assert response.status_code == 400 and "Line 1: not a Discogs collection export" in response.content.decode()
    assert not CollectionImport.objects.exists()


def test_the_periodic_resume_restarts_a_dead_run_and_leaves_a_live_one(tmp_path, monkeypatch):
    from accounts.tasks import resume_abandoned_collection_imports

    path = tmp_path / "collection.csv"
    expected = _generated(path, 1_500)
    user = UserFactory()
    job = collection_import.create_job(user, "collection.csv", path.read_bytes())
    _killed_in_batch(monkeypatch, job, 1)
    assert resume_abandoned_collection_imports() == 0  # its lease is live: the runner may be alive

    _lease_runs_out(job)
    assert resume_abandoned_collection_imports() == 1
    job.refresh_from_db()
    assert job.status == "done"
    _assert_page_equals_database(job, expected, user)


def test_the_uploaded_file_is_deleted_once_the_job_ends_and_with_the_account(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    path = tmp_path / "collection.csv"
    _generated(path, 20)
    user = UserFactory()
    done = collection_import.import_file(user, path.read_bytes())
    assert not done.upload and not list(settings.MEDIA_ROOT.rglob("*.csv"))

    running = collection_import.create_job(user, "other.csv", path.read_bytes() + b"\n")
    assert list(settings.MEDIA_ROOT.rglob("*.csv")) == [Path(running.upload.path)]
    with django_capture_on_commit_callbacks(execute=True):
        user.delete()
    assert not CollectionImport.objects.exists() and not list(settings.MEDIA_ROOT.rglob("*.csv"))
