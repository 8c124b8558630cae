"""Local record stores: each active shop's search page for the album (we link, we never scrape).

Quotes of a local shop (entered by an operator) show beside the links.
"""
from .base import PriceSource


class LocalShops(PriceSource):
    name = "local"
    label = "Record stores"
    offers_template = "pricing/offers/_local.html"
    empty_text = ""

    def links(self, album):
        shops = self.stores().order_by("name")
        return [(shop, shop.search_url(album.artist.name, album.title)) for shop in shops]
