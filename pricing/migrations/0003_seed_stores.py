"""Seed the stores Vinilogy prices against: the two marketplaces and four Spanish record shops.

The shops are offered as search links only (we never scrape them): `search_url_template`
is filled with the album's artist and title. Every value is editable in the admin.

Where the values come from (no machine here reaches the internet, so none of the search
URLs could be opened; each is the pattern that independent public projects linking to these
shops use, and matches the shop software visible in their URLs):

- Marilians Records, calle Noviciado 9, Madrid (press: El Periódico de España 2023-11-19,
  atrozconleche.com 2020). PrestaShop search: /busqueda?controller=search&s=...
- Bajo el Volcán, calle del Ave María 42, Lavapiés, Madrid (El País 2021-03-04, La Razón).
  Its catalogue search: /busqueda/listaLibros.php?tipoBus=full&palabrasBusqueda=...
- Discos Bora Bora: the press places it in Granada (plaza de la Universidad / plaza del
  Derecho; Ideal 2020, Granada Digital 2024), not Madrid; it ships by post.
  WordPress search: /?s=...
- Revolver Records: the shop of that name is in Barcelona (calle Tallers), not Madrid
  (Crónica Global and dondego.es, July 2025, on the closing of its sister shop Discos
  Revolver). WooCommerce product search: /?s=...&post_type=product

The city is stored as found, so the admin shows the truth; all four are kept because the
product owner chose them and they sell by post across Spain.
"""
from django.db import migrations

MARKETPLACES = [
    {"kind": "discogs", "name": "Discogs marketplace", "website": "https://www.discogs.com/sell/list"},
    {"kind": "ebay", "name": "eBay", "website": "https://www.ebay.es/"},
]

LOCAL_SHOPS = [
    {
        "name": "Marilians",
        "city": "Madrid",
        "website": "https://www.marilians.com/",
        "search_url_template": "https://www.marilians.com/busqueda?controller=search&s={query}",
    },
    {
        "name": "Bajo el Volcán",
        "city": "Madrid",
        "website": "https://www.bajoelvolcan.es/",
        "search_url_template": "https://www.bajoelvolcan.es/busqueda/listaLibros.php?tipoBus=full&palabrasBusqueda={query}",
    },
    {
        "name": "Bora Bora",
        "city": "Granada",
        "website": "https://discosborabora.com/",
        "search_url_template": "https://discosborabora.com/?s={query}",
    },
    {
        "name": "Revolver",
        "city": "Barcelona",
        "website": "https://www.revolverrecords.es/",
        "search_url_template": "https://www.revolverrecords.es/?s={query}&post_type=product",
    },
]


def seed_stores(apps, schema_editor):
    Store = apps.get_model("pricing", "Store")
    for values in MARKETPLACES:
        Store.objects.get_or_create(name=values["name"], defaults=values)
    for values in LOCAL_SHOPS:
        Store.objects.get_or_create(name=values["name"], defaults={"kind": "local", "country": "ES", **values})


def unseed_stores(apps, schema_editor):
    """Remove only stores nobody has quoted from (quotes protect their store)."""
    Store = apps.get_model("pricing", "Store")
    names = [s["name"] for s in MARKETPLACES + LOCAL_SHOPS]
    Store.objects.filter(name__in=names, quotes__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("pricing", "0002_album_best_price_view")]

    operations = [migrations.RunPython(seed_stores, unseed_stores)]
