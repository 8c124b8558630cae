"""Run the API tasks a request enqueued after its response, on the embedded default.

With eager Celery a task runs where it is enqueued; for a task that calls an external API
(integrations.queue.enqueue_api_task) that would make the listener wait on the provider,
or see a 500 when it is down. This middleware collects those tasks and runs them when the
response is closed (request_finished: the WSGI server has sent it). With a broker nothing is
collected: the tasks went to the workers.
"""
import threading

from django.core.signals import request_finished
from django.dispatch import receiver

from integrations.queue import collecting_api_tasks, run_collected

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
    if jobs:
        run_collected(jobs)
