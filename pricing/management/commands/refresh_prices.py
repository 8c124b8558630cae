"""manage.py refresh_prices [--country ES] — price every album due, then refresh best prices.

Discogs marketplace figures of each album's pressings and eBay offers from EU sellers
shipping to each country (the active listeners' countries by default), in EUR with the day's
ECB rate; albums priced within PRICES_FRESHNESS_HOURS cost nothing. Ends with the best-price
view refresh (concurrent on PostgreSQL).
"""

from catalog.management.commands._ingestion import IngestionCommand
from catalog.models import Album
from pricing import destinations, services


class Command(IngestionCommand):
    help = "Refresh Discogs and eBay prices (in EUR) for albums whose prices are stale, then check the best-price table."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--country", action="append", help="ISO country the offers must ship to (repeatable)")
        self.add_selection(parser, "album", "album")
        parser.add_argument("--rates", action="store_true", help="fetch today's ECB rates first")

    def ingest(self, *args, country=None, album=None, limit=None, rates=False, **options):
        if rates:
            services.refresh_exchange_rates()
        countries = [code.upper() for code in country] if country else destinations.countries_to_price()
        albums = Album.objects.filter(pk__in=album) if album else services.albums_due_for_prices()
        albums = self.selected(albums.select_related("artist"), limit)
        self.each(albums, lambda one: services.refresh_album_prices(one, countries=countries), "albums")
        services.refresh_best_prices()
