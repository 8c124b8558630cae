"""Local record stores: each active shop's search page for the album (we link, we never scrape).

Quotes of a local shop show beside the links: entered by an operator, or the shop's real stock
read from its Discogs seller account (pricing.inventory). A shop whose crawled stock has this
album shows that stock instead of a search link.
"""

from .base import PriceSource


class LocalShops(PriceSource):
    name = "local"
    label = "Record stores"
    refreshes_albums = False  # we link to the shops' search pages; their quotes are entered or crawled
    offers_template = "pricing/offers/_local.html"
    empty_text = ""

    def links(self, album):
        shops = self.stores().exclude(pk__in=stocked_shops(album)).order_by("name")
        return [(shop, shop.search_url(album.artist.name, album.title)) for shop in shops]


def stocked_shops(album):
    """Ids of the shops whose Discogs seller account lists this album now."""
    return album.price_quotes.current().filter(seller_account__store__isnull=False).values_list("store_id", flat=True)
