"""Keeping the best-price table current: per album after each price batch, all of it nightly.

The table (AlbumBestPrice) holds the cheapest current landed quote per album and destination.
After a batch records or retires quotes, `update_best_prices(album_ids)` recomputes only those
albums (delete their rows, insert the recomputed ones, in one transaction): a reader sees the
old rows or the new ones, never none; it also stamps the albums' `prices_changed_at`, which
cached prices (the grid's cards) are keyed on, and sends `best_prices_changed` in the same
transaction (the cached grids showing those albums move on). It runs from the `quotes_changed` receiver below, which
every quote writer already sends (the price refresh, the inventory crawl, eBay), so a new
writer keeps the table right without knowing it exists; pricing connects it in its AppConfig,
before any app to its right connects theirs, so their receivers read fresh best prices.

`refresh_best_prices()` is the nightly consistency check: it compares the table with the full
recompute and repairs only the albums that differ (a store deactivated, a quote edited in the
admin, a writer that forgot the signal), returning how many it repaired.
"""

from django.db import connection, transaction
from django.utils import timezone

from . import best_price_sql as sql
from .signals import best_prices_changed

BATCH = 500  # album ids per statement: well under SQLite's parameter limit


def update_best_prices(album_ids):
    """Recompute the best prices of these albums only; returns how many albums were updated."""
    album_ids = sorted({int(pk) for pk in album_ids})
    for start in range(0, len(album_ids), BATCH):
        _update_batch(album_ids[start : start + BATCH])
    return len(album_ids)


def _update_batch(album_ids):
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:
            # Derived rows: a crash may lose the last update's commit (never half of it), and
            # the nightly check recomputes it; not waiting on the WAL flush halves the cost.
            cursor.execute("SET LOCAL synchronous_commit = off")
        stamp = sql.lock_albums if postgresql else sql.stamp_albums
        cursor.execute(stamp(len(album_ids)), [timezone.now(), *album_ids])
        cursor.execute(sql.delete_albums(len(album_ids)), album_ids)
        cursor.execute(sql.insert_albums(len(album_ids)), album_ids)
        best_prices_changed.send(sender=update_best_prices, album_ids=album_ids)


def mismatched_album_ids():
    """Albums whose stored best prices differ from a full recompute."""
    with connection.cursor() as cursor:
        cursor.execute(sql.mismatched_albums())
        return sorted(row[0] for row in cursor.fetchall())


def refresh_best_prices():
    """The nightly check: repair every album whose rows differ from the full recompute."""
    return update_best_prices(mismatched_album_ids())


def on_quotes_changed(sender, album_ids=(), **kwargs):
    update_best_prices(album_ids)
