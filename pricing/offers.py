"""Recording an observed offer as a quote in EUR, keeping its history.

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
from integrations.runs import note, note_error

from .currency import MissingRate, to_eur
from .models import PriceQuote, Store


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


def record_offer(offer, rates, fetched_at=None):
    """Convert the offer to EUR and make it the current quote of its (store, offer, country).

    Raises MissingRate when the currency has no ECB rate: nothing is recorded then."""
    total = to_eur(offer.amount + (offer.shipping or 0), offer.currency, rates)
    fields = _quote_fields(offer, total, fetched_at or timezone.now())
    try:
        return _replace_current(offer, fields)
    except IntegrityError:
        # A concurrent worker recorded the same offer between our two statements: go again.
        return _replace_current(offer, fields)


def _replace_current(offer, fields):
    with transaction.atomic():
        current = PriceQuote.objects.filter(store=offer.store, offer_key=offer.offer_key, ships_to=offer.ships_to, is_current=True)
        current.update(is_current=False)
        return PriceQuote.objects.create(**fields)


def _quote_fields(offer, total, fetched_at):
    return {
        "album": offer.album,
        "release": offer.release,
        "store": offer.store,
        "offer_key": offer.offer_key[:200],
        "condition": offer.condition,
        "currency": offer.currency.upper(),
        "amount": offer.amount,
        "shipping": offer.shipping,
        "total_eur": total,
        "seller": offer.seller[:200],
        "item_location": offer.item_location[:2],
        "ships_to": offer.ships_to,
        "num_for_sale": offer.num_for_sale,
        "title": offer.title[:500],
        "url": offer.url[:1000],
        "is_current": True,
        "fetched_at": fetched_at,
    }


def retire_offer(store, offer_key, ships_to=""):
    """The offer is gone (nothing for sale any more): its current quote becomes history."""
    return PriceQuote.objects.filter(store=store, offer_key=offer_key, ships_to=ships_to, is_current=True).update(is_current=False)


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
