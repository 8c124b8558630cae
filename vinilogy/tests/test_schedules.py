"""Periodic tasks are declared in code (vinilogy/schedules.py) and synced into django-celery-beat
by `manage.py sync_schedules`: idempotent, keyed by name, an operator's choices kept."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from vinilogy import schedules
from vinilogy.celery import app

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def _sync():
    out = StringIO()
    call_command("sync_schedules", stdout=out)
    return out.getvalue()


def _rows():
    fields = ("name", "task", "kwargs", "description", "enabled", "crontab_id", "interval_id", "date_changed")
    return sorted(PeriodicTask.objects.values_list(*fields))


def test_a_fresh_database_has_no_schedule_until_the_sync_writes_every_one():
    assert not PeriodicTask.objects.filter(name__in=[s.name for s in schedules.SCHEDULES]).exists()
    _sync()
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {s.name for s in schedules.SCHEDULES} <= names
    assert PeriodicTask.objects.filter(enabled=True).count() == len(schedules.SCHEDULES)


def test_running_the_sync_twice_leaves_the_same_rows():
    first_report = _sync()
    rows, crontabs, intervals = _rows(), CrontabSchedule.objects.count(), IntervalSchedule.objects.count()
    second_report = _sync()
    assert _rows() == rows  # date_changed too: nothing was saved, beat has nothing to reload
    assert (CrontabSchedule.objects.count(), IntervalSchedule.objects.count()) == (crontabs, intervals)
    assert f"{len(schedules.SCHEDULES)} created" in first_report
    assert f"0 created, 0 updated, {len(schedules.SCHEDULES)} unchanged" in second_report


def test_an_operators_disabled_schedule_stays_disabled():
    _sync()
    PeriodicTask.objects.filter(name="Daily prices").update(enabled=False)
    _sync()
    assert not PeriodicTask.objects.get(name="Daily prices").enabled
    assert PeriodicTask.objects.get(name="Daily ECB exchange rates").enabled


def test_an_operators_own_schedule_survives_untouched():
    every_hour = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    own = PeriodicTask.objects.create(
        name="Operator: hourly prices", task="pricing.refresh_all_prices", interval=every_hour, enabled=False
    )
    report = _sync()
    _sync()
    assert PeriodicTask.objects.filter(pk=own.pk, interval=every_hour, enabled=False).exists()
    assert "1 other schedule(s) left as they are" in report


def test_a_changed_declaration_updates_our_row_but_keeps_its_enabled_choice():
    _sync()
    row = PeriodicTask.objects.get(name="Daily prices")
    row.enabled = False
    row.task, row.description, row.kwargs = "pricing.crawl_sellers", "edited", json.dumps({"x": 1})
    row.save()
    counts = schedules.sync()
    row.refresh_from_db()
    assert (counts["updated"], row.task, row.kwargs, row.enabled) == (1, "pricing.refresh_all_prices", "{}", False)
    assert row.crontab.hour == "5" and row.interval is None


def test_a_timing_changes_from_crontab_to_interval_and_back():
    moved = schedules.Schedule("Daily prices", "pricing.refresh_all_prices", "x", every_minutes=30)
    schedules.sync()
    schedules.sync([moved])
    row = PeriodicTask.objects.get(name="Daily prices")
    assert (row.crontab, row.interval.every, row.interval.period) == (None, 30, "minutes")
    schedules.sync()
    row.refresh_from_db()
    assert row.interval is None and (row.crontab.minute, row.crontab.hour) == ("0", "5")


def test_every_declared_task_is_a_registered_celery_task():
    app.loader.import_default_modules()
    missing = {s.task for s in schedules.SCHEDULES} - set(app.tasks)
    assert not missing, f"vinilogy/schedules.py names tasks Celery does not know: {sorted(missing)}"


def test_each_declaration_has_a_unique_name_and_exactly_one_timing():
    names = [s.name for s in schedules.SCHEDULES]
    assert len(names) == len(set(names))
    for schedule in schedules.SCHEDULES:
        assert bool(schedule.crontab) != bool(schedule.every_minutes), schedule.name
        assert set(schedule.crontab) <= set(schedules.CRONTAB_FIELDS), schedule.name


def test_no_migration_creates_a_periodic_task():
    writers = [
        path.relative_to(ROOT)
        for path in ROOT.glob("*/migrations/*.py")
        if any(word in path.read_text() for word in ("PeriodicTask", "CrontabSchedule", "IntervalSchedule"))
    ]
    assert writers == [], f"schedules belong in vinilogy/schedules.py, not in migrations: {writers}"


def test_set_up_runs_the_sync():
    assert "sync_schedules" in (ROOT / "bin" / "serve").read_text()
    assert "sync_schedules" in (ROOT / "Dockerfile").read_text()
    assert "sync_schedules" in (ROOT / "docker-compose.yml").read_text()
