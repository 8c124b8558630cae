from django.db import migrations

from pricing.best_price_sql import statements


def _run(action):
    def run(apps, schema_editor):
        for sql in statements(schema_editor.connection.vendor, action):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("pricing", "0001_initial")]

    operations = [migrations.RunPython(_run("create"), _run("drop"))]
