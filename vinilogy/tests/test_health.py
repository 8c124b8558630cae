"""/health answers 200 when every dependency is fine and 503 naming each failing one."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from integrations.factories import ApiCallFactory
from vinilogy import health

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def _failing_calls(provider, errors, total):
    for n in range(total):
        ApiCallFactory(provider=provider, status_code=500 if n < errors else 200, error_kind="server" if n < errors else "")


def test_healthy_site_answers_ok_with_each_check(client):
    ApiCallFactory.create_batch(3, provider="musicbrainz")
    response = client.get("/health")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["celery"] == "eager"
    assert body["checks"]["redis"] == ("ok" if os.environ.get("REDIS_URL") else "not configured")
    assert body["checks"]["providers"]["musicbrainz"] == {"calls": 3, "errors": 0, "error_rate_percent": 0.0, "ok": True}
    assert response["Cache-Control"].startswith("max-age=0")


def test_redis_not_configured_is_not_a_failure(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/health")
    assert response.status_code == 200 and response.json()["checks"]["redis"] == "not configured"


def test_database_outage_answers_503_naming_the_database(client, monkeypatch):
    def outage():
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", outage)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["reasons"] == ["database: unreachable (OperationalError)"]


def test_a_provider_failing_half_its_calls_makes_the_site_unhealthy(client):
    _failing_calls("discogs", errors=5, total=10)
    _failing_calls("lastfm", errors=9, total=9)  # too few calls to judge
    response = client.get("/health")
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
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["reasons"] == ["redis: unreachable (ConnectionError)"]


def test_without_eager_mode_an_unreachable_broker_means_no_workers(client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS
    settings.CELERY_TASK_ALWAYS_EAGER = False
    reasons = client.get("/health").json()["reasons"]
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


def _wait_for_a_worker(attempts=30):
    """Worker start-up takes a few seconds; each ping below waits up to the probe timeout."""
    for _ in range(attempts):
        if health.inspect_workers().active:
            return
    pytest.fail("the worker process never answered a ping")


@pytest.mark.redis
def test_a_worker_answering_the_broker_ping_is_healthy(client, settings, celery_worker_process):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _wait_for_a_worker()
    response = client.get("/health")
    assert response.status_code == 200, response.json()
    assert "worker(s) answered" in response.json()["checks"]["celery"]


def test_median_duration_per_provider_is_the_middle_call():
    for ms in (100, 300, 200, 900):
        ApiCallFactory(provider="discogs", duration_ms=ms)
    ApiCallFactory(provider="ecb", duration_ms=40)
    assert health.median_durations(60) == {"discogs": 250.0, "ecb": 40.0}


def test_discogs_without_credentials_is_a_warning_not_a_failure(client, settings):
    settings.DISCOGS_TOKEN = settings.DISCOGS_CONSUMER_KEY = settings.DISCOGS_CONSUMER_SECRET = ""

    response = client.get("/health")

    assert response.status_code == 200
    assert "database search and price suggestions are skipped" in response.json()["checks"]["warnings"]["discogs"]


def test_no_warning_once_discogs_has_a_token(client, settings):
    settings.DISCOGS_TOKEN = "t0ken"

    assert client.get("/health").json()["checks"]["warnings"] == {}
