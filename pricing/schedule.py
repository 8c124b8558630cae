"""The price budget: which album prices are refreshed when, and how many calls that costs.

Prices are refreshed by value. Albums listeners see (in a live set, locked or wantlisted:
pricing.priority) are refreshed daily; the others by demand, weekly when at least
PRICE_WEEKLY_MIN_WANTS Discogs users want one of their pressings, else monthly. Marketplace
statistics are the cheap filter: a pressing they say has nothing for sale is not asked again
for PRICE_EMPTY_RECHECK_DAYS (MarketCheck), and of a daily album only the PRICE_DAILY_PRESSINGS
most wanted pressings are asked every day, its tail once a week. Seller inventories bring 100
listings a call.

Each provider has its daily budget (settings.DAILY_BUDGETS[provider]; Discogs' is 70% of its
86,400 calls by default), enforced per call by the HTTP layer across every worker
(integrations.ratelimit). The daily fan-out plans each provider apart (pricing.services.
plans_today): daily tier first, only the albums whose estimated calls on that provider (its
price sources' calls_per_refresh) fit what is left of its budget after the calls its sources
reserve (Discogs' seller crawls due), and says what waits (the admin dashboard shows
Discogs'). The same estimate functions feed benchmarks/price_budget.py, so the benchmark models the
schedule this code runs.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from catalog.models import Album
from integrations import ratelimit

from . import priority
from .models import MarketCheck, Seller

# Each album is priced through at most this many of its most wanted official pressings.
MAX_RELEASES_PRICED = 20
LISTINGS_PER_CALL = 100  # Discogs' inventory page size
DAILY, WEEKLY, MONTHLY = "daily", "weekly", "monthly"
TIER_DAYS = {DAILY: 1, WEEKLY: 7, MONTHLY: 30}
TIER_ORDER = (DAILY, WEEKLY, MONTHLY)
PROVIDER = "discogs"
# A daily fan-out runs at about the same hour each day: an album refreshed a little after
# yesterday's run is still due today.
SLACK = timedelta(hours=1)


def tier_of(seen, demand):
    """The refresh tier of an album: seen by listeners → daily; wanted → weekly; else monthly."""
    if seen:
        return DAILY
    return WEEKLY if (demand or 0) >= settings.PRICE_WEEKLY_MIN_WANTS else MONTHLY


def split_pressings(pressings, known_empty, tier):
    """(asked every refresh, asked weekly) of an album's pressings not known to be empty: a
    daily album's PRICE_DAILY_PRESSINGS most wanted ones daily, its tail weekly."""
    selling = max(min(pressings, MAX_RELEASES_PRICED) - known_empty, 0)
    if tier != DAILY:
        return selling, 0
    top = min(selling, settings.PRICE_DAILY_PRESSINGS)
    return top, selling - top


def calls_per_refresh(pressings, known_empty=0, tier=MONTHLY):
    """Marketplace-stats calls one refresh of the album costs, on average (the tail of a daily
    album is asked one day in seven)."""
    every, weekly = split_pressings(pressings, known_empty, tier)
    return every + math.ceil(weekly / TIER_DAYS[WEEKLY])


def calls_per_day(pressings, empty, tier):
    """Average daily stats calls of one album on its tier: pressings with something for sale
    on the tier's cadence (a daily album's tail weekly); the empty ones only once per recheck
    window (the cheap filter)."""
    empty = min(empty, pressings, MAX_RELEASES_PRICED)
    every, weekly = split_pressings(pressings, empty, tier)
    recheck = max(settings.PRICE_EMPTY_RECHECK_DAYS, TIER_DAYS[tier])
    return every / TIER_DAYS[tier] + weekly / TIER_DAYS[WEEKLY] + empty / recheck


def pressings_due(releases, tier, now=None):
    """Of an album's pressings to price (most wanted first), those due in this refresh: all but a
    daily album's tail pressings checked within the week."""
    if tier != DAILY:
        return list(releases)
    week_ago = (now or timezone.now()) - timedelta(days=TIER_DAYS[WEEKLY]) + SLACK
    checked = dict(MarketCheck.objects.filter(release__in=releases).values_list("release_id", "checked_at"))
    top = settings.PRICE_DAILY_PRESSINGS
    return [r for rank, r in enumerate(releases) if rank < top or checked.get(r.pk) is None or checked[r.pk] < week_ago]


def album_tier(album):
    return tier_of(album.pk in priority.albums_listeners_see(among=[album.pk]), album.releases.aggregate(m=Max("want"))["m"])


def todays_calls_per_day(pressings):
    """The schedule before this one: every album daily, every capped pressing asked each time."""
    return min(pressings, MAX_RELEASES_PRICED)


def crawl_calls_per_day(listings):
    """Inventory calls of one seller: one incremental page a day, a full walk every SELLER_FULL_WALK_DAYS."""
    full_walk = math.ceil(max(listings, 1) / LISTINGS_PER_CALL)
    return 1 + full_walk / settings.SELLER_FULL_WALK_DAYS


