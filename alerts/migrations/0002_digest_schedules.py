"""Beat schedules for the alert digests: daily at 08:00, weekly on Mondays at 08:00 (site time).

Each is a fan-out (alerts.send_digests): one alerts.send_digest task per listener on that
frequency with notifications waiting; editable in the admin like every schedule.
"""
import json

from django.conf import settings
from django.db import migrations

SCHEDULES = [
    ("Daily alert digests", "daily", {"minute": "0", "hour": "8"}),
    ("Weekly alert digests", "weekly", {"minute": "0", "hour": "8", "day_of_week": "1"}),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, frequency, fields in SCHEDULES:
        values = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **fields}
        crontab, _ = CrontabSchedule.objects.get_or_create(timezone=settings.CELERY_TIMEZONE, **values)
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={
                "task": "alerts.send_digests",
                "crontab": crontab,
                "kwargs": json.dumps({"frequency": frequency}),
                "description": f"Email each listener on {frequency} digests the alerts waiting for them.",
            },
        )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[name for name, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
