"""How a price reads, everywhere: what it includes, where it ships from, how old it is.

One home for the wording (cards, wantlist, album page, explanations, API text), so a price
never claims more than it is: a landed total says it includes shipping and whether that
shipping is exact (the source stated it) or estimated (the shipping table); an item-only
price says shipping comes on top. Pure functions, no models.
"""
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from .countries import country_name


def eur(amount: Decimal | float) -> str:
    """€1,234.50"""
    return f"€{Decimal(str(amount)):,.2f}"


def landed(total_eur, shipping_kind, ships_from="", destination="") -> str:
    """"€24.90 incl. shipping from Germany to Spain (estimated)"; the origin and destination
    are named only when known."""
    origin = f" from {country_name(ships_from)}" if ships_from else ""
    target = f" to {country_name(destination)}" if destination else ""
    return f"{eur(total_eur)} incl. shipping{origin}{target} ({shipping_kind})"


def item_only(item_eur) -> str:
    """"from €7.00 + shipping": what an item price without known shipping may be called."""
    return f"from {eur(item_eur)} + shipping"


def price(quote, destination="") -> str:
    """The phrase for any quote-like row (PriceQuote, AlbumBestPrice)."""
    if quote.total_eur is None:
        return item_only(quote.item_eur)
    return landed(quote.total_eur, quote.shipping_kind, quote.item_location, destination)


def seen(observed_at: datetime, now: datetime | None = None) -> str:
    """"seen today", "seen yesterday", "seen 3 days ago", "seen 2 months ago", "seen 5 years ago"."""
    days = max(((now or timezone.now()) - observed_at).days, 0)
    if days == 0:
        return "seen today"
    if days == 1:
        return "seen yesterday"
    if days < 60:
        return f"seen {days} days ago"
    if days < 730:
        return f"seen {days // 30} months ago"
    return f"seen {days // 365} years ago"
