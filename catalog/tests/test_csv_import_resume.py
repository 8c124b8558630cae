"""A CSV import whose runner died resumes after its last committed row: every row once."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog import csv_import, job_lease
from catalog.models import Artist, IngestionJob
from catalog.tasks import import_artists_csv

pytestmark = pytest.mark.django_db

ROWS = ["name", "A", "B", "C", "A", "D", "E", "", "F", "G"]  # line 5 repeats line 2


class WorkerDied(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the import catches it."""


def _job():
    return csv_import.create_job(SimpleUploadedFile("artists.csv", "\n".join(ROWS).encode()), user=None)


def _die_on_row(monkeypatch, row_number):
    """The import process dies as it starts its `row_number`-th upsert of this run."""
    real, calls = csv_import.upsert_artist, []

    def upsert(name, **fields):
        calls.append(name)
        if len(calls) == row_number:
            raise WorkerDied
        return real(name, **fields)

    monkeypatch.setattr(csv_import, "upsert_artist", upsert)


def _run_until_death(monkeypatch, job, row_number):
    _die_on_row(monkeypatch, row_number)
    with pytest.raises(WorkerDied):
        import_artists_csv.delay(job.pk)
    monkeypatch.undo()
    job.refresh_from_db()
    return job


def _expire_lease(job):
    IngestionJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    monkeypatch.setattr(csv_import, "PROGRESS_EVERY", 2)


def test_a_dead_run_leaves_its_committed_batches_and_loses_only_the_batch_it_was_in(monkeypatch):
    job = _run_until_death(monkeypatch, _job(), row_number=4)  # batches [A B] [C A] done, dies on D
    assert (job.status, job.processed, job.created, len(job.errors)) == (IngestionJob.Status.RUNNING, 4, 3, 1)
    assert set(Artist.objects.values_list("name", flat=True)) == {"A", "B", "C"}


def test_a_redelivery_while_the_dead_runners_lease_is_live_is_told_to_wait(monkeypatch):
    job = _run_until_death(monkeypatch, _job(), row_number=4)
    with pytest.raises(job_lease.LeaseHeld):
        csv_import.run_import(job.pk)


def test_after_the_lease_runs_out_the_job_resumes_and_imports_every_row_once(monkeypatch):
    job = _run_until_death(monkeypatch, _job(), row_number=4)
    _expire_lease(job)
    assert import_artists_csv.delay(job.pk).get() is True
    job.refresh_from_db()
    assert sorted(Artist.objects.values_list("name", flat=True)) == ["A", "B", "C", "D", "E", "F", "G"]
    assert (job.status, job.total, job.processed, job.created, job.updated, job.unchanged) == (
        IngestionJob.Status.DONE,
        8,
        8,
        7,
        0,
        0,
    )
    assert job.errors == [{"line": 5, "reason": "duplicate of line 2"}]
    assert (job.lease_owner, job.lease_expires_at) == ("", None)


def test_a_duplicate_of_a_row_imported_before_the_death_is_still_reported(monkeypatch):
    job = _run_until_death(monkeypatch, _job(), row_number=3)  # dies on C: only [A B] committed
    _expire_lease(job)
    import_artists_csv.delay(job.pk)
    job.refresh_from_db()
    assert job.errors == [{"line": 5, "reason": "duplicate of line 2"}]
    assert job.created == 7


def test_a_job_running_from_before_leases_existed_is_resumed_not_stranded():
    job = _job()
    IngestionJob.objects.filter(pk=job.pk).update(status=IngestionJob.Status.RUNNING, lease_expires_at=None)
    assert import_artists_csv.delay(job.pk).get() is True
    assert Artist.objects.count() == 7


def test_a_runner_whose_lease_was_taken_stops_without_writing(monkeypatch):
    job = _job()
    assert job_lease.claim(job.pk, "first")
    _expire_lease(job)
    assert job_lease.claim(job.pk, "second")
    with pytest.raises(job_lease.LeaseLost):
        job_lease.renew(job.pk, "first", processed=99)
    job.refresh_from_db()
    assert (job.lease_owner, job.processed) == ("second", 0)
