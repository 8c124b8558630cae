"""The operators' dashboard: coverage against targets, jobs, workers, API calls, beat; staff only."""

import pytest
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from accounts.factories import UserFactory
from catalog.factories import AlbumFactory, ArtistFactory, IngestionJobFactory, ReleaseFactory
from integrations import ratelimit
from integrations.factories import ApiCallFactory
from pricing.factories import PriceQuoteFactory
from vinilogy import admin_views

pytestmark = pytest.mark.django_db

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def _catalog_with_known_coverage():
    """4 artists (3 with MBID), 4 studio albums (2 with vinyl) + 1 live, 4 pressings (1 priced)."""
    ArtistFactory(mbid=None)
    pressed = [ReleaseFactory(), ReleaseFactory()]
    AlbumFactory(artist=pressed[0].album.artist)
    AlbumFactory(artist=pressed[1].album.artist)
    ReleaseFactory(album=AlbumFactory(is_studio=False, artist=pressed[0].album.artist))
    ReleaseFactory(album=pressed[0].album)
    PriceQuoteFactory(release=pressed[0])
    PriceQuoteFactory(release=pressed[1], is_current=False)


def _beat_tasks():
    every_hour = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    nightly = CrontabSchedule.objects.create(minute="0", hour="3")
    PeriodicTask.objects.create(name="refresh prices", task="pricing.refresh_stale", interval=every_hour)
    PeriodicTask.objects.create(name="sync artists", task="catalog.sync_stale", crontab=nightly, enabled=False)


def test_coverage_is_measured_against_each_target():
    _catalog_with_known_coverage()
    summary = admin_views.catalog_summary()
    rows = [(c.count, c.total, c.percent, c.state) for c in summary["coverage"]]
    assert rows == [(2, 3, 66.7, "below"), (2, 4, 50.0, "below"), (1, 4, 25.0, "below")]
    assert summary["counts"] == {"artists": 3, "albums": 5, "studio albums": 4, "vinyl pressings": 4}


def test_coverage_on_target_and_without_data_is_told_apart():
    ReleaseFactory(album=AlbumFactory(is_studio=True))
    artists, albums, pressings = admin_views.catalog_summary()["coverage"]
    assert (artists.state, albums.state, pressings.state) == ("ok", "ok", "below")
    assert admin_views.Coverage("x", 0, 0, 50).state == "nodata"


def test_dashboard_shows_every_section(admin_client):
    _catalog_with_known_coverage()
    IngestionJobFactory(name="artists-2024.csv", status="running", total=200, processed=50)
    ApiCallFactory.create_batch(3, provider="discogs", duration_ms=100)
    ApiCallFactory(provider="discogs", error_kind="server", status_code=500, duration_ms=900)
    _beat_tasks()
    page = admin_client.get(reverse("admin-dashboard")).content.decode()
    assert "66.7%" in page and "✘ below target" in page
    assert "artists-2024.csv" in page and 'value="25"' in page
    assert "eager mode: tasks run in-process" in page
    assert '<td class="num">4</td>' in page and "25.0%" in page  # discogs: 4 calls, 1 error
    assert "refresh prices" in page and "sync artists" in page and "never" in page
    assert "Discogs price budget today" in page and "Waiting for tomorrow" in page


def test_dashboard_query_count_does_not_grow_with_rows(admin_client, admin_user, django_assert_max_num_queries):
    _catalog_with_known_coverage()
    for n in range(12):
        IngestionJobFactory(name=f"job-{n}.csv", created_by=admin_user)
    for provider in ("discogs", "lastfm", "musicbrainz", "ebay"):
        ApiCallFactory.create_batch(3, provider=provider)
    _beat_tasks()
    # 9 for the page, 6 for the price budget (albums seen: sets, feedback, wantlists; albums due;
    # sellers due and their count), and 1 for the alerts section, none of them growing with rows.
    with django_assert_max_num_queries(16):
        response = admin_client.get(reverse("admin-dashboard"))
    assert response.status_code == 200


def test_rate_limits_fall_back_to_the_configured_rates(settings, monkeypatch):
    monkeypatch.setattr(admin_views, "limiter_state", None)
    settings.RATE_LIMITS, settings.DAILY_BUDGETS = {"musicbrainz": 60.0}, {}
    rows = admin_views.provider_rows()
    assert [(r.provider, r.rate_per_minute, r.limiter) for r in rows] == [("musicbrainz", 60.0, None)]


def test_rate_limits_show_the_limiter_state_when_it_answers(monkeypatch, settings):
    settings.RATE_LIMITS = {"discogs": 60.0}
    monkeypatch.setattr(admin_views, "limiter_state", lambda p: {"provider": p, "backend": "memory", "rate_per_minute": 25.0})
    assert admin_views.provider_rows()[0].limiter["rate_per_minute"] == 25.0


def test_unreachable_redis_and_broker_are_shown_not_raised(admin_client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS
    settings.CELERY_TASK_ALWAYS_EAGER = False
    page = admin_client.get(reverse("admin-dashboard")).content.decode()
    assert "unreachable (ConnectionError)" in page
    assert '<span class="below">unreachable</span>' in page


def test_admin_index_shows_the_coverage_summary_and_links_the_dashboard(admin_client):
    ArtistFactory()
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin-dashboard") in page and "Artists with a MusicBrainz id" in page
    assert "✔ on target" in page
    assert "Site administration" in page or "Catalog" in page  # the stock app list is still there


@pytest.mark.parametrize("url_name", ["admin-dashboard", "admin:index"])
def test_a_non_staff_user_is_sent_to_the_admin_login(client, url_name):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin-dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_each_daily_budget_shows_what_was_spent_today(admin_client, settings):
    settings.DAILY_BUDGETS = {"ebay": 5000, "ebay_token": 1000}
    for _ in range(3):
        ratelimit.get_limiter("ebay").spend(5000)
    ratelimit.get_limiter("ebay_token").spend(1000)

    page = admin_client.get(reverse("admin-dashboard")).content.decode()

    assert "3 of 5000 calls today" in page and "1 of 1000 calls today" in page


def test_the_dashboard_says_when_discogs_runs_without_credentials(admin_client, settings):
    settings.DISCOGS_TOKEN = settings.DISCOGS_CONSUMER_KEY = settings.DISCOGS_CONSUMER_SECRET = ""

    page = admin_client.get(reverse("admin-dashboard")).content.decode()

    assert "discogs: Discogs has no credentials (set DISCOGS_TOKEN" in page
