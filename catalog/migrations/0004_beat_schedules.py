"""The periodic jobs, as django-celery-beat rows that operators can edit in the admin.

Each scheduled task is a fan-out: it selects the stale ids and enqueues one small task per
id (see catalog/tasks.py and pricing/tasks.py). The best-price view is refreshed by its own
schedule an hour after the price fan-out rather than chained to it: the per-album price tasks
run on other workers and we keep no result backend to know when the last one finished.
Times are in settings.CELERY_TIMEZONE; the ECB publishes its rates around 16:00 CET.

Tasks scheduled by name that other modules define: integrations.prune_api_calls and
recommendations.refresh_colisten.
"""
import json

from django.conf import settings
from django.db import migrations

# (name, task, crontab fields, description)
SCHEDULES = [
    (
        "Weekly refresh of followed artists",
        "catalog.refresh_followed_artists",
        {"minute": "0", "hour": "3", "day_of_week": "1"},
        "Artists that active users follow: info, similar artists, albums and pressings when stale.",
    ),
    (
        "Monthly full catalog refresh",
        "catalog.refresh_stale",
        {"minute": "0", "hour": "4", "day_of_month": "1"},
        "Every stale artist, album and pressing in the catalog.",
    ),
    (
        "Daily prices",
        "pricing.refresh_all_prices",
        {"minute": "0", "hour": "5"},
        "Discogs marketplace, eBay and local-shop links for every album with pressings.",
    ),
    (
        "Daily best-price view",
        "pricing.refresh_best_prices",
        {"minute": "0", "hour": "6"},
        "Refresh the album best-price view an hour after the price fan-out.",
    ),
    (
        "Daily ECB exchange rates",
        "pricing.refresh_exchange_rates",
        {"minute": "30", "hour": "16"},
        "Euro reference rates of the day, used to convert every price to EUR.",
    ),
    (
        "Daily API call log pruning",
        "integrations.prune_api_calls",
        {"minute": "30", "hour": "3"},
        "Delete ApiCall rows older than API_CALL_RETENTION_DAYS.",
    ),
    (
        "Daily co-listening model",
        "recommendations.refresh_colisten",
        {"minute": "30", "hour": "2"},
        "Rebuild the artist co-listening similarities across our users.",
    ),
]


def _crontab(CrontabSchedule, fields):
    values = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **fields}
    schedule, _ = CrontabSchedule.objects.get_or_create(timezone=settings.CELERY_TIMEZONE, **values)
    return schedule


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, fields, description in SCHEDULES:
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={
                "task": task,
                "crontab": _crontab(CrontabSchedule, fields),
                "description": description,
                "kwargs": json.dumps({}),
            },
        )


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_album_releases_sync_claim"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
