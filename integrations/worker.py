"""A small in-process worker: one daemon thread that runs the jobs handed to it, one at a time,
in the order they came.

On the embedded default (eager Celery, no broker) the work a web request enqueued used to run
on the server's request thread once the response was sent, and that thread then answered no
one else: the next typeahead waited on MusicBrainz. vinilogy.after_response hands those jobs
here instead, so every request is answered at once and the jobs still run in order.

The thread starts with the first job (in the process that serves requests: runserver's
autoreloader parent never serves one) and is a daemon, so it never holds up an exit or a
reload; a job still queued then is dropped, as an unsent response would be, and its "under
way" note in the cache runs out (integrations.queue.PENDING_NOTE_SECONDS). Each job gets its
own database connection, closed after the job: SQLite and PostgreSQL connections belong to
the thread that opened them. Tests wait for the queue with `wait_idle()`.
"""

import logging
import queue
import threading
import time

from django.db import connections

logger = logging.getLogger(__name__)


class InProcessWorker:
    def __init__(self, name="vinilogy-worker"):
        self.name = name
        self._jobs = queue.Queue()
        self._lock = threading.Lock()
        self._thread = None

    def submit(self, job):
        """Queue `job` (a callable taking no argument) behind the others; returns at once."""
        self._ensure_running()
        self._jobs.put(job)

    def wait_idle(self, timeout=None):
        """Block until every job handed over so far has ended; False if `timeout` ran out first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._jobs.all_tasks_done:
            while self._jobs.unfinished_tasks:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._jobs.all_tasks_done.wait(left)
        return True

    @property
    def thread(self):
        return self._thread

    def _ensure_running(self):
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()

    def _loop(self):
        while True:
            job = self._jobs.get()
            try:
                job()
            except Exception:  # noqa: BLE001 - one failed job must not stop the ones behind it
                logger.exception("A background job failed")
            finally:
                connections.close_all()  # this thread's connections only
                self._jobs.task_done()


# The one worker of this process (vinilogy.after_response hands it the requests' jobs).
worker = InProcessWorker()
