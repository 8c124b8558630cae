"""Probes of what Vinilogy depends on, shared by the /health endpoint and the admin dashboard.

Every probe is bounded by a short timeout and turns a failure into a result instead of an
exception, so neither a load balancer's probe nor the operators' page can hang on a dead service.
"""

import logging
from dataclasses import dataclass, field

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from redis.backoff import NoBackoff
from redis.retry import Retry

from integrations import discogs
from integrations.models import ApiCall

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 1
# Waiting for worker replies is the slow part of a probe (the whole timeout when none answers):
# it waits less than the other probes and its answer is reused for a few seconds, so a monitor
# polling /health every second does not hold a web worker for a second each time.
WORKER_PING_TIMEOUT_SECONDS = 0.5
WORKER_PING_CACHE_SECONDS = 5
# A provider is unhealthy when at least half of its calls in the last 15 minutes failed,
# counted only once it made enough calls for the rate to mean something.
PROVIDER_WINDOW_MINUTES = 15
PROVIDER_MAX_ERROR_RATE = 0.5
PROVIDER_MIN_CALLS = 10


@dataclass
class Check:
    ok: bool
    detail: object

    def reason(self, name):
        return f"{name}: {self.detail}"


# --- database and Redis ---------------------------------------------------------------------


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # whatever the driver raises, the database is what is down
        logger.warning("health: database unreachable: %s", exc)
        return Check(False, f"unreachable ({type(exc).__name__})")
    return Check(True, "ok")


def redis_client():
    """A client that fails fast: one attempt, short timeouts (no retries to wait through)."""
    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )


def check_redis() -> Check:
    """PING Redis; without REDIS_URL the site runs without it, which is not a failure."""
    if not settings.REDIS_URL:
        return Check(True, "not configured")
    try:
        redis_client().ping()
    except redis.RedisError as exc:
        logger.warning("health: Redis unreachable: %s", exc)
        return Check(False, f"unreachable ({type(exc).__name__})")
    return Check(True, "ok")


# --- Celery workers -------------------------------------------------------------------------


@dataclass
class Workers:
    """What the broker says about the workers: eager mode, the workers that answered, or why not."""

    mode: str  # "eager", "broker" or "unreachable"
    active: dict = field(default_factory=dict)  # worker name -> number of tasks it is running
    queue_length: int | None = None
    error: str = ""

    @property
    def healthy(self):
        return self.mode == "eager" or bool(self.active)


def celery_is_eager():
    return settings.CELERY_TASK_ALWAYS_EAGER


def inspect_workers(with_queue=False) -> Workers:
    """Ping the workers through the broker (at most about a second per question asked).

    In eager mode tasks run inside the web process, so there is no worker to ask.
    """
    if celery_is_eager():
        return Workers("eager")
    if not settings.REDIS_URL:
        return Workers("unreachable", error="no broker configured (REDIS_URL is empty)")
    try:
        return _ask_broker(with_queue)
    except Exception as exc:  # kombu and redis raise several kinds for a dead broker
        logger.warning("health: Celery broker unreachable: %s", exc)
        return Workers("unreachable", error=f"broker unreachable ({type(exc).__name__})")


def _ask_broker(with_queue):
    from vinilogy.celery import app

    # One attempt with a short connect timeout: kombu would otherwise retry for a long time.
    options = {"connect_timeout": PROBE_TIMEOUT_SECONDS, "transport_options": {"max_retries": 0}}
    with app.connection_for_write(settings.REDIS_URL, **options) as conn:
        answered = app.control.inspect(timeout=WORKER_PING_TIMEOUT_SECONDS, connection=conn).ping() or {}
        active = _active_counts(app, conn, list(answered))
    queue_length = redis_client().llen(settings.CELERY_TASK_DEFAULT_QUEUE) if with_queue else None
    return Workers("broker", active=active, queue_length=queue_length)


def _active_counts(app, conn, names):
    """Tasks each answering worker is running; `limit` returns as soon as all of them replied."""
    if not names:
        return {}
    inspector = app.control.inspect(timeout=WORKER_PING_TIMEOUT_SECONDS, connection=conn, destination=names, limit=len(names))
    replies = inspector.active() or {}
    return {name: len(replies.get(name) or []) for name in names}


