"""Short tasks and long tasks live on queues of two classes, each served by workers with the
visibility timeout of its longest task: a short task lost with its worker is redelivered in
minutes, a running import is never handed to a second worker."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
import warnings

import pytest
import redis
from celery import Celery
from celery.exceptions import AlwaysEagerIgnored
from django.conf import settings
from kombu import Connection

from vinilogy.celery import app, visibility_of_served_queues
from vinilogy.celery_policy import queue_class, worker_transport_options

SHORT, LONG = (settings.CELERY_QUEUE_CLASSES[name] for name in ("short", "long"))


@pytest.fixture
def all_tasks():
    """Every app's tasks, found as a worker finds them at start-up (test tasks left out)."""
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith(("celery.", "vinilogy.tests."))}


def _queue_of(task):
    queue = getattr(task, "queue", None)
    options = {"queue": queue} if queue else {}
    return app.amqp.router.route(options, task.name)["queue"].name


def test_a_worker_serving_only_short_queues_gets_the_short_timeout_and_its_own_unacked_keys():
    options = worker_transport_options(["default", "musicbrainz", "discogs", "lastfm"])
    assert options["visibility_timeout"] == SHORT["visibility_timeout"]
    assert (options["unacked_key"], options["unacked_index_key"]) == ("unacked:short", "unacked_index:short")
    assert options["unacked_restore_throttle"] == 1  # a sweep every 10 s, not every ~100 s
    assert options["queue_order_strategy"] == "priority"  # the shared options are kept


