"""Discogs calls per day at 5k and 50k albums: the old price schedule against today's.

    .venv/bin/python benchmarks/price_budget.py [--seed 12]

No database and no network: a seeded model catalog is priced with the cost functions the
schedule itself runs (pricing.schedule: `todays_calls_per_day` for the old every-album-daily
schedule, `tier_of` + `calls_per_day` + `crawl_calls_per_day` for the new one), against the
budget setting (settings.DAILY_BUDGETS["discogs"]). Only the catalog is modelled; the inputs
below are assumptions, stated, not measurements:

- vinyl pressings per album: 1 + a lognormal count (long tail: classic albums have 50+),
  calibrated so that, capped by the schedule's MAX_RELEASES_PRICED, an album costs the old
  schedule 8.4 calls a day on average: the 41.9k calls/day at 5k albums measured on main
  (issue 12);
- demand (the most wanted pressing's Discogs "want" count): lognormal, median ~150;
- a pressing has nothing for sale with probability EMPTY_SHARE;
- one listener per --albums-per-listener albums, each with 10 locked or wantlisted albums; the
  ACTIVE_SHARE who came back within a set's TTL also have a live set of 24 cards (an expired set
  is not "seen": recommendations registers live sets only); albums drawn with popularity
  weights (what many people want is shown more);
- crawled sellers: SELLERS_PER_1K_ALBUMS per 1,000 albums, LISTINGS_PER_SELLER listings each;
- release details for the pressing guide (issue 23): an album's first sync reads, besides its
  representative pressing, the details of at most catalog.services.pressings.MAX_EXTRA_DETAIL_CALLS
  more (most wanted, most collected, with offers; never one read before), so at most
  min(cap, pressings - 1) calls, once; NEW_ALBUM_SHARE of the catalog is first synced per day.
"""

import argparse
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SIZES = (5_000, 50_000)
EMPTY_SHARE = 0.4
ALBUMS_PER_LISTENER = 50
CARDS, KEPT = 24, 10
ACTIVE_SHARE = 0.3
SELLERS_PER_1K_ALBUMS = 4
LISTINGS_PER_SELLER = 3_000
NEW_ALBUM_SHARE = 0.01  # albums first synced per day, as a share of the catalog (assumption)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")
    import django

    django.setup()


def model_catalog(albums, rng, albums_per_listener):
    pressings = 1 + np.floor(rng.lognormal(mean=1.72, sigma=1.2, size=albums)).astype(int)
    demand = np.floor(rng.lognormal(mean=np.log(150), sigma=1.5, size=albums)).astype(int)
    empty = rng.binomial(np.minimum(pressings, 20), EMPTY_SHARE)
    weights = demand / demand.sum()
    seen = set()
    for _ in range(max(albums // albums_per_listener, 1)):
        shown = CARDS + KEPT if rng.random() < ACTIVE_SHARE else KEPT
        seen.update(rng.choice(albums, size=shown, replace=False, p=weights).tolist())
    return pressings, demand, empty, seen


def calls(albums, rng, albums_per_listener):
    from pricing import schedule

    pressings, demand, empty, seen = model_catalog(albums, rng, albums_per_listener)
    old = sum(schedule.todays_calls_per_day(int(p)) for p in pressings)
    tiers = {tier: [0, 0.0] for tier in schedule.TIER_ORDER}
    for index in range(albums):
        tier = schedule.tier_of(index in seen, int(demand[index]))
        tiers[tier][0] += 1
        tiers[tier][1] += schedule.calls_per_day(int(pressings[index]), int(empty[index]), tier)
    sellers = max(albums * SELLERS_PER_1K_ALBUMS // 1000, 1)
    crawls = sellers * schedule.crawl_calls_per_day(LISTINGS_PER_SELLER)
    return old, tiers, sellers, crawls, detail_calls(pressings)


def detail_calls(pressings):
    """Extra release-detail calls of each album's first sync (issue 23): min(cap, pressings - 1)."""
    from catalog.services.pressings import MAX_EXTRA_DETAIL_CALLS

    return np.minimum(MAX_EXTRA_DETAIL_CALLS, np.maximum(pressings - 1, 0))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--albums-per-listener", type=int, default=ALBUMS_PER_LISTENER)
    args = parser.parse_args(argv)
    setup_django()
    from django.conf import settings

    budget = settings.DAILY_BUDGETS["discogs"]
    limit = settings.PROVIDER_DAILY_LIMITS["discogs"]
    print(f"Discogs: {limit:,} calls/day allowed (60/min); budget setting {budget:,} ({budget / limit:.0%})")
    for albums in SIZES:
        old, tiers, sellers, crawls, details = calls(albums, np.random.default_rng(args.seed), args.albums_per_listener)
        new = sum(cost for _, cost in tiers.values()) + crawls
        new_albums = albums * NEW_ALBUM_SHARE
        detail_per_day = new_albums * details.mean()
        print(f"\n{albums:,} albums, {max(albums // args.albums_per_listener, 1):,} listeners")
        print(f"  old schedule (every album daily, stats per pressing): {old:>9,.0f} calls/day  {verdict(old, budget)}")
        for tier, (count, cost) in tiers.items():
            print(f"    {tier:<8} {count:>7,} albums  {cost:>9,.0f} calls/day")
        print(f"    crawls   {sellers:>7,} sellers {crawls:>9,.0f} calls/day ({LISTINGS_PER_SELLER:,} listings each, 100 a call)")
        print(f"  new schedule (by value, empty pressings skipped):    {new:>9,.0f} calls/day  {verdict(new, budget)}")
        print(
            f"  pressing guide details: {details.mean():.2f} extra calls per album on a first sync (at most {details.max()}), "
            f"{details.sum():,} once for the whole catalog"
        )
        headroom = budget - new
        backfill = f"{details.sum() / headroom:.1f} days of the headroom" if headroom > 0 else "no headroom"
        print(f"    {new_albums:,.0f} new albums/day: {detail_per_day:>9,.0f} calls/day; backfill of the catalog: {backfill}")
        print(
            f"  new schedule + guide details:                        {new + detail_per_day:>9,.0f} calls/day  {verdict(new + detail_per_day, budget)}"
        )


def verdict(calls_per_day, budget):
    return f"{calls_per_day / budget:.0%} of budget: " + ("fits" if calls_per_day <= budget else "OVER BUDGET")


if __name__ == "__main__":
    main()