def known_empty_releases(now=None):
    since = (now or timezone.now()) - timedelta(days=settings.PRICE_EMPTY_RECHECK_DAYS)
    return MarketCheck.objects.known_empty(since).values("release_id")


# --- what is due today ------------------------------------------------------------------------


@dataclass
class TierDue:
    tier: str
    albums: list = field(default_factory=list)  # (album id, estimated calls), oldest first

    @property
    def calls(self):
        return sum(calls for _, calls in self.albums)


@dataclass
class Plan:
    budget: int | None
    spent: int
    crawl_calls: int
    tiers: dict
    enqueued: list = field(default_factory=list)
    waiting: int = 0
    waiting_calls: int = 0

    @property
    def enqueued_calls(self):
        return sum(calls for _, calls in self.enqueued)

    @property
    def left(self):
        """Calls still free today after the crawls due and the albums enqueued (None: no budget)."""
        return None if self.budget is None else self.budget - self.spent - self.crawl_calls - self.enqueued_calls


def albums_due(now=None, cost=None):
    """{tier: TierDue} of the albums whose prices are past their tier's window, oldest first,
    each with its estimated calls: `cost(pressings, empty, tier)`, by default Discogs'."""
    now, cost = now or timezone.now(), cost or calls_per_refresh
    seen = priority.albums_listeners_see()
    tiers = {tier: TierDue(tier) for tier in TIER_ORDER}
    for album_id, stamp, demand, pressings, empty in _album_rows(now):
        tier = tier_of(album_id in seen, demand)
        if stamp is None or stamp < now - timedelta(days=TIER_DAYS[tier]) + SLACK:
            tiers[tier].albums.append((album_id, cost(pressings, empty, tier)))
    return tiers


def _album_rows(now):
    """(id, prices_refreshed_at, demand, official pressings, of them known empty) per album."""
    since = now - timedelta(days=settings.PRICE_EMPTY_RECHECK_DAYS)
    official = Q(releases__is_official=True)
    empty = official & Q(releases__market_check__num_for_sale=0, releases__market_check__checked_at__gte=since)
    albums = Album.objects.filter(releases__isnull=False).annotate(
        demand=Max("releases__want"),
        pressings=Count("releases", filter=official, distinct=True),
        empty=Count("releases", filter=empty, distinct=True),
    )
    return albums.order_by(F("prices_refreshed_at").asc(nulls_first=True), "pk").values_list(
        "pk", "prices_refreshed_at", "demand", "pressings", "empty"
    )


def plan_today(now=None, provider=PROVIDER, cost=None, reserved=None):
    """One provider's albums to refresh now, daily tier first, as long as their estimated calls
    (`cost`, see albums_due) fit its daily budget left after today's spend and the calls
    `reserved` for other work (by default Discogs' seller crawls due); the rest waits for
    tomorrow. pricing.services.plans_today sizes one plan per provider from its sources."""
    budget = settings.DAILY_BUDGETS.get(provider) or None
    reserved = crawl_calls_due(now) if reserved is None else reserved
    plan = Plan(budget, ratelimit.get_limiter(provider).spent_today(), reserved, albums_due(now, cost))
    for tier in TIER_ORDER:
        for album_id, calls in plan.tiers[tier].albums:
            if plan.left is not None and calls > plan.left:
                plan.waiting += 1
                plan.waiting_calls += calls
            else:
                plan.enqueued.append((album_id, calls))
    return plan


# --- seller crawls ----------------------------------------------------------------------------


def sellers_due(now=None):
    """Active sellers not crawled within SELLER_CRAWL_HOURS (never-crawled first)."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.SELLER_CRAWL_HOURS)
    due = Seller.objects.filter(is_active=True).filter(Q(last_crawled_at__isnull=True) | Q(last_crawled_at__lt=cutoff))
    return due.order_by(F("last_crawled_at").asc(nulls_first=True), "pk")


def needs_full_walk(seller, now=None):
    """A first crawl, or the last full walk is older than SELLER_FULL_WALK_DAYS."""
    if seller.full_walk_done_at is None:
        return True
    return seller.full_walk_done_at < (now or timezone.now()) - timedelta(days=settings.SELLER_FULL_WALK_DAYS)


def crawl_calls_due(now=None):
    """Inventory calls the sellers due will spend: a full walk reads every page, else about one."""
    return sum(
        math.ceil(max(seller.listings_current, 1) / LISTINGS_PER_CALL) if needs_full_walk(seller, now) else 1
        for seller in sellers_due(now)
    )


def summary(now=None):
    """What the dashboard shows: today's spend and budget, per tier what is due, what waits."""
    plan = plan_today(now)
    return {
        "budget": plan.budget,
        "spent": plan.spent,
        "crawl_calls": plan.crawl_calls,
        "sellers_due": sellers_due(now).count(),
        "tiers": [(tier, len(plan.tiers[tier].albums), plan.tiers[tier].calls) for tier in TIER_ORDER],
        "enqueued": len(plan.enqueued),
        "enqueued_calls": plan.enqueued_calls,
        "waiting": plan.waiting,
        "waiting_calls": plan.waiting_calls,
    }
