"""A real worker running a Discogs dump import is killed twice (its pool child, then all of
it); the import still finishes with every record written once. The same harness as the CSV
import's kill test (PostgreSQL + Redis leg only); a small batch size makes the sample dumps
long enough to kill mid-way."""

import os
import signal

import pytest

from catalog.dump_import import create_dump_job
from catalog.models import Artist, IngestionJob, Release
from catalog.tasks import import_discogs_dump

from .test_csv_import_worker_kill import _ask, _kill_all, _wait_until, broker, workers  # noqa: F401 (fixtures)
from .test_discogs_dump_import import ARTISTS_SAMPLE
from .test_discogs_dump_parser import RELEASES_SAMPLE

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

BATCH = 5
FILES = (ARTISTS_SAMPLE, RELEASES_SAMPLE)


def _records(job_id):
    stats = IngestionJob.objects.values_list("stats", flat=True).get(pk=job_id)
    return sum(stats.get(f"resume.{path.name}.records", 0) for path in FILES)


def test_a_dump_import_survives_killing_its_pool_child_then_its_whole_worker(broker, workers):
    job = create_dump_job(list(FILES))
    worker, name = workers()
    import_discogs_dump.apply_async(args=[job.pk], kwargs={"batch_size": BATCH}, queue=workers.queue)
    first_kill = _wait_until(lambda: _records(job.pk) >= 100 and _records(job.pk), what="the import to start")
    os.kill(_ask(name, "stats")["pool"]["processes"][0], signal.SIGKILL)
    _wait_until(lambda: _records(job.pk) >= first_kill + 100, what="a new child to resume the import")
    _kill_all(worker)
    job.refresh_from_db()
    assert job.status == IngestionJob.Status.RUNNING, "the import finished before the worker was killed: lower BATCH"

    workers()  # a restarted worker resumes what a dead one left running
    _wait_until(
        lambda: IngestionJob.objects.filter(pk=job.pk, status=IngestionJob.Status.DONE).exists(),
        what="the resumed import to finish",
    )
    job.refresh_from_db()
    read = job.stats["artists.read"]
    assert (job.stats["artists.created"], job.stats["artists.unchanged"], job.errors) == (read, 0, [])
    assert Artist.objects.count() == read and job.stats["releases.read"] == 1000
    assert job.stats["releases.created"] == Release.objects.count() and job.stats["releases.unchanged"] == 0
    assert job.processed == job.total
