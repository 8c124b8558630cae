"""The Celery app. Without REDIS_URL, settings make every task run eagerly in-process."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")

# Every task of every app counts its lost deliveries (vinilogy.celery_policy).
app = Celery("vinilogy", task_cls="vinilogy.celery_policy:GuardedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