def check_celery() -> Check:
    """The workers' answer, asked at most once per WORKER_PING_CACHE_SECONDS per broker."""
    if celery_is_eager():
        return Check(True, "eager")
    key = celery_cache_key()
    cached = cache.get(key)
    if cached is None:
        cached = _celery_check(inspect_workers())
        cache.set(key, cached, WORKER_PING_CACHE_SECONDS)
    return cached


def celery_cache_key():
    return f"vinilogy:health:celery:{settings.REDIS_URL}"


def _celery_check(workers: Workers) -> Check:
    if workers.error:
        return Check(False, workers.error)
    if not workers.active:
        return Check(False, f"no worker answered a ping within {WORKER_PING_TIMEOUT_SECONDS}s")
    return Check(True, f"{len(workers.active)} worker(s) answered")


# --- external API providers -----------------------------------------------------------------


@dataclass
class ProviderCalls:
    provider: str
    calls: int
    errors: int
    median_ms: float | None = None

    @property
    def error_rate(self):
        return self.errors / self.calls if self.calls else 0.0

    @property
    def error_percent(self):
        return round(100 * self.error_rate, 1)

    @property
    def breaching(self):
        return self.calls >= PROVIDER_MIN_CALLS and self.error_rate >= PROVIDER_MAX_ERROR_RATE


def provider_calls(minutes, with_median=False) -> list[ProviderCalls]:
    """Calls and errors per provider over the last `minutes` (one query; medians one more)."""
    rows = (
        ApiCall.objects.recent(minutes)
        .order_by()
        .values("provider")
        .annotate(calls=Count("pk"), errors=Count("pk", filter=~Q(error_kind="")))
        .order_by("provider")
    )
    medians = median_durations(minutes) if with_median else {}
    return [ProviderCalls(**row, median_ms=medians.get(row["provider"])) for row in rows]


def median_durations(minutes) -> dict[str, float]:
    """Median call duration per provider, computed by the database on SQLite and PostgreSQL alike.

    Each provider's calls are ranked by duration; only the one or two middle rows come back.
    """
    ranked = ApiCall.objects.recent(minutes).annotate(
        rank=Window(RowNumber(), partition_by=F("provider"), order_by=F("duration_ms").asc()),
        size=Window(Count("pk"), partition_by=F("provider")),
    )
    middle = ranked.filter(rank__gte=(F("size") + 1) / 2, rank__lte=F("size") / 2 + 1)
    middles = {}
    for provider, duration in middle.order_by().values_list("provider", "duration_ms"):
        middles.setdefault(provider, []).append(duration)
    return {provider: sum(values) / len(values) for provider, values in middles.items()}


def check_providers() -> dict[str, Check]:
    return {
        stats.provider: Check(not stats.breaching, _provider_detail(stats)) for stats in provider_calls(PROVIDER_WINDOW_MINUTES)
    }


def _provider_detail(stats: ProviderCalls):
    return {"calls": stats.calls, "errors": stats.errors, "error_rate_percent": stats.error_percent}


# --- configuration ----------------------------------------------------------------------------


def configuration_warnings() -> dict[str, str]:
    """What the site runs without, by provider: not a failure, but said at start, before a
    sync finds out (Discogs without credentials skips search and gets no images)."""
    warning = discogs.credentials_warning()
    return {"discogs": warning} if warning else {}


# --- all together ---------------------------------------------------------------------------


def run_checks() -> tuple[dict, list[str]]:
    """(checks by name, reasons naming each failing check); no reasons means healthy."""
    checks = {"database": check_database(), "redis": check_redis(), "celery": check_celery()}
    providers = check_providers() if checks["database"].ok else {}
    reasons = [check.reason(name) for name, check in checks.items() if not check.ok]
    reasons += [_provider_reason(name, check) for name, check in providers.items() if not check.ok]
    report = {name: check.detail for name, check in checks.items()}
    report["providers"] = {name: {**check.detail, "ok": check.ok} for name, check in providers.items()}
    report["warnings"] = configuration_warnings()
    return report, reasons


def _provider_reason(name, check):
    detail = check.detail
    return (
        f"provider {name}: {detail['error_rate_percent']}% of {detail['calls']} calls failed "
        f"in the last {PROVIDER_WINDOW_MINUTES} minutes"
    )
