"""The Celery app. Without REDIS_URL, settings make every task run eagerly in-process."""
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")

# Every task of every app counts its lost deliveries (vinilogy.celery_policy).
app = Celery("vinilogy", task_cls="vinilogy.celery_policy:GuardedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def resume_abandoned_imports(sender=None, **kwargs):
    """A worker that (re)starts picks up the imports a dead worker left running."""
    sender.app.send_task("catalog.resume_abandoned_imports")
