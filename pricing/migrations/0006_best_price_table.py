"""The best price per album and destination becomes a table kept per album (issue 13, item 4).

The materialized view of 0005 could only be refreshed whole (a 2M-row scan and sort, 6.6 s at
the target scale, whatever the batch) and scanned itself for an `album_id IN (...)` lookup. The
table is recomputed per album after each price batch (pricing.best_price) and served by the
unique (album_id, ships_to) index. This migration drops the view, creates the table and fills it
with the rule as it is today; the SQL is frozen here, never imported from current code.
"""
import django.db.models.deletion
from django.db import migrations, models

VIEW_COLUMNS = """
    q.id AS quote_id, q.album_id, q.release_id, q.store_id, q.ships_to, q.total_eur,
    q.currency, q.amount, q.shipping, q.url, q.fetched_at,
    q.item_eur, q.shipping_eur, q.shipping_kind, q.item_location, q.condition, q.sample
"""
CURRENT_LANDED = """
    FROM pricing_pricequote q JOIN pricing_store s ON s.id = q.store_id
    WHERE q.is_current AND s.is_active AND q.total_eur IS NOT NULL
"""
ORDER = "q.total_eur ASC, q.fetched_at DESC, q.id ASC"
COLUMNS = """quote_id, album_id, release_id, store_id, ships_to, total_eur, currency, amount, shipping, url,
             fetched_at, item_eur, shipping_eur, shipping_kind, item_location, condition, sample"""
RANKED = f"""
    SELECT {COLUMNS} FROM (
        SELECT {VIEW_COLUMNS},
               ROW_NUMBER() OVER (PARTITION BY q.album_id, q.ships_to ORDER BY {ORDER}) AS rank_in_group
        {CURRENT_LANDED}
    ) ranked
    WHERE rank_in_group = 1"""

# The view of 0005, to put back when this migration is reversed.
VIEW_CREATE = {
    "postgresql": [
        f"""CREATE MATERIALIZED VIEW pricing_albumbestprice AS
            SELECT DISTINCT ON (q.album_id, q.ships_to) {VIEW_COLUMNS} {CURRENT_LANDED}
            ORDER BY q.album_id, q.ships_to, {ORDER}""",
        "CREATE UNIQUE INDEX pricing_albumbestprice_album_country ON pricing_albumbestprice (album_id, ships_to)",
        "CREATE UNIQUE INDEX pricing_albumbestprice_quote ON pricing_albumbestprice (quote_id)",
    ],
    "sqlite": [f"CREATE VIEW pricing_albumbestprice AS {RANKED}"],
}
VIEW_DROP = {
    "postgresql": ["DROP MATERIALIZED VIEW IF EXISTS pricing_albumbestprice"],
    "sqlite": ["DROP VIEW IF EXISTS pricing_albumbestprice"],
}


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"No best-price view for database vendor {vendor!r}")
        for sql in statements[vendor]:
            schema_editor.execute(sql)

    return run


def fill_table(apps, schema_editor):
    schema_editor.execute(f"INSERT INTO pricing_albumbestprice ({COLUMNS}) {RANKED}")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0008_resume_abandoned_imports_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("pricing", "0005_landed_price_model"),
    ]

    operations = [
        migrations.RunPython(_run(VIEW_DROP), _run(VIEW_CREATE)),
        migrations.DeleteModel(name="AlbumBestPrice"),
        migrations.CreateModel(
            name="AlbumBestPrice",
            fields=[
                ("quote", models.OneToOneField(db_column="quote_id", on_delete=django.db.models.deletion.CASCADE, primary_key=True, serialize=False, to="pricing.pricequote")),
                ("ships_to", models.CharField(max_length=2)),
                ("total_eur", models.DecimalField(decimal_places=2, max_digits=10)),
                ("currency", models.CharField(max_length=3)),
                ("amount", models.DecimalField(decimal_places=2, max_digits=10)),
                ("shipping", models.DecimalField(decimal_places=2, max_digits=10, null=True)),
                ("url", models.URLField(max_length=1000)),
                ("fetched_at", models.DateTimeField()),
                ("item_eur", models.DecimalField(decimal_places=2, max_digits=10)),
                ("shipping_eur", models.DecimalField(decimal_places=2, max_digits=10)),
                ("shipping_kind", models.CharField(choices=[("exact", "Exact (stated by the source)"), ("estimated", "Estimated (shipping table)"), ("unknown", "Unknown (item price only)")], max_length=9)),
                ("item_location", models.CharField(max_length=2)),
                ("condition", models.CharField(choices=[("M", "Mint (M)"), ("NM", "Near Mint (NM or M-)"), ("VG+", "Very Good Plus (VG+)"), ("VG", "Very Good (VG)"), ("G+", "Good Plus (G+)"), ("G", "Good (G)"), ("F", "Fair (F)"), ("P", "Poor (P)"), ("new", "New"), ("used", "Used"), ("", "Not stated")], max_length=5)),
                ("sample", models.BooleanField()),
                ("album", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="best_prices", to="catalog.album")),
                ("release", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="catalog.release")),
                ("store", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="pricing.store")),
            ],
            options={
                "db_table": "pricing_albumbestprice",
                "constraints": [models.UniqueConstraint(fields=("album", "ships_to"), name="best_price_one_per_album_country")],
            },
        ),
        migrations.RunPython(fill_table, migrations.RunPython.noop),
        # No-op: this step once reworded the best-price schedule's description; schedules are now
        # declared in vinilogy/schedules.py and written by manage.py sync_schedules.
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
    ]
