"""The operators' dashboard in the admin: catalog coverage, ingestion jobs, workers, API calls, beat.

Each section is one annotated query (the API section two), so the page costs the same with ten
jobs or ten thousand; the probes of Redis and Celery are bounded by vinilogy.health's timeouts.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, Q
from django.template.response import TemplateResponse
from django_celery_beat.models import PeriodicTask

from alerts.models import Notification
from catalog.models import Album, Artist, IngestionJob, Release
from pricing import schedule as price_schedule
from pricing.models import PriceQuote

from . import health

try:  # the limiter reports live state when it is there; the configured rates are the fallback
    from integrations.ratelimit import limiter_state
except ImportError:  # pragma: no cover - only while the integrations layer is absent
    limiter_state = None

# Coverage the catalog should reach, in percent.
TARGET_ARTISTS_WITH_MBID = 95
TARGET_STUDIO_ALBUMS_WITH_VINYL = 80
TARGET_PRESSINGS_WITH_PRICE = 50
API_WINDOW_MINUTES = 60
LATEST_JOBS = 10


@dataclass
class Coverage:
    label: str
    count: int
    total: int
    target: int

    @property
    def percent(self):
        return round(100 * self.count / self.total, 1) if self.total else None

    @property
    def state(self):
        """ "ok", "below" (target missed) or "nodata" (nothing to measure yet)."""
        if self.percent is None:
            return "nodata"
        return "ok" if self.percent >= self.target else "below"


# --- catalog --------------------------------------------------------------------------------


def artist_coverage():
    counts = Artist.objects.aggregate(total=Count("pk"), with_mbid=Count("pk", filter=Q(mbid__isnull=False)))
    return Coverage("Artists with a MusicBrainz id", counts["with_mbid"], counts["total"], TARGET_ARTISTS_WITH_MBID)


def album_counts():
    """All albums, studio albums, and studio albums with at least one vinyl pressing."""
    has_vinyl = Exists(Release.objects.filter(album=OuterRef("pk")))
    return Album.objects.annotate(has_vinyl=has_vinyl).aggregate(
        total=Count("pk"),
        studio=Count("pk", filter=Q(is_studio=True)),
        studio_with_vinyl=Count("pk", filter=Q(is_studio=True, has_vinyl=True)),
    )


def pressing_counts():
    has_price = Exists(PriceQuote.objects.current().filter(release=OuterRef("pk")))
    return Release.objects.annotate(has_price=has_price).aggregate(
        total=Count("pk"), priced=Count("pk", filter=Q(has_price=True))
    )


def catalog_summary():
    """Counts and the three coverage targets (three queries)."""
    albums, pressings = album_counts(), pressing_counts()
    coverage = [
        artist_coverage(),
        Coverage(
            "Studio albums with a vinyl pressing", albums["studio_with_vinyl"], albums["studio"], TARGET_STUDIO_ALBUMS_WITH_VINYL
        ),
        Coverage("Pressings with a current price", pressings["priced"], pressings["total"], TARGET_PRESSINGS_WITH_PRICE),
    ]
    counts = {
        "artists": coverage[0].total,
        "albums": albums["total"],
        "studio albums": albums["studio"],
        "vinyl pressings": pressings["total"],
    }
    return {"coverage": coverage, "counts": counts}


# --- API calls and rate limits --------------------------------------------------------------


@dataclass
class ProviderRow:
    provider: str
    calls: health.ProviderCalls | None
    rate_per_minute: float | None
    limiter: dict | None


def provider_rows(redis_ok=True):
    """One row per provider (or daily budget) with calls in the window, a configured rate or a
    daily budget; calls first."""
    calls = {stats.provider: stats for stats in health.provider_calls(API_WINDOW_MINUTES, with_median=True)}
    configured = set(settings.RATE_LIMITS) | set(settings.DAILY_BUDGETS)
    names = sorted(set(calls) | configured, key=lambda name: (name not in calls, name))
    return [ProviderRow(name, calls.get(name), settings.RATE_LIMITS.get(name), _limiter(name, redis_ok)) for name in names]


def _limiter(provider, redis_ok):
    """The limiter's live state; None when it is not available (no limiter, or Redis down)."""
    if limiter_state is None or not redis_ok:
        return None
    try:
        return limiter_state(provider)
    except Exception:  # a broken limiter backend must not take the dashboard down
        return None


# --- the page -------------------------------------------------------------------------------


def latest_jobs():
    return list(IngestionJob.objects.select_related("created_by")[:LATEST_JOBS])


def beat_tasks():
    schedules = ("interval", "crontab", "solar", "clocked")
    return list(PeriodicTask.objects.select_related(*schedules).order_by("name"))


def dashboard_context():
    redis_check = health.check_redis()
    return {
        **catalog_summary(),
        "jobs": latest_jobs(),
        "redis": redis_check,
        "workers": health.inspect_workers(with_queue=True) if redis_check.ok else _workers_without_redis(),
        "providers": provider_rows(redis_ok=redis_check.ok),
        "configuration_warnings": health.configuration_warnings(),
        "api_window_minutes": API_WINDOW_MINUTES,
        "beat_tasks": beat_tasks(),
        "price_budget": price_schedule.summary(),
        "alerts": Notification.objects.dashboard_counts(),
        "queue_name": settings.CELERY_TASK_DEFAULT_QUEUE,
    }


def _workers_without_redis():
    if health.celery_is_eager():
        return health.Workers("eager")
    return health.Workers("unreachable", error="broker unreachable (Redis did not answer)")


def dashboard(request):
    """The whole console on one page (wrapped by admin_view: staff only)."""
    context = {**admin.site.each_context(request), "title": "Operators' dashboard", **dashboard_context()}
    return TemplateResponse(request, "admin/dashboard.html", context)


def index(request, extra_context=None):
    """The stock admin index with the coverage summary on top and a link to the dashboard."""
    return admin.site.index(request, extra_context={**catalog_summary(), **(extra_context or {})})
