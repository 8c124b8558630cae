"""Every periodic task of the site, declared in code and synced into django-celery-beat.

`manage.py sync_schedules` (run by bin/serve, the Docker image's start and the compose file's
migrate step) writes these rows; beat reads them with its DatabaseScheduler. The sync is
idempotent and keyed by name:

- a schedule missing from the database is created, enabled;
- a schedule of ours that exists gets its task, timing, arguments and description from here
  (only when one differs, so a second run changes nothing), but keeps its `enabled` flag: an
  operator who paused a schedule in the admin finds it paused after the next deploy;
- a row whose name is not listed here (an operator's own schedule) is never touched or deleted.

Each scheduled task is a fan-out (STYLE.md, habit 6): it selects what is due and enqueues one
small task per id. Times are in settings.CELERY_TIMEZONE.

To add a periodic task: define the Celery task (`@shared_task(name="app.task_name")` in the
app's tasks.py), then append one `Schedule` below with a new, unique name, the task's dotted
name, `crontab={...}` (crontab fields; those left out are "*") or `every_minutes=N`, and
`kwargs` if the task takes any. Nothing else: no migration. The tests check that every task
named here is a registered Celery task. To change a time, edit it here (the sync applies it); to
pause one, untick it in the admin. Renaming or removing one here leaves the old row in existing
databases: delete it in the admin (*Periodic tasks*).
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

CRONTAB_FIELDS = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")
MONDAY = "1"


@dataclass(frozen=True)
class Schedule:
    name: str  # the row's key: unique, shown in the admin
    task: str  # a registered Celery task's dotted name
    description: str
    crontab: dict = field(default_factory=dict)  # e.g. {"minute": "0", "hour": "5"}; "*" where left out
    every_minutes: int | None = None  # instead of a crontab
    kwargs: dict = field(default_factory=dict)


SCHEDULES = [
    # --- ingestion -------------------------------------------------------------------------
    Schedule(
        "Daily listening sync",
        "accounts.sync_connected_users",
        "Every listening source of every listener who connected one (unchanged payloads write nothing).",
        crontab={"minute": "0", "hour": "1"},
    ),
    Schedule(
        "Weekly refresh of followed artists",
        "catalog.refresh_followed_artists",
        "Artists that active users follow: info, similar artists, albums and pressings when stale.",
        crontab={"minute": "0", "hour": "3", "day_of_week": MONDAY},
    ),
    Schedule(
        "Monthly full catalog refresh",
        "catalog.refresh_stale",
        "Every stale artist, album and pressing in the catalog.",
        crontab={"minute": "0", "hour": "4", "day_of_month": "1"},
    ),
    Schedule(
        "Resume abandoned imports",
        "catalog.resume_abandoned_imports",
        "CSV imports left running by a dead worker resume from their last committed row.",
        crontab={"minute": "*/5"},
    ),
    Schedule(
        "Resume abandoned collection imports",
        "accounts.resume_abandoned_collection_imports",
        "Collection CSV imports left running by a dead worker resume from their last committed batch.",
        every_minutes=5,
    ),
    Schedule(
        "Finish listeners' catalog builds",
        "accounts.finish_catalog_builds",
        "Regenerate the set of each listener whose catalog chain (new taste) is done.",
        every_minutes=5,
    ),
    # --- prices ----------------------------------------------------------------------------
    Schedule(
        "Crawl seller inventories",
        "pricing.crawl_sellers",
        "One inventory crawl per active Discogs seller not crawled within SELLER_CRAWL_HOURS.",
        crontab={"minute": "0", "hour": "4"},
    ),
    Schedule(
        "Daily prices",
        "pricing.refresh_all_prices",
        "Every price source's refresh for the albums with pressings.",
        crontab={"minute": "0", "hour": "5"},
    ),
    Schedule(
        "Nightly best-price check",
        "pricing.refresh_best_prices",
        "Repair the albums whose best prices differ from a full recompute (each price batch already updates its own albums).",
        crontab={"minute": "0", "hour": "6"},
    ),
    Schedule(
        "Daily ECB exchange rates",
        "pricing.refresh_exchange_rates",
        "Euro reference rates of the day (the ECB publishes around 16:00 CET), used to convert every price to EUR.",
        crontab={"minute": "30", "hour": "16"},
    ),
    Schedule(
        "Weekly collection values",
        "accounts.record_collection_values",
        "A point of each collector's collection value for the week (and Discogs' own estimate when connected), after the daily prices.",
        crontab={"minute": "30", "hour": "6", "day_of_week": MONDAY},
    ),
    # --- upkeep, model, alerts -------------------------------------------------------------
    Schedule(
        "Daily API call log pruning",
        "integrations.prune_api_calls",
        "Delete ApiCall rows older than API_CALL_RETENTION_DAYS.",
        crontab={"minute": "30", "hour": "3"},
    ),
    Schedule(
        "Daily co-listening model",
        "recommendations.refresh_colisten",
        "Fit the artist co-listening model across our listeners and publish a new version.",
        crontab={"minute": "30", "hour": "2"},
    ),
    Schedule(
        "Daily alert digests",
        "alerts.send_digests",
        "Email each listener on daily digests the alerts waiting for them.",
        crontab={"minute": "0", "hour": "8"},
        kwargs={"frequency": "daily"},
    ),
    Schedule(
        "Weekly alert digests",
        "alerts.send_digests",
        "Email each listener on weekly digests the alerts waiting for them.",
        crontab={"minute": "0", "hour": "8", "day_of_week": MONDAY},
        kwargs={"frequency": "weekly"},
    ),
    Schedule(
        "Vinyl out today",
        "alerts.notify_release_days",
        "Tell each listener who heard a pressing announced before its date that it is out today (once; before the daily digest).",
        crontab={"minute": "30", "hour": "7"},
    ),
]


def sync(schedules=None):
    """Create or update our schedules by name; return how many were created, updated, unchanged."""
    counts = Counter(created=0, updated=0, unchanged=0)
    for schedule in SCHEDULES if schedules is None else schedules:
        counts[_sync_one(schedule)] += 1
    return counts


def _sync_one(schedule):
    wanted = {
        "task": schedule.task,
        "kwargs": json.dumps(schedule.kwargs, sort_keys=True),
        "description": schedule.description,
        **_timing(schedule),
    }
    row = PeriodicTask.objects.filter(name=schedule.name).first()
    if row is None:
        return _create(schedule.name, wanted)
    changed = {key: value for key, value in wanted.items() if not _same(key, getattr(row, key), value)}
    if not changed:
        return "unchanged"
    for key, value in changed.items():
        setattr(row, key, value)
    row.save()  # not .update(): saving tells beat (PeriodicTasks.changed) to reload
    return "updated"


def _create(name, wanted):
    try:
        with transaction.atomic():
            PeriodicTask.objects.create(name=name, enabled=True, **wanted)
    except IntegrityError:  # another process starting at the same moment created it first
        return "unchanged"
    return "created"


def _same(key, current, value):
    if key == "kwargs":
        return json.loads(current or "{}") == json.loads(value)
    return current == value


def _timing(schedule):
    """The schedule's row ids: exactly one of crontab or interval, the others cleared."""
    none = {"crontab_id": None, "interval_id": None, "solar_id": None, "clocked_id": None}
    if schedule.every_minutes:
        interval = _first_or_create(IntervalSchedule, every=schedule.every_minutes, period=IntervalSchedule.MINUTES)
        return {**none, "interval_id": interval.pk}
    values = {**dict.fromkeys(CRONTAB_FIELDS, "*"), **schedule.crontab}
    crontab = _first_or_create(CrontabSchedule, timezone=settings.CELERY_TIMEZONE, **values)
    return {**none, "crontab_id": crontab.pk}


def _first_or_create(model, **values):
    """Like get_or_create, but an operator's duplicate timing rows (no unique constraint) are fine."""
    return model.objects.filter(**values).order_by("pk").first() or model.objects.create(**values)
