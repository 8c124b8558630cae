"""Every day at 04:00, crawl the inventories of the sellers due (pricing.crawl_sellers)."""
import json

from django.conf import settings
from django.db import migrations

NAME = "Crawl seller inventories"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    four_am, _ = CrontabSchedule.objects.get_or_create(
        timezone=settings.CELERY_TIMEZONE, minute="0", hour="4", day_of_week="*", day_of_month="*", month_of_year="*"
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": "pricing.crawl_sellers",
            "crontab": four_am,
            "description": "One inventory crawl per active Discogs seller not crawled within SELLER_CRAWL_HOURS.",
            "kwargs": json.dumps({}),
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("pricing", "0005_landed_price_model"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
