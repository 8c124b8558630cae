"""Every five minutes: listeners' collection CSV imports whose worker died resume from their
last committed batch (accounts.resume_abandoned_collection_imports; the progress page does the
same when the listener watches it)."""
import json

from django.db import migrations

NAME = "Resume abandoned collection imports"
TASK = "accounts.resume_abandoned_collection_imports"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "interval": every,
            "description": "Collection CSV imports left running by a dead worker resume from their last committed batch.",
            "kwargs": json.dumps({}),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_collection_import"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
