"""The embedded default never stalls: what a request enqueued runs on one in-process worker
thread after the response, in order, one at a time, while other requests are answered."""

import threading
import time

import pytest
from celery import shared_task
from django.http import HttpResponse
from django.urls import reverse

from integrations.queue import enqueue_api_task, is_pending
from integrations.worker import InProcessWorker, worker
from vinilogy.after_response import ApiTasksAfterResponseMiddleware

pytestmark = pytest.mark.django_db

released = threading.Event()
ran = []


@shared_task(name="vinilogy.tests.slow_job")
def slow_job(number):
    """A job that takes as long as the test says (it waits for `released`)."""
    released.wait(timeout=10)
    ran.append((number, threading.current_thread().name))


@pytest.fixture
def in_worker(settings):
    settings.AFTER_RESPONSE_IN_WORKER = True
    released.clear()
    ran.clear()
    yield
    released.set()
    assert worker.wait_idle(timeout=10)


def test_jobs_run_off_the_calling_thread_in_order_one_at_a_time():
    jobs = InProcessWorker(name="test-worker")
    log, lock, running = [], threading.Lock(), []

    def job(number):
        def run():
            with lock:
                running.append(number)
                overlap = len(running) > 1
            time.sleep(0.02)
            log.append((number, threading.current_thread().name, overlap))
            with lock:
                running.remove(number)

        return run

    for number in range(5):
        jobs.submit(job(number))
    assert jobs.wait_idle(timeout=5)

    assert [number for number, _, _ in log] == [0, 1, 2, 3, 4]
    assert {thread for _, thread, _ in log} == {"test-worker"} != {threading.current_thread().name}
    assert not any(overlap for _, _, overlap in log)
    assert jobs.thread.daemon  # never holds up the process's exit or runserver's reload


def test_a_failing_job_does_not_stop_the_ones_behind_it():
    jobs, done = InProcessWorker(name="test-worker"), []
    jobs.submit(lambda: 1 / 0)
    jobs.submit(lambda: done.append(True))
    assert jobs.wait_idle(timeout=5) and done == [True]


def test_wait_idle_gives_up_after_its_timeout():
    jobs, gate = InProcessWorker(name="test-worker"), threading.Event()
    jobs.submit(lambda: gate.wait(timeout=5))
    assert jobs.wait_idle(timeout=0.05) is False
    gate.set()
    assert jobs.wait_idle(timeout=5)


def test_a_request_that_enqueued_a_slow_job_returns_before_the_job_ends(rf, in_worker, close_response, client, listener):
    def view(request):
        enqueue_api_task("vinilogy.tests.slow_job", 1)
        enqueue_api_task("vinilogy.tests.slow_job", 2)
        return HttpResponse("answered")

    # The jobs hold until `released` is set: had the request run them, it would have waited
    # for that (10 s) and `ran` would not be empty. No clock needed to tell.
    response = ApiTasksAfterResponseMiddleware(view)(rf.post("/anything"))
    close_response(response)  # request_finished: the jobs go to the worker, not this thread
    assert response.content == b"answered"
    assert ran == [] and is_pending("vinilogy.tests.slow_job", 1)

    # Meanwhile every other request is answered while the jobs still hold (here the typeahead).
    assert client.get(reverse("accounts:seed_search"), {"q": "por"}).status_code == 200
    assert ran == []

    released.set()
    assert worker.wait_idle(timeout=10)
    assert ran == [(1, worker.name), (2, worker.name)]
    assert not is_pending("vinilogy.tests.slow_job", 1)
