"""How a price reads, everywhere: what it includes, where it ships from, how old it is.

One home for the wording (cards, wantlist, album page, explanations, API text, alerts, the
basket), one function per kind of sentence, so a price never claims more than it is: a landed
total says it includes shipping and whether that shipping is exact (the source stated it) or
estimated (the shipping table); an item-only price says shipping comes on top; an item-only
price too old to act on (pricing.models.ITEM_ONLY_FRESH_DAYS) says only when it was last seen;
a sample (built for the offline demo, never observed) says "sample" in the very phrase that
states it, and is never called exact nor seen. Pure functions, no models.
"""

from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _, ngettext

from . import formats
from .countries import country_name


def eur(amount: Decimal | float) -> str:
    """ "€1,234.50" / "1.234,50 €": the reader's way (pricing.formats.money)."""
    return formats.money(amount)


def shipping_kind_words(kind: str) -> str:
    """How a landed total's shipping is known, in the reader's words: "exact", "estimated"."""
    words = {"exact": _("exact"), "estimated": _("estimated")}
    return words.get(kind, kind)


def sample_words() -> str:
    """What a sample price is, in the sentence that states it."""
    return _("sample price, not a live offer")


def landed(total_eur, shipping_kind, ships_from="", destination="", sample=False) -> str:
    """ "€24.90 incl. shipping from Germany to Spain (estimated)"; the origin and destination
    are named only when known; a sample reads "(sample price, not a live offer)" instead of
    its shipping kind."""
    places = {"price": eur(total_eur), "origin": country_name(ships_from), "target": country_name(destination)}
    if ships_from and destination:
        text = _("%(price)s incl. shipping from %(origin)s to %(target)s") % places
    elif ships_from:
        text = _("%(price)s incl. shipping from %(origin)s") % places
    elif destination:
        text = _("%(price)s incl. shipping to %(target)s") % places
    else:
        text = _("%(price)s incl. shipping") % places
    return f"{text} ({sample_words() if sample else shipping_kind_words(shipping_kind)})"


def item_only(item_eur, sample=False) -> str:
    """ "from €7.00 + shipping": what an item price without known shipping may be called."""
    text = _("from %(price)s + shipping") % {"price": eur(item_eur)}
    return f"{text} ({sample_words()})" if sample else text


def price(quote, destination="") -> str:
    """The phrase for any quote-like row (PriceQuote, AlbumBestPrice)."""
    sample = getattr(quote, "sample", False)
    if quote.total_eur is None:
        return item_only(quote.item_eur, sample)
    return landed(quote.total_eur, quote.shipping_kind, quote.item_location, destination, sample)


def ago(observed_at: datetime, now: datetime | None = None) -> str:
    """ "today", "yesterday", "3 days ago", "2 months ago", "5 years ago" (pricing.formats.ago)."""
    return formats.ago(observed_at, now)


def seen(observed_at: datetime, now: datetime | None = None, sample=False) -> str:
    """ "seen today", "seen 3 days ago", "seen 5 years ago"; nothing for a sample, which no one saw."""
    return "" if sample else _("seen %(ago)s") % {"ago": ago(observed_at, now)}


def last_seen(item_eur, observed_at: datetime, now: datetime | None = None) -> str:
    """ "last seen 5 years ago at €218.40": an item-only price too old to be a price to act on."""
    return _("last seen %(ago)s at %(price)s") % {"ago": ago(observed_at, now), "price": eur(item_eur)}


def basket_item(item_eur, sample=False) -> str:
    """An item's price in a basket parcel: "€12.00", or "€12.00 (sample price, not a live offer)"."""
    return f"{eur(item_eur)} ({sample_words()})" if sample else eur(item_eur)


def parcel_total(items_eur, shipping_eur, total_eur, samples=0) -> str:
    """ "Items €40.00 + shipping €12.00 = €52.00", and "(includes 1 sample price, not a live
    offer)" when it adds sample prices."""
    text = _("Items %(items)s + shipping %(shipping)s = %(total)s") % {
        "items": eur(items_eur),
        "shipping": eur(shipping_eur),
        "total": eur(total_eur),
    }
    return f"{text} ({includes_samples(samples)})" if samples else text


def includes_samples_in_history() -> str:
    """Said of a price history with sample prices among its observations."""
    return _("includes sample prices, not live offers")


def includes_samples(count: int) -> str:
    """Said of a total that adds up `count` sample prices; "" when it adds none."""
    if not count:
        return ""
    return ngettext(
        "includes %(count)d sample price, not a live offer", "includes %(count)d sample prices, not live offers", count
    ) % {"count": count}


def price_history(daily) -> str:
    """What a pressing's price history of too few days for a chart says instead: "Only 2 days
    of prices so far, too few for a chart: €30.00 on 1 December 2026, €24.00 on 5 December 2026." `daily`
    is each day's lowest PricePoint (pricing.charts), oldest first; a sample price says so."""
    if not daily:
        return _("No price history yet")
    prices = ", ".join(_day_price(point) for point in daily)
    return ngettext(
        "Only %(count)d day of prices so far, too few for a chart: %(prices)s.",
        "Only %(count)d days of prices so far, too few for a chart: %(prices)s.",
        len(daily),
    ) % {"count": len(daily), "prices": prices}


def _day_price(point):
    text = _("%(price)s on %(day)s") % {"price": eur(point.total_eur), "day": formats.long_date(point.day)}
    return f"{text} ({sample_words()})" if point.sample else text


def album_price(best=None, item_only_quote=None, stale=None, destination="", now=None) -> str:
    """One album's price as a plain sentence (the wantlist, emails, any text): its best landed
    offer, else its cheapest recent item-only price, else the last item price seen, each with
    its store and age; "No price yet" when there is none. The HTML twin is pricing/_price.html."""
    if best is not None or item_only_quote is not None:
        quote = best if best is not None else item_only_quote
        when = seen(quote.fetched_at, now, getattr(quote, "sample", False))
        text = _("%(price)s at %(store)s") % {"price": price(quote, destination), "store": quote.store.name}
        return f"{text} · {when}" if when else text
    if stale is not None:
        return _("%(last_seen)s on %(store)s") % {
            "last_seen": last_seen(stale.item_eur, stale.fetched_at, now),
            "store": stale.store.name,
        }
    return _("No price yet")
