"""The first best-price view (any quote's total). Its SQL is frozen here, as it was when this
migration was written: pricing/best_price_sql.py holds the current one (see 0005)."""
from django.db import migrations

COLUMNS = """
    q.id AS quote_id, q.album_id, q.release_id, q.store_id, q.ships_to, q.total_eur,
    q.currency, q.amount, q.shipping, q.url, q.fetched_at
"""
CURRENT_QUOTES = """
    FROM pricing_pricequote q JOIN pricing_store s ON s.id = q.store_id
    WHERE q.is_current AND s.is_active
"""
ORDER = "q.total_eur ASC, q.fetched_at DESC, q.id ASC"

POSTGRESQL_CREATE = [
    f"""CREATE MATERIALIZED VIEW pricing_albumbestprice AS
        SELECT DISTINCT ON (q.album_id, q.ships_to) {COLUMNS} {CURRENT_QUOTES}
        ORDER BY q.album_id, q.ships_to, {ORDER}""",
    "CREATE UNIQUE INDEX pricing_albumbestprice_album_country ON pricing_albumbestprice (album_id, ships_to)",
    "CREATE UNIQUE INDEX pricing_albumbestprice_quote ON pricing_albumbestprice (quote_id)",
]
POSTGRESQL_DROP = ["DROP MATERIALIZED VIEW IF EXISTS pricing_albumbestprice"]
POSTGRESQL_REFRESH = "REFRESH MATERIALIZED VIEW CONCURRENTLY pricing_albumbestprice"

SQLITE_CREATE = [
    f"""CREATE VIEW pricing_albumbestprice AS
        SELECT quote_id, album_id, release_id, store_id, ships_to, total_eur,
               currency, amount, shipping, url, fetched_at
        FROM (
            SELECT {COLUMNS},
                   ROW_NUMBER() OVER (PARTITION BY q.album_id, q.ships_to ORDER BY {ORDER}) AS rank_in_group
            {CURRENT_QUOTES}
        ) ranked
        WHERE rank_in_group = 1"""
]
SQLITE_DROP = ["DROP VIEW IF EXISTS pricing_albumbestprice"]


def statements(vendor, action):
    """The statements for `action` ("create" or "drop") on a database `vendor`."""
    table = {
        ("postgresql", "create"): POSTGRESQL_CREATE,
        ("postgresql", "drop"): POSTGRESQL_DROP,
        ("sqlite", "create"): SQLITE_CREATE,
        ("sqlite", "drop"): SQLITE_DROP,
    }
    try:
        return table[(vendor, action)]
    except KeyError:
        raise NotImplementedError(f"No best-price view for database vendor {vendor!r}") from None


def _run(action):
    def run(apps, schema_editor):
        for sql in statements(schema_editor.connection.vendor, action):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("pricing", "0001_initial")]

    operations = [migrations.RunPython(_run("create"), _run("drop"))]
