"""Every five minutes, re-enqueue CSV imports whose worker died (see catalog.tasks)."""
import json

from django.conf import settings
from django.db import migrations

NAME = "Resume abandoned imports"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five, _ = CrontabSchedule.objects.get_or_create(
        timezone=settings.CELERY_TIMEZONE, minute="*/5", hour="*", day_of_week="*", day_of_month="*", month_of_year="*"
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "catalog.resume_abandoned_imports",
            "crontab": every_five,
            "description": "CSV imports left running by a dead worker resume from their last committed row.",
            "kwargs": json.dumps({}),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_job_lease_and_dead_letters"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
