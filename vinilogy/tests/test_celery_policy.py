"""Celery loses nothing and strands nothing: late acks, redelivery of a dead worker's task,
time limits per task family, and a dead-letter list for tasks that keep killing workers."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from catalog.models import DeadLetter
from vinilogy.celery import app
from vinilogy.celery_policy import starts_key

pytestmark = pytest.mark.django_db

ran = []


@app.task(name="vinilogy.tests.note_run")
def note_run(value):
    ran.append(value)
    return value


@app.task(name="vinilogy.tests.fail")
def fail():
    raise ValueError("no")


@pytest.fixture
def all_tasks():
    """Every app's tasks, found as a worker finds them at start-up."""
    app.loader.import_default_modules()
    return app.tasks


def test_messages_are_acked_late_and_put_back_when_the_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_the_visibility_timeout_outlasts_the_longest_task_for_producers_and_workers():
    longest = max(hard for _, (_, hard) in settings.CELERY_TIME_LIMITS)
    assert app.conf.broker_transport_options["visibility_timeout"] > longest


@pytest.mark.parametrize(
    "task_name, soft, hard",
    [
        ("catalog.import_artists_csv", 7200, 7500),
        ("recommendations.refresh_colisten", 3000, 3300),
        ("recommendations.generate_set", 300, 360),
        ("pricing.refresh_album_prices", 900, 960),
        ("catalog.sync_album_releases", 600, 660),
        ("accounts.sync_source", 600, 660),
        ("integrations.prune_api_calls", 600, 660),
    ],
)
def test_every_task_family_has_its_soft_and_hard_time_limit(all_tasks, task_name, soft, hard):
    task = all_tasks[task_name]
    assert (task.soft_time_limit, task.time_limit) == (soft, hard)


def test_every_registered_task_of_ours_has_a_time_limit(all_tasks):
    ours = [task for name, task in all_tasks.items() if not name.startswith("celery.")]
    assert ours and all(task.time_limit and task.soft_time_limit < task.time_limit for task in ours)


def test_a_task_whose_worker_died_three_times_is_parked_not_run_again():
    cache.set(starts_key("killer-1"), settings.CELERY_MAX_LOST_DELIVERIES)
    ran.clear()
    assert note_run.apply(args=["x"], task_id="killer-1").get() is None
    assert ran == []
    letter = DeadLetter.objects.get(task_id="killer-1")
    assert (letter.task_name, letter.args, letter.lost_deliveries) == ("vinilogy.tests.note_run", ["x"], 3)


def test_a_task_whose_worker_died_fewer_times_runs_and_forgets_its_deaths():
    cache.set(starts_key("survivor-1"), settings.CELERY_MAX_LOST_DELIVERIES - 1)
    assert note_run.apply(args=["y"], task_id="survivor-1").get() == "y"
    assert cache.get(starts_key("survivor-1")) is None
    assert not DeadLetter.objects.exists()


def test_a_task_that_fails_is_not_counted_as_a_death():
    with pytest.raises(ValueError):
        fail.apply(task_id="failing-1")
    assert cache.get(starts_key("failing-1")) is None


def test_the_admin_lists_dead_letters_and_delivers_one_again(admin_client):
    DeadLetter.objects.create(task_id="killer-2", task_name="vinilogy.tests.note_run", args=["again"], lost_deliveries=3)
    page = admin_client.get(reverse("admin:catalog_deadletter_changelist"))
    assert "vinilogy.tests.note_run" in page.content.decode() and "killer-2" in page.content.decode()
    ran.clear()
    letter = DeadLetter.objects.get()
    admin_client.post(reverse("admin:catalog_deadletter_changelist"), {"action": "requeue", "_selected_action": [letter.pk]})
    assert ran == ["again"] and not DeadLetter.objects.exists()
