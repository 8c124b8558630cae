"""Enqueue a Celery task by its dotted name, so the module that asks never imports the task's.

A lower layer that must start work owned by a higher one (listening changed → regenerate the
set) names the task instead of importing it; a service that enqueues its own app's task does
the same, so services and tasks never import each other. Looking the task up in the app's
registry (rather than `send_task`) keeps eager mode working: on the embedded default the
task runs in-process, as `.delay()` would.
"""
from celery import current_app


def task(name):
    """The registered task `name` (every app's tasks module imported first); KeyError if none."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # runs the apps' task autodiscovery once
    return current_app.tasks[name]


def enqueue(name, *args, **kwargs):
    return task(name).delay(*args, **kwargs)
