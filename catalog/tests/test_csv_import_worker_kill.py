"""A real worker running a CSV import is killed twice (its pool child, then all of it); the
import still finishes with every row imported exactly once. PostgreSQL + Redis leg only: the
worker is a separate process that needs a database and a broker it can share with the test."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from catalog import csv_import
from catalog.models import Artist, IngestionJob
from catalog.tasks import import_artists_csv
from vinilogy.celery import app

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ROWS = 6000
LEASE_SECONDS = 3


@pytest.fixture
def broker(settings):
    """This process as a producer on the real broker (the suite runs tasks eagerly otherwise)."""
    settings.JOB_LEASE_SECONDS = LEASE_SECONDS
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=settings.REDIS_URL, task_always_eager=False)
    yield app
    app.conf.update(previous)


@pytest.fixture
def workers(settings, tmp_path):
    """start() → (process, node name) of a prefork worker with one child, on a queue of its own;
    every worker started is killed at the end."""
    queue, started = f"kill-test-{uuid.uuid4().hex[:8]}", []
    env = {**os.environ, **_worker_settings(settings, queue)}
    log = open(tmp_path / "workers.log", "ab")

    def start():
        name = f"{queue}-{len(started)}@{os.uname().nodename}"
        command = [sys.executable, "-m", "celery", "-A", "vinilogy", "worker", "--pool", "prefork", "-c", "1"]
        command += ["-Q", queue, "-n", name, "--without-gossip", "--without-mingle", "-l", "INFO"]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
        started.append(process)
        _wait_until(lambda: _ask(name, "ping"), what=f"worker {name} to answer")
        return process, name

    start.queue = queue
    yield start
    for process in started:
        _kill_all(process)
    log.close()


def _worker_settings(settings, queue):
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return {
        "DJANGO_SETTINGS_MODULE": "vinilogy.settings",  # not test_settings: it forces eager tasks
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_IMPORTS_QUEUE": queue,  # where a restarted worker's resume sends the import
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }


def _ask(name, question):
    return (getattr(app.control.inspect(destination=[name], timeout=1), question)() or {}).get(name)


def _wait_until(condition, *, what, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def _processed(job_id):
    return IngestionJob.objects.values_list("processed", flat=True).get(pk=job_id)


def _kill_all(process):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _job():
    names = "\n".join(f"Artist {n:05d}" for n in range(ROWS))
    return csv_import.create_job(SimpleUploadedFile("big.csv", f"name\n{names}\n".encode()), user=None)


def test_celery_inspect_conf_shows_the_delivery_settings(broker, workers):
    _, name = workers()
    conf = _ask(name, "conf")  # what `celery -A vinilogy inspect conf` prints, in Django's namespace
    assert conf["CELERY_TASK_ACKS_LATE"] is True and conf["CELERY_TASK_REJECT_ON_WORKER_LOST"] is True
    assert conf["CELERY_WORKER_PREFETCH_MULTIPLIER"] == 1
    assert conf["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] > 2 * 3600


def test_an_import_survives_killing_its_pool_child_then_its_whole_worker(broker, workers):
    job = _job()
    worker, name = workers()
    import_artists_csv.apply_async(args=[job.pk], queue=workers.queue)
    first_kill = _wait_until(lambda: _processed(job.pk) >= 200 and _processed(job.pk), what="the import to start")
    child = _ask(name, "stats")["pool"]["processes"][0]
    os.kill(child, signal.SIGKILL)  # the message goes back to the queue (reject_on_worker_lost)
    _wait_until(lambda: _processed(job.pk) >= first_kill + 500, what="a new child to resume the import")
    _kill_all(worker)  # the message stays unacked in Redis; nobody will deliver it for hours
    stopped_at = _processed(job.pk)
    assert stopped_at < ROWS, "the import finished before the worker could be killed: raise ROWS"

    workers()  # a restarted worker resumes what a dead one left running
    _wait_until(
        lambda: IngestionJob.objects.filter(pk=job.pk, status=IngestionJob.Status.DONE).exists(),
        what="the resumed import to finish",
    )
    job.refresh_from_db()
    assert (job.total, job.processed, job.created, job.updated, job.unchanged, job.errors) == (ROWS, ROWS, ROWS, 0, 0, [])
    assert Artist.objects.count() == ROWS
    assert Artist.objects.values("normalized_name").distinct().count() == ROWS
