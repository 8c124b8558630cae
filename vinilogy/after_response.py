"""Run the API tasks a request enqueued after its response, off the request thread, on the
embedded default.

With eager Celery a task runs where it is enqueued; for a task that calls an external API
(integrations.queue.enqueue_api_task) that would make the listener wait on the provider, or
see a 500 when it is down. This middleware collects those tasks, and when the response is
closed (request_finished: the WSGI server has sent it) hands them to the in-process worker
thread (integrations.worker), which runs them in order, one at a time: the request thread is
free at once for the next request. With a broker nothing is collected: the tasks went to the
workers.

settings.AFTER_RESPONSE_IN_WORKER False runs them on the request thread once the response is
sent instead (the test suite: a test's rows live in its own uncommitted transaction, which
another thread's connection cannot see).
"""

import threading

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver

from integrations.queue import collecting_api_tasks, run_collected, run_later

_pending = threading.local()


class ApiTasksAfterResponseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with collecting_api_tasks() as jobs:
            response = self.get_response(request)
        if jobs:
            _pending.jobs = [*getattr(_pending, "jobs", []), *jobs]
        return response


@receiver(request_finished, dispatch_uid="vinilogy.after_response.run")
def _run_after_response(sender, **kwargs):
    jobs, _pending.jobs = getattr(_pending, "jobs", []), []
    if not jobs:
        return
    if settings.AFTER_RESPONSE_IN_WORKER:
        run_later(jobs)
    else:
        run_collected(jobs)
