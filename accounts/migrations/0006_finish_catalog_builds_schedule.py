"""Every five minutes: listeners whose catalog chain is done get their set regenerated.

A fan-out (accounts.finish_catalog_builds): one small task per listener whose chain was
started (Profile.catalog_requested_at); a listener watching the progress banner gets the
same as soon as the banner sees it.
"""
import json

from django.db import migrations

NAME = "Finish listeners' catalog builds"
TASK = "accounts.finish_catalog_builds"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "interval": every,
            "description": "Regenerate the set of each listener whose catalog chain (new taste) is done.",
            "kwargs": json.dumps({}),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_catalog_requested_at"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
