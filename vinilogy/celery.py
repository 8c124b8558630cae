"""The Celery app. Without REDIS_URL, settings make every task run eagerly in-process."""

import logging
import os

from celery import Celery
from celery.signals import celeryd_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")
logger = logging.getLogger(__name__)

# Every task of every app counts its lost deliveries (vinilogy.celery_policy).
app = Celery("vinilogy", task_cls="vinilogy.celery_policy:GuardedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def resume_abandoned_imports(sender=None, **kwargs):
    """A worker that (re)starts picks up the imports a dead worker left running."""
    sender.app.send_task("catalog.resume_abandoned_imports")


@celeryd_init.connect
def visibility_of_served_queues(sender=None, conf=None, options=None, **kwargs):
    """Before it connects, a worker takes the visibility timeout of the queues it serves (-Q)."""
    from vinilogy.celery_policy import queue_class, worker_transport_options

    queues = (options or {}).get("queues") or [conf.task_default_queue]
    if isinstance(queues, str):
        queues = queues.split(",")
    options = worker_transport_options(queues)
    conf.update(broker_transport_options=options, CELERY_BROKER_TRANSPORT_OPTIONS=options)  # what inspect conf shows
    logger.info(
        "Serving %s: %s queues, a lost task is redelivered after %s s",
        ",".join(queues),
        queue_class(queues),
        conf.broker_transport_options["visibility_timeout"],
    )
