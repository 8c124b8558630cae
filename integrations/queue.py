"""Enqueue Celery tasks by their dotted name, and never make a web request wait on an API.

A lower layer that must start work owned by a higher one (listening changed → regenerate the
set) names the task instead of importing it; a service that enqueues its own app's task does
the same, so services and tasks never import each other. Looking the task up in the app's
registry (rather than `send_task`) keeps eager mode working.

`enqueue_api_task` is for tasks that call an external API. With a broker it is `.delay()`.
On the embedded default (eager Celery) a task would run inside the request that asked for
it, so a web request collects them (`collecting_api_tasks`, opened by the
vinilogy.after_response middleware) and, once the response has been sent, hands them to the
in-process worker thread (`run_later`, integrations.worker), which runs them in order, one at
a time, off every request thread. Outside a request (a command, a task, a test) they run at
once, as `.delay()` does.

While such a task is under way `is_pending(name, first_arg)` is true, and when it fails for
good (after its retries) `failure_note(name, first_arg)` says why for half an hour, as an
integrations.failures.Failure (its sentence is for the listener; the error's text is in the
ApiCall log), so the page that asked can keep polling, then tell the listener in place.
"""

import contextvars
import logging
from contextlib import contextmanager
from functools import partial

from celery import current_app
from celery.signals import task_failure, task_postrun
from django.core.cache import cache

from .failures import PROVIDER_LABELS, Failure, failure_from
from .worker import worker

logger = logging.getLogger(__name__)

# Longer than integrations.failures.RETRY_SECONDS: a page polled after the retry time still
# finds the note, and the poll (accounts.catalog_build.finish_if_built) starts the retry.
FAILURE_NOTE_SECONDS = 30 * 60
# A fetch still under way after this long is taken as lost (a worker died): the page stops waiting.
PENDING_NOTE_SECONDS = 5 * 60
_collected = contextvars.ContextVar("api_tasks_after_response", default=None)


def task(name):
    """The registered task `name` (every app's tasks module imported first); KeyError if none."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # runs the apps' task autodiscovery once
    return current_app.tasks[name]


def enqueue(name, *args, **kwargs):
    return task(name).delay(*args, **kwargs)


def enqueue_api_task(name, *args, **kwargs):
    """`.delay()` a task that calls an external API; inside a web request on the eager default
    it is kept to run after the response instead (returns None then). The same task for the
    same first argument is not enqueued again while one is under way. A `priority` keyword
    is the message's priority too (the task passes it on to the rest of its chain)."""
    if not cache.add(_pending_key(name, args), True, PENDING_NOTE_SECONDS):
        return None  # the same task for the same row is already under way
    cache.delete(_failure_key(name, args))
    collected = _collected.get()
    if collected is not None and current_app.conf.task_always_eager:
        collected.append((name, args, kwargs))
        return None
    return task(name).apply_async(args, kwargs, priority=kwargs.get("priority"))


@contextmanager
def collecting_api_tasks():
    """Collect the API tasks enqueued inside the block; yields the list to run later."""
    jobs = []
    token = _collected.set(jobs)
    try:
        yield jobs
    finally:
        _collected.reset(token)


def run_collected(jobs):
    """Run collected tasks in order. A failure is logged and noted, never raised: the response
    is already sent, and the next job should still run. Eager Celery cannot retry later, so a
    transient error (raised as Retry) is the failure here."""
    for name, args, kwargs in jobs:
        try:
            task(name).apply(args=args, kwargs=kwargs, throw=True)
        except Exception as error:
            cause = getattr(error, "exc", None) or error  # celery's Retry carries the API error
            logger.warning("%s%r failed after the response: %s", name, tuple(args), cause)
            _remember_failure(name, args, cause)
        finally:
            cache.delete(_pending_key(name, args))


def run_later(jobs):
    """Hand collected tasks to the in-process worker: they run in order once it is free."""
    worker.submit(partial(run_collected, list(jobs)))


def failure_note(name, first_arg):
    """Why the last run of task `name` for `first_arg` failed (a Failure), if it did lately."""
    return Failure.from_dict(cache.get(_failure_key(name, (first_arg,))))


def failure_notes(name, first_args):
    """{first_arg: Failure} for the runs of task `name` that failed lately, in one cache read."""
    keys = {_failure_key(name, (arg,)): arg for arg in first_args}
    found = cache.get_many(list(keys))
    return {keys[key]: failure for key, value in found.items() if (failure := Failure.from_dict(value))}


def pending_among(name, first_args):
    """The first arguments among `first_args` for which task `name` is under way (one cache read)."""
    keys = {_pending_key(name, (arg,)): arg for arg in first_args}
    return {keys[key] for key, value in cache.get_many(list(keys)).items() if value}


def is_pending(name, first_arg):
    """Whether task `name` for `first_arg` was enqueued by enqueue_api_task and has not ended."""
    return bool(cache.get(_pending_key(name, (first_arg,))))


def _failure_key(name, args):
    return f"task-failed:{name}:{args[0] if args else ''}"


def _pending_key(name, args):
    return f"task-pending:{name}:{args[0] if args else ''}"


def _remember_failure(name, args, exception):
    """Keep what the failure means (kind, provider, next try), never its text: a page shows it."""
    failure = failure_from(exception, provider=_provider_of(name))
    cache.set(_failure_key(name, tuple(args or ())), failure.as_dict(), FAILURE_NOTE_SECONDS)


def _provider_of(name):
    """The provider a task mostly talks to: its queue's name (catalog routes tasks so)."""
    routed = getattr(current_app.tasks.get(name), "queue", None) or ""
    return routed if routed in PROVIDER_LABELS else ""


@task_failure.connect(dispatch_uid="integrations.queue.note_failure")
def _note_failure(sender=None, args=None, exception=None, **kwargs):
    """A worker's task failed for good (its retries spent): the page that asked can say so."""
    _remember_failure(getattr(sender, "name", ""), args, exception)


@task_postrun.connect(dispatch_uid="integrations.queue.clear_pending")
def _clear_pending(sender=None, args=None, **kwargs):
    cache.delete(_pending_key(getattr(sender, "name", ""), tuple(args or ())))
