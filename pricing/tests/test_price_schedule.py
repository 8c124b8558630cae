"""The Discogs budget: refresh by value, the statistics as the cheap filter, the daily budget."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.factories import AlbumFactory, ReleaseFactory
from integrations import ratelimit
from pricing import priority, schedule, services, tasks
from pricing.models import MarketCheck, Seller
from pricing.sources.discogs import releases_to_price

pytestmark = pytest.mark.django_db


def album_refreshed(days_ago, wants=0, pressings=1):
    album = AlbumFactory(prices_refreshed_at=timezone.now() - timedelta(days=days_ago))
    for _ in range(pressings):
        ReleaseFactory(album=album, want=wants)
    return album


@pytest.fixture
def seen(monkeypatch):
    albums = set()
    monkeypatch.setattr(priority, "_seen", [lambda among=None: albums])
    return albums


def due_ids(tier):
    return [album_id for album_id, _ in schedule.albums_due()[tier].albums]


def test_albums_listeners_see_are_due_daily_wanted_ones_weekly_and_the_rest_monthly(seen, settings):
    settings.PRICE_WEEKLY_MIN_WANTS = 500
    shown, wanted, quiet = album_refreshed(2), album_refreshed(2, wants=900), album_refreshed(2, wants=10)
    seen.add(shown.pk)
    wanted_old, quiet_old = album_refreshed(8, wants=900), album_refreshed(31, wants=10)
    assert due_ids(schedule.DAILY) == [shown.pk]
    assert due_ids(schedule.WEEKLY) == [wanted_old.pk] and wanted.pk not in due_ids(schedule.WEEKLY)
    assert due_ids(schedule.MONTHLY) == [quiet_old.pk] and quiet.pk not in due_ids(schedule.MONTHLY)


def test_a_pressing_known_to_have_nothing_for_sale_is_not_asked_again_for_a_while(settings):
    settings.PRICE_EMPTY_RECHECK_DAYS = 30
    album = AlbumFactory()
    empty, selling, stale_empty = (ReleaseFactory(album=album, want=0) for _ in range(3))
    MarketCheck.objects.create(release=empty, num_for_sale=0, checked_at=timezone.now() - timedelta(days=3))
    MarketCheck.objects.create(release=selling, num_for_sale=4, checked_at=timezone.now())
    MarketCheck.objects.create(release=stale_empty, num_for_sale=0, checked_at=timezone.now() - timedelta(days=40))
    assert set(releases_to_price(album)) == {selling, stale_empty}
    assert schedule.albums_due()[schedule.MONTHLY].albums == [(album.pk, 2)]


def test_the_fan_out_sends_the_daily_tier_first_and_keeps_what_the_budget_cannot_fit_waiting(seen, settings, monkeypatch):
    settings.DAILY_BUDGETS = {**settings.DAILY_BUDGETS, "discogs": 5}
    album_refreshed(40, pressings=3)  # a monthly-tier album the budget leaves waiting
    daily = album_refreshed(2, pressings=3)
    seen.add(daily.pk)
    queued = []
    monkeypatch.setattr(tasks.refresh_source_prices, "apply_async", lambda args, **options: queued.append(args[0]))
    assert tasks.refresh_all_prices() == 1 and queued == [daily.pk]
    plan = schedule.plan_today()
    assert (plan.waiting, plan.waiting_calls) == (1, 3)


def test_calls_already_spent_today_and_seller_crawls_due_come_off_the_budget(settings):
    settings.DAILY_BUDGETS = {**settings.DAILY_BUDGETS, "discogs": 10}
    Seller.objects.create(discogs_username="big", listings_current=450)  # a first walk: 5 pages
    limiter = ratelimit.get_limiter("discogs")
    for _ in range(3):
        limiter.spend(10)
    album_refreshed(40, pressings=3)
    plan = schedule.plan_today()
    assert (plan.spent, plan.crawl_calls, len(plan.enqueued), plan.waiting) == (3, 5, 0, 1)


def test_the_daily_cost_model_counts_empty_pressings_once_per_recheck_window(settings):
    settings.PRICE_EMPTY_RECHECK_DAYS = 30
    assert schedule.todays_calls_per_day(25) == 20
    settings.PRICE_DAILY_PRESSINGS = 3
    assert schedule.calls_per_day(10, 4, schedule.DAILY) == pytest.approx(3 + 3 / 7 + 4 / 30)
    assert schedule.calls_per_day(10, 4, schedule.MONTHLY) == pytest.approx(6 / 30 + 4 / 30)
    assert schedule.calls_per_day(10, 0, schedule.WEEKLY) == pytest.approx(10 / 7)
    assert schedule.crawl_calls_per_day(1000) == pytest.approx(1 + 10 / settings.SELLER_FULL_WALK_DAYS)


def test_the_discogs_budget_defaults_to_70_percent_of_its_daily_limit():
    from django.conf import settings as live

    assert live.DAILY_BUDGETS["discogs"] == 60_480  # 70% of 60 calls a minute for a day


def test_recommendations_registers_which_albums_listeners_see():
    from recommendations.apps import albums_listeners_see

    assert priority._seen and priority._seen[0] is albums_listeners_see


def test_a_daily_album_asks_its_most_wanted_pressings_daily_and_its_tail_weekly(seen, settings):
    settings.PRICE_DAILY_PRESSINGS = 2
    album = AlbumFactory()
    top, second, tail_fresh, tail_old = (ReleaseFactory(album=album, want=want) for want in (900, 800, 700, 600))
    seen.add(album.pk)
    for release, days in ((top, 0), (second, 0), (tail_fresh, 2), (tail_old, 9)):
        MarketCheck.objects.create(release=release, num_for_sale=3, checked_at=timezone.now() - timedelta(days=days))
    assert releases_to_price(album) == [top, second, tail_old]
    seen.clear()
    assert releases_to_price(album) == [top, second, tail_fresh, tail_old]


def test_each_provider_plans_its_day_with_its_own_budget_and_its_sources_run_on_its_queue(seen, settings, monkeypatch):
    settings.EBAY_CLIENT_ID, settings.EBAY_CLIENT_SECRET = "id", "secret"
    settings.DAILY_BUDGETS = {**settings.DAILY_BUDGETS, "discogs": 100, "ebay": 7}  # eBay: one album of 2 + 5 calls
    first, second = album_refreshed(40, pressings=3), album_refreshed(39, pressings=3)
    queued = []
    monkeypatch.setattr(
        tasks.refresh_source_prices, "apply_async", lambda args, **options: queued.append((args[:2], options["queue"]))
    )

    assert tasks.refresh_all_prices(["ES", "DE"]) == 3
    assert sorted(queued) == sorted(
        [
            ((first.pk, "discogs"), "discogs"),
            ((second.pk, "discogs"), "discogs"),
            ((first.pk, "ebay"), "ebay"),
        ]
    )
    plans = services.plans_today(["ES", "DE"])
    assert (plans["ebay"][0].budget, plans["ebay"][0].waiting) == (7, 1)
    assert plans["discogs"][0].budget == 100 and [s.name for s in plans["discogs"][1]] == ["discogs"]


def test_one_albums_refresh_sends_each_configured_source_to_its_providers_queue(settings, monkeypatch):
    settings.EBAY_CLIENT_ID, settings.EBAY_CLIENT_SECRET = "id", "secret"
    album = album_refreshed(40)
    queued = []
    monkeypatch.setattr(
        tasks.refresh_source_prices, "apply_async", lambda args, **options: queued.append((args[1], options["queue"]))
    )

    assert tasks.refresh_album_prices.delay(album.pk).get() == 2
    assert sorted(queued) == [("discogs", "discogs"), ("ebay", "ebay")]
