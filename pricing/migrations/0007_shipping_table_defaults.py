"""Default rows of the shipping table: what one LP parcel costs on the common routes.

Each row says where its figure comes from in `source`. A record mailer with one LP weighs
about 0.5–0.7 kg, so the figures are for the lightest parcel band that takes a 32 cm square
mailer (usually "up to 2 kg"); a second or third LP stays in the same band, so the additional
item is small. Where no published tariff was at hand, the row says "estimate, not a tariff".
Operators correct them in the admin (ShippingRate); rows already there are never overwritten.
Lookup order (pricing.shipping): the exact route, the seller's own country (SAME), the zone
(EU), anywhere (*).
"""
from decimal import Decimal

from django.db import migrations, models

DEFAULTS = [
    # ships_from, ships_to, first LP, each additional LP, source
    ("DE", "SAME", "5.49", "0.50",
     "DHL Paket up to 2 kg within Germany, EUR 5.49 from 1 July 2022 (heise.de, 'DHL-Paketversand wird für "
     "Privatkunden teurer'; dhl.de listed EUR 4.99 online before); additional LP: same band, packing only (estimate)"),
    ("DE", "EU", "8.20", "1.00",
     "Deutsche Post/DHL Päckchen up to 2 kg within Europe, EUR 8.20 after a reported price change "
     "(lr-online.de, 'Ab morgen viele Pakete teurer'); untracked; additional LP: same band (estimate)"),
    ("ES", "SAME", "6.00", "1.00",
     "estimate, not a tariff: Correos Paq Estándar for a parcel up to 1 kg within the Peninsula "
     "(the 2023 Correos tariff for the Canaries lists EUR 10.54 within one province there)"),
    ("ES", "EU", "14.00", "2.00",
     "estimate, not a tariff: below Correos Paq Standard Internacional zone EU 1 up to 1 kg, EUR 26.53 (Correos "
     "tariff 2023, tracked), which few record sellers use for one LP"),
    ("EU", "SAME", "6.00", "1.00", "estimate, not a tariff: a domestic parcel up to 2 kg with the national post in the EU"),
    ("EU", "EU", "12.00", "2.00",
     "estimate, not a tariff: between Deutsche Post Päckchen Europe up to 2 kg (EUR 8.20) and Correos Paq Standard "
     "Internacional EU 1 (EUR 26.53); what EU Discogs sellers commonly charge for one LP"),
    ("GB", "SAME", "4.50", "0.50", "estimate, not a tariff: Royal Mail 2nd Class parcel, medium size, up to 2 kg"),
    ("GB", "EU", "15.00", "3.00",
     "estimate, not a tariff: Royal Mail International Standard/Tracked to Europe for a parcel up to 1 kg, "
     "plus what EU import handling adds since 2021"),
    ("US", "SAME", "4.50", "1.00",
     "estimate, not a tariff: USPS Media Mail for one LP (record sellers quote about USD 4 first LP, USD 2 each more)"),
    ("US", "EU", "30.00", "6.00",
     "estimate, not a tariff: USPS First-Class Package International to Europe cost USD 16.74–18.41 for a 20–22 oz "
     "LP package in January 2013 (graypunk.com, 'Hefty postal increase for international buyers') and has risen since"),
    ("JP", "EU", "22.00", "5.00",
     "estimate, not a tariff: Japan Post Small Packet by airmail (up to 2 kg, japanpost.jp) to Europe"),
    ("*", "*", "20.00", "5.00", "estimate, not a tariff: fallback for any other route, one LP by post"),
]


def add_defaults(apps, schema_editor):
    ShippingRate = apps.get_model("pricing", "ShippingRate")
    for ships_from, ships_to, first, additional, source in DEFAULTS:
        ShippingRate.objects.get_or_create(
            ships_from=ships_from, ships_to=ships_to,
            defaults={"first_item_eur": Decimal(first), "additional_item_eur": Decimal(additional), "source": source},
        )


def remove_defaults(apps, schema_editor):
    ShippingRate = apps.get_model("pricing", "ShippingRate")
    for ships_from, ships_to, first, additional, source in DEFAULTS:
        ShippingRate.objects.filter(ships_from=ships_from, ships_to=ships_to, source=source).delete()


class Migration(migrations.Migration):

    dependencies = [("pricing", "0006_best_price_table")]

    operations = [
        # "SAME" (the seller's own country) needs four characters.
        migrations.AlterField(
            model_name="shippingrate",
            name="ships_to",
            field=models.CharField(help_text="ISO code, EU or *; SAME = the seller's own country", max_length=4),
        ),
        migrations.RunPython(add_defaults, remove_defaults),
    ]
