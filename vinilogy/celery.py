"""The Celery app. Without REDIS_URL, settings make every task run eagerly in-process."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")

app = Celery("vinilogy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
