"""The four record shops keep their true cities (0003 explains the sources): Marilians and Bajo el
Volcán are in Madrid, Discos Bora Bora in Granada, Revolver Records in Barcelona. A database
where an operator or an older copy put all four in Madrid is corrected; any other city an
operator chose is left alone."""
from django.db import migrations

CITIES = {"Marilians": "Madrid", "Bajo el Volcán": "Madrid", "Bora Bora": "Granada", "Revolver": "Barcelona"}


def true_cities(apps, schema_editor):
    Store = apps.get_model("pricing", "Store")
    for name, city in CITIES.items():
        Store.objects.filter(kind="local", name=name, city__in=["", "Madrid"]).update(city=city, country="ES")


class Migration(migrations.Migration):

    dependencies = [("pricing", "0007_shipping_table_defaults")]

    operations = [migrations.RunPython(true_cities, migrations.RunPython.noop)]
