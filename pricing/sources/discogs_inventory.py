"""Discogs seller inventories: per-listing prices with condition, seller and ships-from country.

The quotes come from crawls of whole seller inventories (pricing.inventory, one task per seller
on the `discogs` queue), not from a per-album call: one inventory call brings 100 listings of
any album, so asking per album would spend a call to find what a crawl already stored. So
`refresh` records nothing; the album page, the best price and the basket read what the crawls
stored. Listings of a seller account that belongs to one of our local shops are that shop's
quotes and show in the local shops' section.
"""

from integrations import clients, discogs

from .. import schedule
from ..models import Seller
from .base import PriceSource


class DiscogsSellers(PriceSource):
    name = "sellers"  # Store.kind of the "Discogs sellers" store (pricing.inventory.SELLERS_KIND)
    provider = "discogs"
    label = "Discogs sellers"
    store_name = "Discogs sellers"
    queue = "discogs"
    refreshes_albums = False  # the seller crawls record these quotes (see the module docstring)
    offers_template = "pricing/offers/_sellers.html"
    offers_shown = 5
    empty_text = "No listing of a crawled Discogs seller."

    def configuration(self):
        sellers = Seller.objects.filter(is_active=True).count()
        credentials = " + ".join(discogs.credential_kinds()) or "anonymous"
        return f"{sellers} seller(s) crawled, {credentials}"

    def refresh(self, album, destinations, rates):
        return 0  # the seller crawls record these quotes (see the module docstring)

    def reserved_calls(self, now=None):
        return schedule.crawl_calls_due(now)

    def ping(self):
        return clients.discogs().ping()