@pytest.mark.parametrize("queues", [["imports"], ["model"], ["default", "imports"], ["a-test-queue"], []])
def test_a_worker_serving_any_long_or_unknown_queue_gets_the_long_timeout_and_the_default_keys(queues):
    options = worker_transport_options(queues)
    assert queue_class(queues) == "long"
    assert options["visibility_timeout"] == LONG["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT
    assert "unacked_key" not in options  # kombu's defaults, as producers and older workers use


def test_a_starting_worker_takes_the_options_of_the_queues_it_serves():
    conf = Celery("check", set_as_current=False).conf
    conf.update(task_default_queue="default")
    visibility_of_served_queues(conf=conf, options={"queues": "musicbrainz,lastfm"})
    assert conf.broker_transport_options["visibility_timeout"] == SHORT["visibility_timeout"]
    visibility_of_served_queues(conf=conf, options={"queues": None})  # no -Q: the default queue
    assert conf.broker_transport_options["visibility_timeout"] == SHORT["visibility_timeout"]
    visibility_of_served_queues(conf=conf, options={"queues": ["imports"]})
    assert conf.broker_transport_options["visibility_timeout"] == LONG["visibility_timeout"]


def test_every_task_is_routed_to_a_queue_whose_class_outlasts_its_time_limit_and_retry_delay(all_tasks):
    margin = settings.CELERY_VISIBILITY_MARGIN
    for name, task in all_tasks.items():
        queue = _queue_of(task)
        assert queue in SHORT["queues"] + LONG["queues"], f"{name} goes to {queue}, which no worker serves"
        timeout = settings.CELERY_QUEUE_CLASSES[queue_class([queue])]["visibility_timeout"]
        assert task.time_limit <= timeout - margin, f"{name} may run longer than its queue's timeout"
        if getattr(task, "autoretry_for", ()):
            assert task.retry_backoff_max <= timeout - margin, f"{name} may wait longer than its queue's timeout"


def test_imports_and_the_model_fit_run_on_long_queues_and_everything_else_on_short_ones(all_tasks):
    long_names = {name for name, task in all_tasks.items() if _queue_of(task) in LONG["queues"]}
    assert long_names == {name for name in all_tasks if name.startswith(settings.CELERY_LONG_TASKS)}
    assert {"catalog.import_artists_csv", "catalog.import_discogs_dump", "recommendations.refresh_colisten"} <= long_names


def test_a_lost_short_task_returns_in_minutes_and_a_running_import_is_never_handed_out_twice():
    assert SHORT["visibility_timeout"] <= 40 * 60
    assert LONG["visibility_timeout"] > max(hard for _, (_, hard) in settings.CELERY_TIME_LIMITS)


# --- On the real Redis (CI's PostgreSQL+Redis leg): kombu's own redelivery, at reduced scale ---

CONSUMER = """
import json, sys, time
from kombu import Connection
url, queue, options = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with Connection(url, transport_options=options) as conn:
    conn.SimpleQueue(queue).get(timeout=20)  # taken, never acknowledged
    print("taken", flush=True)
    time.sleep(600)
"""


def _options(name, visibility_timeout, run):
    """A class's production options at reduced scale, with keys of this test run only."""
    options = worker_transport_options(SHORT["queues"] if name == "short" else LONG["queues"])
    keys = {key: f"{key[:-4]}:test-{run}-{name}" for key in ("unacked_key", "unacked_index_key", "unacked_mutex_key")}
    return {**options, **keys, "visibility_timeout": visibility_timeout, "unacked_restore_throttle": 1}


def _take_and_die(queue, options):
    """A consumer process takes the one message of `queue` and is killed (-9) holding it."""
    process = subprocess.Popen(
        [sys.executable, "-c", CONSUMER, settings.REDIS_URL, queue, json.dumps(options)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "taken"
    process.kill()
    process.wait(timeout=10)


def _wait_for_message(queue, options, seconds):
    with Connection(settings.REDIS_URL, transport_options=options) as conn:
        consumer = conn.SimpleQueue(queue)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                message = consumer.get(timeout=0.2)
            except consumer.Empty:
                continue
            message.ack()
            return message.payload
        return None


@pytest.fixture
def broker_run():
    run = uuid.uuid4().hex[:8]
    yield run
    with Connection(settings.REDIS_URL) as conn:
        client = conn.default_channel.client
        for key in client.keys(f"*test-{run}*"):
            client.delete(key)


@pytest.mark.redis
def test_a_message_lost_with_its_consumer_is_redelivered_after_the_short_timeout(broker_run):
    queue, options = f"test-{broker_run}-short-queue", _options("short", 3, broker_run)
    with Connection(settings.REDIS_URL, transport_options=options) as conn:
        conn.SimpleQueue(queue).put({"task": "lost"})
    _take_and_die(queue, options)
    # Held while the visibility timeout (3 s) runs, then handed out again: told by what a
    # consumer gets, not by timing the wait.
    assert _wait_for_message(queue, options, seconds=1.5) is None
    assert _wait_for_message(queue, options, seconds=30) == {"task": "lost"}


@pytest.mark.redis
def test_a_short_class_worker_never_restores_a_message_the_long_class_took(broker_run):
    queue = f"test-{broker_run}-long-queue"
    short, long = _options("short", 1, broker_run), _options("long", 120, broker_run)
    with Connection(settings.REDIS_URL, transport_options=long) as conn:
        conn.SimpleQueue(queue).put({"task": "import"})
    _take_and_die(queue, long)
    assert _wait_for_message(queue, short, seconds=5) is None  # five short timeouts later: still held


WORKER = """
import os, sys, time
import django
django.setup()
from django.conf import settings
short = settings.CELERY_QUEUE_CLASSES["short"]
short["queues"].append(os.environ["CELERY_TASK_DEFAULT_QUEUE"])
short["visibility_timeout"] = 3  # production: 2100 s
import redis
from vinilogy.celery import app

@app.task(name="vinilogy.tests.hold_until_killed")
def hold_until_killed(key):
    redis.Redis.from_url(os.environ["REDIS_URL"]).rpush(key, repr(time.time()))
    time.sleep(600)

app.worker_main(["worker", "-Q", os.environ["CELERY_TASK_DEFAULT_QUEUE"], "-c", "2", "-P", "prefork",
                 "-n", sys.argv[1], "--without-gossip", "--without-mingle", "-l", "INFO"])
"""


@pytest.mark.redis
def test_a_short_task_lost_with_its_whole_worker_runs_again_on_another_worker_soon_after_the_timeout(broker_run):
    """Real prefork workers, at reduced scale: the worker running a short task is killed (-9, every
    process); a second worker of the short class runs it again once the timeout has passed."""
    queue, key = f"test-{broker_run}-short-worker", f"test-{broker_run}-starts"
    env = {
        **os.environ,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_SETTINGS_MODULE": "vinilogy.settings",
    }
    starts, workers = redis.Redis.from_url(settings.REDIS_URL), []

    def start(name):
        command = [sys.executable, "-c", WORKER, f"{name}-{broker_run}@localhost"]
        workers.append(
            subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )

    def wait_for_starts(count, seconds):
        deadline = time.monotonic() + seconds
        while starts.llen(key) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return starts.llen(key) >= count

    try:
        start("first")
        with Connection(settings.REDIS_URL) as conn, warnings.catch_warnings():
            warnings.simplefilter("ignore", AlwaysEagerIgnored)  # send_task always publishes, as here wanted
            app.send_task("vinilogy.tests.hold_until_killed", args=[key], queue=queue, connection=conn)
        assert wait_for_starts(1, 60), "the first worker never started the task"
        os.killpg(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=10)
        start("second")
        assert wait_for_starts(2, 60), "the lost task was not redelivered within a minute"
        first, second = (float(value) for value in starts.lrange(key, 0, 1))
    finally:
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
        starts.delete(key)
    print(f"a real worker ran the lost task again {second - first:.1f} s after it first started (timeout 3 s)")
    assert 3 <= second - first < 3 + 10 + 20  # the timeout, kombu's 10 s sweep, a worker's start-up
