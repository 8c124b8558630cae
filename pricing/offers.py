"""Recording an observed offer as a quote in EUR, keeping its history.

What the quote includes is decided here, once: shipping stated by the source is `exact`;
otherwise, when the ships-from country and the destination are known, the shipping table
gives an `estimated` cost; otherwise the shipping is `unknown` and the quote has no landed
total (an item price only).

A new observation of an offer (same store, offer_key and destination) retires the current
one (is_current=False), so history is kept and the unique constraint allows one current
quote per offer. A currency without an ECB rate is never guessed: the offer is not recorded
and the error is kept on the release or album that owns it. Every price source uses these.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.models import Album
from catalog.upsert import fitted
from integrations.runs import note, note_error

from . import shipping as shipping_table
from .currency import MissingRate, to_eur
from .models import PriceQuote, Store

# Discogs' grading words are the labels of our condition codes ("Very Good Plus (VG+)" → VG+).
DISCOGS_CONDITIONS = {label: code for code, label in PriceQuote.Condition.choices if code}


def condition_code(words):
    """A PriceQuote.Condition code from Discogs' grade ("Near Mint (NM or M-)" → "NM"); "" when
    the words are not a grade (a sleeve "Generic", "No Cover", "Not Graded")."""
    return DISCOGS_CONDITIONS.get((words or "").strip(), "")


ShippingKind = PriceQuote.ShippingKind


@dataclass(frozen=True)
class Offer:
    """One observed offer before conversion: what any price source hands to record_offer."""

    album: Album
    store: Store
    offer_key: str
    currency: str
    amount: Decimal
    shipping: Decimal | None = None
    release: object = None
    ships_to: str = ""
    condition: str = ""
    seller: str = ""
    item_location: str = ""
    num_for_sale: int | None = None
    title: str = ""
    url: str = ""
    sleeve_condition: str = ""
    seller_account: object = None
    seller_rating: Decimal | None = None  # positive feedback, %
    seller_ratings_count: int | None = None  # how many ratings that percentage is of
    weight_class: str = ""  # LP, 2xLP or box; "" = from the pressing's formats (shipping.weight_class)
    sample: bool = False
    # How the offer is on `release` (PriceQuote.MatchSource): "" with a release = the listing names it.
    match_confidence: float | None = None
    match_source: str = ""
    match_evidence: tuple = ()


def landed_parts(offer, rates, table=None):
    """(item_eur, shipping_eur, shipping_kind, total_eur) of an offer: the one landed-price rule."""
    item = to_eur(offer.amount, offer.currency, rates)
    stated = None if offer.shipping is None else to_eur(offer.shipping, offer.currency, rates)
    return (item, *landed_shipping(item, stated, offer.item_location, offer.ships_to, weight_class_of(offer), table))


def landed_shipping(item_eur, stated_eur, ships_from, ships_to, weight_class, table=None):
    """(shipping_eur, shipping_kind, total_eur): a stated shipping is exact; else the shipping
    table's estimate for the route and weight class; else unknown, with no total."""
    if stated_eur is not None:
        shipping, kind = stated_eur, ShippingKind.EXACT
    else:
        shipping = shipping_table.estimate(ships_from, ships_to, weight_class=weight_class, table=table)
        kind = ShippingKind.UNKNOWN if shipping is None else ShippingKind.ESTIMATED
    return shipping, kind, None if shipping is None else item_eur + shipping


def weight_class_of(offer):
    """The weight class an offer or quote is shipped as: its own (a listing's format words), else
    its pressing's formats (pricing.shipping.weight_class)."""
    return offer.weight_class or shipping_table.weight_class(offer.release)


def parcel_shipping(quote, table=None):
    """(first, additional) EUR of a landed quote in a seller's parcel: first, its own shipping
    (the one its card's landed total includes); additional, what it adds as one more record of
    its weight class on its route (the table's additional cost), or its own shipping again when
    no row covers the route: we assume no discount we cannot show."""
    first = quote.shipping_eur
    additional = shipping_table.additional_item(quote.item_location, quote.ships_to, weight_class_of(quote), table)
    return first, first if additional is None else min(additional, first)


