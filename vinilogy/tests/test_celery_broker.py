"""With REDIS_URL set, tasks travel through the real Redis broker to a real worker."""

import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker

from vinilogy.celery import app

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

received = []
arrived = threading.Event()


@app.task(name="vinilogy.tests.record_roundtrip")
def record_roundtrip(token):
    received.append(token)
    arrived.set()


@pytest.fixture
def broker_app(settings):
    """The project's Celery app, pointed at the real Redis and not eager, for one test."""
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "result_backend")}
    app.conf.update(broker_url=settings.REDIS_URL, task_always_eager=False, result_backend=None)
    yield app
    app.conf.update(previous)


def test_a_task_round_trips_through_redis_to_a_worker(broker_app):
    token = f"roundtrip-{time.time_ns()}"
    with start_worker(broker_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
        record_roundtrip.apply_async(args=[token], queue="default")
        assert arrived.wait(timeout=20), "the worker never received the task from Redis"
    assert token in received
