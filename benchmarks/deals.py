"""What the deal score (pricing.deals) costs the album page and the offers API, as an album's
price history grows.

    .venv/bin/python benchmarks/deals.py [--sizes 1000,10000,50000] [--database sqlite:////tmp/deals-bench.sqlite3]

Builds, in a throwaway database (SQLite by default, migrated here; a PostgreSQL URL works the
same), one album with 40 pressings and N landed quotes to Spain observed over the last 180 days
(5 conditions, 20 % of them on no pressing, every one flagged `sample`: made-up rows), then
times deals_for over what the page shows (the 5 cheapest current offers) and over what the API
ranks (the 200 cheapest), with the queries each makes. Wall clock on this machine, median of 5.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONDITIONS = ("M", "NM", "VG+", "VG", "G+")


def setup_django(database):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinilogy.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(size, rng):
    from django.utils import timezone

    from catalog.factories import AlbumFactory, ReleaseFactory
    from pricing.models import PriceQuote, Store

    album = AlbumFactory(title=f"Synthetic deals album {size}")
    pressings = ReleaseFactory.create_batch(40, album=album)
    store, _ = Store.objects.get_or_create(name="Synthetic deals store", defaults={"kind": "discogs"})
    now = timezone.now()
    rows = []
    for n in range(size):
        item = Decimal(rng.randint(1000, 6000)) / 100
        rows.append(
            PriceQuote(
                album=album,
                release=None if rng.random() < 0.2 else rng.choice(pressings),
                store=store,
                offer_key=f"bench-{size}-{n}",
                condition=rng.choice(CONDITIONS),
                currency="EUR",
                amount=item,
                shipping=Decimal("6.00"),
                item_eur=item,
                shipping_eur=Decimal("6.00"),
                shipping_kind="exact",
                total_eur=item + 6,
                ships_to="ES",
                sample=True,
                is_current=rng.random() < 0.3,
                fetched_at=now - timedelta(days=rng.uniform(0, 179)),
            )
        )
    PriceQuote.objects.bulk_create(rows, batch_size=2000)
    return album


def timed(function, quotes):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    runs = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            judged = function(quotes)
            runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000, len(queries), sum(1 for deal in judged.values() if deal)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--database", default="sqlite:////tmp/deals-bench.sqlite3")
    args = parser.parse_args()
    if args.database.startswith("sqlite:///"):
        Path(args.database.removeprefix("sqlite:///")).unlink(missing_ok=True)
    setup_django(args.database)
    from pricing.deals import deals_for
    from pricing.models import PriceQuote

    print(f"database: {args.database.split('://')[0]}")
    print("observations  page (5 offers) ms  queries  judged   API (200 offers) ms  queries  judged")
    for size in (int(s) for s in args.sizes.split(",")):
        album = build(size, random.Random(size))
        current = PriceQuote.objects.current().filter(album=album).order_by("total_eur", "pk")
        page = timed(deals_for, list(current[:5]))
        api = timed(deals_for, list(current[:200]))
        print(f"{size:12d}  {page[0]:18.1f}  {page[1]:7d}  {page[2]:6d}   {api[0]:19.1f}  {api[1]:7d}  {api[2]:6d}", flush=True)


if __name__ == "__main__":
    main()