def reestimated(quote, table):
    """The quote with its shipping estimated again from `table`, or None when nothing changes.
    Only a quote without a stated shipping is the table's to decide."""
    if quote.shipping is not None:
        return None
    parts = landed_shipping(quote.item_eur, None, quote.item_location, quote.ships_to, weight_class_of(quote), table)
    if parts == (quote.shipping_eur, quote.shipping_kind, quote.total_eur):
        return None
    quote.shipping_eur, quote.shipping_kind, quote.total_eur = parts
    return quote


def record_offer(offer, rates, fetched_at=None, table=None):
    """Convert the offer to EUR and make it the current quote of its (store, offer, country).

    Raises MissingRate when the currency has no ECB rate: nothing is recorded then.
    `table` is the shipping table (pricing.shipping.load_table) when a batch has it loaded."""
    fields = _quote_fields(offer, landed_parts(offer, rates, table), fetched_at or timezone.now())
    try:
        return _replace_current(offer, fields)
    except IntegrityError:
        # A concurrent worker recorded the same offer between our two statements: go again.
        return _replace_current(offer, fields)


def _replace_current(offer, fields):
    with transaction.atomic():
        current = PriceQuote.objects.filter(
            store=offer.store, offer_key=offer.offer_key, ships_to=offer.ships_to, is_current=True
        )
        current.update(is_current=False)
        return PriceQuote.objects.create(**fields)


def _quote_fields(offer, parts, fetched_at):
    item, shipping, kind, total = parts
    return fitted(
        PriceQuote,
        {
            "album": offer.album,
            "release": offer.release,
            "store": offer.store,
            "offer_key": offer.offer_key,
            "condition": offer.condition,
            "currency": offer.currency.upper(),
            "amount": offer.amount,
            "shipping": offer.shipping,
            "item_eur": item,
            "shipping_eur": shipping,
            "shipping_kind": kind,
            "total_eur": total,
            "seller": offer.seller,
            "seller_account": offer.seller_account,
            "seller_rating": offer.seller_rating,
            "seller_ratings_count": offer.seller_ratings_count,
            "sleeve_condition": offer.sleeve_condition,
            "sample": offer.sample,
            "weight_class": weight_class_of(offer),
            "item_location": offer.item_location,
            "ships_to": offer.ships_to,
            "num_for_sale": offer.num_for_sale,
            "title": offer.title,
            "url": offer.url,
            **match_fields(offer),
            "is_current": True,
            "fetched_at": fetched_at,
        },
    )


def match_fields(offer):
    """How the quote is on its pressing: an offer whose source named the release (a Discogs
    listing or statistic) is exact; a matched one (eBay) says how sure it is and why."""
    if offer.release is not None and not offer.match_source:
        return {"match_source": PriceQuote.MatchSource.LISTING, "match_confidence": 1.0, "match_evidence": []}
    return {
        "match_source": offer.match_source,
        "match_confidence": offer.match_confidence,
        "match_evidence": list(offer.match_evidence),
    }


def retire_offer(store, offer_key, ships_to=""):
    """The offer is gone (nothing for sale any more): its current quote becomes history."""
    return PriceQuote.objects.filter(store=store, offer_key=offer_key, ships_to=ships_to, is_current=True).update(
        is_current=False
    )


def record_or_keep_error(offer, rates, owner):
    """record_offer, keeping a missing exchange rate as the owner's error instead of raising."""
    try:
        quote = record_offer(offer, rates)
    except MissingRate as missing:
        message = f"{offer.store}: price in {missing.currency} not converted, no ECB rate"
        type(owner).objects.filter(pk=owner.pk).update(last_error=message)
        note_error(f"{type(owner).__name__} {owner.pk}: {message}")
        return None
    note("created")
    return quote
