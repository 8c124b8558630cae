"""What the JSON API says about a price: the schemas every endpoint that shows a price shares.

A landed price (`best_price`) says what it includes: the item, the shipping to the destination
and whether that shipping is exact or estimated. An item-only price (`from_price`) has no total
and says its shipping is unknown: clients show it as "from €X + shipping", never rank or sum it.
"""
from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema


class LandedPriceOut(Schema):
    item_eur: Decimal
    shipping_eur: Decimal
    shipping: Literal["exact", "estimated"]
    total_eur: Decimal
    seller_country: str
    condition: str
    store: str
    url: str
    ships_to: str
    observed_at: datetime
    sample: bool


class ItemOnlyPriceOut(Schema):
    item_eur: Decimal
    shipping: Literal["unknown"]
    condition: str
    store: str
    url: str
    observed_at: datetime
    sample: bool


def landed_price_out(quote):
    """A landed quote (a PriceQuote or an AlbumBestPrice row) as the API shows it; None stays None."""
    if quote is None:
        return None
    return {
        "item_eur": quote.item_eur,
        "shipping_eur": quote.shipping_eur,
        "shipping": quote.shipping_kind,
        "total_eur": quote.total_eur,
        "seller_country": quote.item_location,
        "condition": quote.condition,
        "store": quote.store.name,
        "url": quote.url,
        "ships_to": quote.ships_to,
        "observed_at": quote.fetched_at,
        "sample": quote.sample,
    }


def item_only_price_out(quote):
    if quote is None:
        return None
    return {
        "item_eur": quote.item_eur,
        "shipping": "unknown",
        "condition": quote.condition,
        "store": quote.store.name,
        "url": quote.url,
        "observed_at": quote.fetched_at,
        "sample": quote.sample,
    }
