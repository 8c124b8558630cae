"""The daily listening sync as a django-celery-beat row operators can edit in the admin.

A fan-out (accounts.sync_connected_users): one accounts.sync_source task per active user and
source they connected. Unchanged payloads write nothing, so a daily run is cheap.
"""
import json

from django.conf import settings
from django.db import migrations

NAME = "Daily listening sync"
TASK = "accounts.sync_connected_users"
CRONTAB = {"minute": "0", "hour": "1", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(timezone=settings.CELERY_TIMEZONE, **CRONTAB)
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "crontab": crontab,
            "description": "Last.fm, Spotify, ListenBrainz and Discogs of every user who connected them.",
            "kwargs": json.dumps({}),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
