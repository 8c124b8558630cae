"""/health: 200 "ok" or 503 "degraded" for everyone; which check failed for staff and monitors."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from integrations.factories import ApiCallFactory
from vinilogy import health

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"
MONITOR_TOKEN = "monitor-token-0123456789"


@pytest.fixture(autouse=True)
def _fresh_worker_answer(settings):
    """Each test asks the workers itself (the answer is cached for a few seconds)."""
    settings.HEALTH_TOKEN = MONITOR_TOKEN
    cache.delete(health.celery_cache_key())
    yield
    cache.delete(health.celery_cache_key())


def _monitor_get(client):
    return client.get("/health", HTTP_AUTHORIZATION=f"Bearer {MONITOR_TOKEN}")


def _failing_calls(provider, errors, total):
    for n in range(total):
        ApiCallFactory(provider=provider, status_code=500 if n < errors else 200, error_kind="server" if n < errors else "")


def test_healthy_site_answers_ok_with_each_check(client):
    ApiCallFactory.create_batch(3, provider="musicbrainz")
    response = _monitor_get(client)
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["celery"] == "eager"
    assert body["checks"]["redis"] == ("ok" if os.environ.get("REDIS_URL") else "not configured")
    assert body["checks"]["providers"]["musicbrainz"] == {"calls": 3, "errors": 0, "error_rate_percent": 0.0, "ok": True}
    assert response["Cache-Control"].startswith("max-age=0")


def test_redis_not_configured_is_not_a_failure(client, settings):
    settings.REDIS_URL = ""
    response = _monitor_get(client)
    assert response.status_code == 200 and response.json()["checks"]["redis"] == "not configured"


def test_database_outage_answers_503_naming_the_database(client, monkeypatch):
    def outage():
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", outage)
    response = _monitor_get(client)
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["reasons"] == ["database: unreachable (OperationalError)"]


def test_a_provider_failing_half_its_calls_makes_the_site_unhealthy(client):
    _failing_calls("discogs", errors=5, total=10)
    _failing_calls("lastfm", errors=9, total=9)  # too few calls to judge
    response = _monitor_get(client)
    assert response.status_code == 503
    assert response.json()["reasons"] == ["provider discogs: 50.0% of 10 calls failed in the last 15 minutes"]
    assert response.json()["checks"]["providers"]["lastfm"]["ok"] is True


def test_old_provider_errors_do_not_count(client):
    from datetime import timedelta

    from django.utils import timezone

    long_ago = timezone.now() - timedelta(minutes=health.PROVIDER_WINDOW_MINUTES + 1)
    for _ in range(10):
        ApiCallFactory(provider="ebay", error_kind="server", status_code=500, created_at=long_ago)
    assert client.get("/health").status_code == 200


def test_unreachable_redis_answers_503_naming_redis(client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS
    response = _monitor_get(client)
    assert response.status_code == 503
    assert response.json()["reasons"] == ["redis: unreachable (ConnectionError)"]


def test_without_eager_mode_an_unreachable_broker_means_no_workers(client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS
    settings.CELERY_TASK_ALWAYS_EAGER = False
    reasons = _monitor_get(client).json()["reasons"]
    assert "celery: broker unreachable (OperationalError)" in reasons


@pytest.fixture
def celery_worker_process():
    """A real worker on the broker, in its own process (Celery's Django fixup would close our test connection).

    It consumes a queue nobody sends to, so it never takes another test's tasks.
    """
    name = f"health-probe-{uuid.uuid4().hex[:8]}@%h"
    command = [sys.executable, "-m", "celery", "-A", "vinilogy", "worker", "--pool", "solo", "-Q", "health-probe-test"]
    command += ["-n", name, "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vinilogy.test_settings"}
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _wait_for_a_worker(attempts=60):
    """Worker start-up takes a few seconds; each ping below waits up to the probe timeout."""
    for _ in range(attempts):
        if health.inspect_workers().active:
            return
    pytest.fail("the worker process never answered a ping")


@pytest.mark.redis
def test_a_worker_answering_the_broker_ping_is_healthy(client, settings, celery_worker_process):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _wait_for_a_worker()
    cache.delete(health.celery_cache_key())
    response = _monitor_get(client)
    assert response.status_code == 200, response.json()
    assert "worker(s) answered" in response.json()["checks"]["celery"]


def test_the_public_gets_the_status_alone_when_healthy(client):
    ApiCallFactory.create_batch(3, provider="musicbrainz")
    response = client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_the_public_gets_the_status_alone_when_degraded(client):
    _failing_calls("discogs", errors=10, total=10)
    response = client.get("/health")
    assert (response.status_code, response.json()) == (503, {"status": "degraded"})


def test_a_wrong_or_empty_token_gets_the_status_alone(client, settings):
    assert client.get("/health", HTTP_AUTHORIZATION="Bearer wrong").json() == {"status": "ok"}
    settings.HEALTH_TOKEN = ""
    assert client.get("/health", HTTP_AUTHORIZATION="Bearer ").json() == {"status": "ok"}


def test_staff_get_the_details(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/health").json()["checks"]["database"] == "ok"


def test_a_listener_who_is_not_staff_gets_the_status_alone(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ana", password="x"))
    assert client.get("/health").json() == {"status": "ok"}


def test_the_workers_answer_is_reused_for_a_few_seconds(client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS
    settings.CELERY_TASK_ALWAYS_EAGER = False
    first = _monitor_get(client).json()["checks"]["celery"]
    cache.set(health.celery_cache_key(), health.Check(True, "answer kept from the last ask"), 60)
    assert first.startswith("broker unreachable")
    assert _monitor_get(client).json()["checks"]["celery"] == "answer kept from the last ask"


@pytest.mark.redis
def test_with_no_worker_the_ping_is_asked_once_with_a_short_timeout_then_answered_from_cache(settings, monkeypatch):
    """Counted, not timed: the broker is asked once (waiting at most WORKER_PING_TIMEOUT_SECONDS),
    and the next check reads the cached answer."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    asked = []
    ask = health.inspect_workers
    monkeypatch.setattr(health, "inspect_workers", lambda *args, **kwargs: asked.append(1) or ask(*args, **kwargs))
    health.check_celery()
    check = health.check_celery()
    assert len(asked) == 1 and health.WORKER_PING_TIMEOUT_SECONDS <= 1
    assert not check.ok and "no worker answered" in check.detail


def test_median_duration_per_provider_is_the_middle_call():
    for ms in (100, 300, 200, 900):
        ApiCallFactory(provider="discogs", duration_ms=ms)
    ApiCallFactory(provider="ecb", duration_ms=40)
    assert health.median_durations(60) == {"discogs": 250.0, "ecb": 40.0}


def test_discogs_without_credentials_is_a_warning_not_a_failure(client, settings):
    settings.DISCOGS_TOKEN = settings.DISCOGS_CONSUMER_KEY = settings.DISCOGS_CONSUMER_SECRET = ""

    response = _monitor_get(client)

    assert response.status_code == 200
    assert "database search and price suggestions are skipped" in response.json()["checks"]["warnings"]["discogs"]


def test_no_warning_once_discogs_has_a_token(client, settings):
    settings.DISCOGS_TOKEN = "t0ken"

    assert _monitor_get(client).json()["checks"]["warnings"] == {}
