"""SQL of the best-price table: the cheapest current landed quote per album and destination.

One rule, the same on SQLite and PostgreSQL (ROW_NUMBER() over each album and destination):
only current landed quotes (a total exists) of active stores rank, cheapest first, then the
newest observation, then the lowest id, so ties always pick the same quote.

`ranked(where)` is the rule over the quotes `where` selects; the incremental update runs it
for the touched albums and the nightly check for all of them. Migrations never import this
module: they freeze the SQL they ran (0002, 0005, 0006).
"""

TABLE = "pricing_albumbestprice"
COLUMNS = [
    "quote_id",
    "album_id",
    "release_id",
    "store_id",
    "ships_to",
    "total_eur",
    "currency",
    "amount",
    "shipping",
    "url",
    "fetched_at",
    "item_eur",
    "shipping_eur",
    "shipping_kind",
    "item_location",
    "condition",
    "sample",
]
COLUMN_LIST = ", ".join(COLUMNS)
QUOTE_COLUMNS = ", ".join("q.id AS quote_id" if c == "quote_id" else f"q.{c}" for c in COLUMNS)
ORDER = "q.total_eur ASC, q.fetched_at DESC, q.id ASC"


def ranked(where=""):
    """SELECT of the best rows for the quotes that also match `where` (SQL on `q`, may be "").

    The winners are ranked on the columns of the quote_best_price_order index alone (an
    index-only scan on PostgreSQL), then only their rows are read for the other columns."""
    extra = f"AND {where}" if where else ""
    return f"""
        SELECT {QUOTE_COLUMNS} FROM pricing_pricequote q JOIN (
            SELECT q.id, ROW_NUMBER() OVER (PARTITION BY q.album_id, q.ships_to ORDER BY {ORDER}) AS rank_in_group
            FROM pricing_pricequote q JOIN pricing_store s ON s.id = q.store_id
            WHERE q.is_current AND s.is_active AND q.total_eur IS NOT NULL {extra}
        ) ranked ON ranked.id = q.id
        WHERE ranked.rank_in_group = 1"""


def placeholders(count):
    return ", ".join(["%s"] * count)


def delete_albums(count):
    return f"DELETE FROM {TABLE} WHERE album_id IN ({placeholders(count)})"


def insert_albums(count):
    return f"INSERT INTO {TABLE} ({COLUMN_LIST}) {ranked(f'q.album_id IN ({placeholders(count)})')}"


def lock_albums(count):
    """Serializes concurrent updates of one album (PostgreSQL), in id order so two never
    deadlock, and stamps their prices_changed_at in the same statement."""
    return f"""
        UPDATE catalog_album SET prices_changed_at = %s WHERE id IN (
            SELECT id FROM catalog_album WHERE id IN ({placeholders(count)}) ORDER BY id FOR UPDATE
        )"""


def stamp_albums(count):
    """prices_changed_at of the albums (SQLite, whose writers are serialized anyway)."""
    return f"UPDATE catalog_album SET prices_changed_at = %s WHERE id IN ({placeholders(count)})"


def mismatched_albums():
    """Albums whose stored rows differ from the full recompute, either way."""
    stored = f"SELECT {COLUMN_LIST} FROM {TABLE}"
    return f"""
        SELECT album_id FROM ({ranked()} EXCEPT {stored}) missing
        UNION
        SELECT album_id FROM ({stored} EXCEPT {ranked()}) stale"""
