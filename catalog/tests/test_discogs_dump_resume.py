"""A Discogs dump import whose runner died resumes after the last batch it committed, under
the same lease rule as the CSV import (catalog.job_lease): every record is written once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog import job_lease, tasks
from catalog.dump_import import create_dump_job, import_dump_files, run_dump_job
from catalog.models import Artist, IngestionJob, Release

from .test_discogs_dump_import import ALL_SAMPLES, ARTISTS_SAMPLE
from .test_discogs_dump_parser import RELEASES_SAMPLE

pytestmark = pytest.mark.django_db

BATCH = 100
RELEASES_KEY = f"resume.{RELEASES_SAMPLE.name}.records"


class Killed(BaseException):
    """The runner's process dies: none of our handlers run, the open transaction is lost."""


def die_in_third_releases_batch(consumed):
    """on_progress, called inside each batch's transaction: the third batch of releases never commits."""
    if Release.objects.exists():
        die_in_third_releases_batch.batches += 1
        if die_in_third_releases_batch.batches == 3:
            raise Killed


def interrupted_job():
    """A job left "running" by a dead runner whose lease has run out, two release batches in."""
    job = create_dump_job(ALL_SAMPLES)
    die_in_third_releases_batch.batches = 0
    with pytest.raises(Killed):
        run_dump_job(job.pk, batch_size=BATCH, on_progress=die_in_third_releases_batch)
    IngestionJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    return IngestionJob.objects.get(pk=job.pk)


def test_an_interrupted_dump_import_resumes_and_writes_every_record_once():
    job = interrupted_job()
    assert job.status == IngestionJob.Status.RUNNING and job.stats[RELEASES_KEY] == 2 * BATCH
    committed = Release.objects.count()
    assert committed > 0

    assert run_dump_job(job.pk, batch_size=BATCH)

    job.refresh_from_db()
    clean = import_dump_files(ALL_SAMPLES, batch_size=BATCH)  # the same files again: all known
    assert job.status == IngestionJob.Status.DONE and (job.lease_owner, job.lease_expires_at) == ("", None)
    assert job.stats["releases.read"] == 1000 and job.stats[RELEASES_KEY] == 1000
    # Created once each, none met again: the resumed run skipped what the dead one committed.
    assert job.stats["releases.created"] == Release.objects.count() == clean.stats["releases.unchanged"]
    assert job.stats["releases.unchanged"] == 0 and job.stats["artists.unchanged"] == 0
    assert job.stats["artists.read"] == clean.stats["artists.read"] and clean.stats["artists.created"] == 0
    assert job.processed == job.total and job.errors == []
    assert Release.objects.values("discogs_id").distinct().count() == Release.objects.count()


def test_a_live_lease_keeps_a_second_runner_out():
    job = create_dump_job([ARTISTS_SAMPLE])
    assert job_lease.claim(job.pk, "the-live-runner")

    with pytest.raises(job_lease.LeaseHeld):
        run_dump_job(job.pk)
    assert not Artist.objects.exists()


def test_a_finished_dump_job_delivered_again_does_nothing():
    job = import_dump_files([ARTISTS_SAMPLE])
    artists = Artist.objects.count()

    assert tasks.import_discogs_dump.delay(job.pk).get() is False
    assert Artist.objects.count() == artists


def test_abandoned_dump_imports_are_resumed_by_the_beat_task():
    job = interrupted_job()

    assert tasks.resume_abandoned_imports.delay().get() == 1  # eager: the task runs it at once

    job.refresh_from_db()
    assert job.status == IngestionJob.Status.DONE and job.stats["releases.read"] == 1000


def test_the_command_resumes_a_job_by_id(capsys):
    job = interrupted_job()

    call_command("import_discogs_dump", "--resume", str(job.pk), "--batch-size", str(BATCH))

    assert capsys.readouterr().out.startswith("Done: ")
    assert IngestionJob.objects.get(pk=job.pk).stats["releases.read"] == 1000
