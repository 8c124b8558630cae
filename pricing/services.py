"""Prices in euros: ECB rates, every price source's quotes for an album, the best price.

    refresh_exchange_rates()                    -> int   ECB reference rates of the day
    rates_on(day=None)                          -> {currency: Decimal}
    refresh_album_prices(album, countries=None) -> int   quotes recorded for one album
    plans_today(countries)                      -> {budget: (Plan, sources)}  the day's plan per provider
    refresh_best_prices()                       -> int   nightly check: albums whose best prices were repaired
    reestimate_shipping()                       -> int   current quotes re-estimated after a shipping-table edit

The sources themselves (Discogs marketplace, eBay, local shops...) are the registry in
pricing/sources; each records its offers through pricing.offers, which converts every amount
to EUR with the latest ECB rate on or before the day (pricing.currency). Albums are priced at
most once per settings.PRICES_FRESHNESS_HOURS (Album.prices_refreshed_at), so a rerun costs
no API call.
"""

from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import Album
from integrations import clients
from integrations.queue import enqueue
from integrations.runs import note

from . import best_price, schedule, shipping as shipping_table, sources
from .destinations import countries_to_price
from .models import ExchangeRate, PriceQuote
from .offers import reestimated
from .signals import quotes_changed

# The ECB publishes on TARGET working days only: Easter can leave a four-day gap.
RATE_MAX_AGE = timedelta(days=7)


# --- exchange rates --------------------------------------------------------------------------


def refresh_exchange_rates():
    """Store the ECB's rates of the day; returns how many currencies were written."""
    return save_rates(clients.ecb().daily_rates())


def save_rates(euro_rates):
    for currency, rate in euro_rates.rates.items():
        ExchangeRate.objects.update_or_create(currency=currency, date=euro_rates.date, defaults={"rate": rate})
    return len(euro_rates.rates)


def rates_on(day=None):
    """{currency: rate} with each currency's latest rate on or before `day`, at most a week old."""
    day = day or timezone.localdate()
    rows = ExchangeRate.objects.filter(date__lte=day, date__gt=day - RATE_MAX_AGE).order_by("currency", "-date")
    rates = {}
    for currency, rate in rows.values_list("currency", "rate"):
        rates.setdefault(currency, rate)
    return rates


# --- one album's prices ----------------------------------------------------------------------


def refresh_album_prices(album, *, countries=None, force=False, only=None):
    """Every configured price source's quotes for the album (or only the `only` sources: a
    task per source runs on its provider's queue, pricing.tasks), shipping to each country;
    returns the number of quotes recorded."""
    if not force and not album.prices_stale:
        note("cache_hits")
        return 0
    note("api_lookups")
    rates, destinations = rates_on(), countries or countries_to_price()
    recorded = sum(source.refresh(album, destinations, rates) for source in (only or sources.configured()))
    album.prices_refreshed_at = timezone.now()
    Album.objects.filter(pk=album.pk).update(prices_refreshed_at=album.prices_refreshed_at)
    quotes_changed.send(sender=refresh_album_prices, album_ids={album.pk})
    return recorded


def plans_today(countries, now=None):
    """The day's price plan per provider: {budget key: (its schedule.Plan, its configured sources
    that price albums)}, each provider's albums sized by its own daily budget and the calls its
    sources estimate (calls_per_refresh) or reserve (reserved_calls)."""
    providers = {}
    for source in sources.configured():
        if source.budget:
            providers.setdefault(source.budget, []).append(source)
    plans = {}
    for budget, group in providers.items():
        pricing = [source for source in group if source.refreshes_albums]
        if not pricing:
            continue

        def cost(pressings, empty, tier, pricing=pricing):
            return sum(source.calls_per_refresh(pressings, empty, tier, countries) for source in pricing)

        reserved = sum(source.reserved_calls(now) for source in group)
        plans[budget] = (schedule.plan_today(now, budget, cost, reserved), pricing)
    return plans


def albums_due_for_prices(now=None):
    """Albums past the refresh window of their tier (pricing.schedule: daily, weekly, monthly)."""
    due = [album_id for tier in schedule.albums_due(now).values() for album_id, _ in tier.albums]
    return Album.objects.filter(pk__in=due).order_by("pk")


# --- the best-price table --------------------------------------------------------------------


def refresh_best_prices():
    """The nightly consistency check of the best-price table (each batch updates its own albums
    through quotes_changed); returns how many albums it repaired."""
    return best_price.refresh_best_prices()


# --- the shipping table ----------------------------------------------------------------------

REESTIMATE_CHUNK = 2000
# What the estimate reads of a quote and its pressing (pricing.offers.reestimated).
REESTIMATE_FIELDS = (
    "album_id",
    "item_eur",
    "shipping",
    "shipping_eur",
    "shipping_kind",
    "total_eur",
    "item_location",
    "ships_to",
    "weight_class",
    "release__formats",
    "release__format_summary",
)


def reestimate_shipping():
    """Estimate again, with the shipping table as it is now, every current quote whose shipping
    the table decides (none stated, an origin and a destination known): an estimate changes, an
    unknown shipping becomes estimated when a row now covers its route, an estimate becomes
    unknown when none does any more. Each chunk is saved with its albums' best prices in one
    transaction (quotes_changed: the best-price table, its best_prices_changed, the watches), so
    the card, the best price, the basket and the alerts agree. Returns how many quotes changed."""
    table = shipping_table.load_table()
    quotes = PriceQuote.objects.current().filter(shipping__isnull=True).exclude(item_location="").exclude(ships_to="")
    ids = list(quotes.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), REESTIMATE_CHUNK):
        changed += _reestimate_chunk(ids[start : start + REESTIMATE_CHUNK], table)
    return changed


def _reestimate_chunk(ids, table):
    quotes = PriceQuote.objects.filter(pk__in=ids, is_current=True).select_related("release").only(*REESTIMATE_FIELDS)
    changed = [quote for quote in map(partial(reestimated, table=table), quotes) if quote is not None]
    by_shipping = {}  # a few routes and weight classes: one UPDATE per shipping, not one per quote
    for quote in changed:
        by_shipping.setdefault((quote.shipping_eur, quote.shipping_kind), []).append(quote.pk)
    with transaction.atomic():
        for (shipping, kind), pks in by_shipping.items():
            total = None if shipping is None else F("item_eur") + shipping
            PriceQuote.objects.filter(pk__in=pks).update(shipping_eur=shipping, shipping_kind=kind, total_eur=total)
        if changed:
            quotes_changed.send(sender=reestimate_shipping, album_ids={quote.album_id for quote in changed})
    return len(changed)


def on_shipping_rate_changed(sender, **kwargs):
    """A shipping-table row was saved or deleted: re-estimate the quotes once it is committed."""
    transaction.on_commit(partial(enqueue, "pricing.reestimate_shipping"))
