"""eBay Browse: fixed-price vinyl listings from EU sellers that ship to each destination.

One search per album and destination country; the answer states each listing's price and its
shipping to that country, so these quotes are landed totals.
"""
import re

from django.conf import settings

from catalog.normalize import normalize_artist_name, normalize_title
from integrations import clients
from integrations.errors import ApiError
from integrations.runs import record_permanent_error

from ..models import PriceQuote
from ..offers import Offer, record_or_keep_error
from .base import PriceSource

# eBay condition names → our conditions.
EBAY_CONDITIONS = {"new": PriceQuote.Condition.NEW, "used": PriceQuote.Condition.USED, "pre-owned": PriceQuote.Condition.USED}


class EbayListings(PriceSource):
    name = "ebay"
    provider = "ebay"
    label = "eBay"
    store_name = "eBay"
    offers_template = "pricing/offers/_ebay.html"
    empty_text = "No eBay offer known yet."

    def is_configured(self):
        return bool(settings.EBAY_CLIENT_ID and settings.EBAY_CLIENT_SECRET)

    def configuration(self):
        return "client id + secret" if self.is_configured() else "set EBAY_CLIENT_ID/SECRET"

    def refresh(self, album, destinations, rates):
        client, store = clients.ebay(), self.store()
        return sum(price_in(album, country, client, store, rates) for country in destinations)

    def ping(self):
        return clients.ebay().ping()


def price_in(album, country, client, store, rates):
    """The album's matching listings shipping to `country`; returns how many were recorded."""
    try:
        offers = client.search_offers(album.artist.name, album.title, country=country)
    except ApiError as error:
        record_permanent_error(album, error)
        return 0
    matching = [offer for offer in offers if offer_matches(album.artist.name, album.title, offer.title)]
    return sum(record_listing(album, store, offer, country, rates) for offer in matching)


def record_listing(album, store, ebay_offer, country, rates):
    shipping = ebay_offer.shipping
    same_currency = shipping is not None and shipping.currency == ebay_offer.price.currency
    offer = Offer(
        album=album, store=store, offer_key=f"item:{ebay_offer.item_id}", ships_to=country,
        currency=ebay_offer.price.currency, amount=ebay_offer.price.amount,
        shipping=shipping.amount if same_currency else None,
        condition=EBAY_CONDITIONS.get(ebay_offer.condition.strip().lower(), ""),
        seller=ebay_offer.seller, seller_rating=ebay_offer.seller_rating, seller_ratings_count=ebay_offer.seller_ratings,
        item_location=ebay_offer.item_country, title=ebay_offer.title, url=ebay_offer.url,
    )
    return int(record_or_keep_error(offer, rates, album) is not None)


def offer_matches(artist, title, listing_title):
    """Whether a listing's title names the album: every word of the artist and of the title
    appears in it (eBay's search also returns the artist's other records)."""
    words = set(re.findall(r"\w+", normalize_title(listing_title))) | set(re.findall(r"\w+", normalize_artist_name(listing_title)))
    wanted = set(normalize_artist_name(artist).split()) | set(normalize_title(title).split())
    return bool(wanted) and wanted <= words
