"""Prices in euros: ECB rates, Discogs marketplace stats, eBay offers, local-shop links.

    refresh_exchange_rates()                    -> int   ECB reference rates of the day
    rates_on(day=None)                          -> {currency: Decimal}
    refresh_album_prices(album, countries=None) -> int   quotes recorded for one album
    record_offer(offer, rates)                  -> PriceQuote
    store_links(album)                          -> [(Store, url)]  local shops, as search links
    refresh_best_prices()                       -> bool  the best-price view (PostgreSQL)

Every amount is converted to EUR with the latest ECB rate on or before the day
(pricing.currency); a currency without a rate is never guessed: the offer is not recorded and
the error is kept on the release or album that owns it. A total is price plus shipping.

A new observation of an offer (same store, offer_key and destination) retires the current
one (is_current=False), so history is kept and the unique constraint allows one current
quote per offer. Albums are priced at most once per settings.PRICES_FRESHNESS_HOURS
(Album.prices_refreshed_at), so a rerun costs no API call.
"""
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import Album
from catalog.normalize import normalize_artist_name, normalize_title
from catalog.upsert import fitted
from integrations import clients
from integrations.errors import ApiError
from integrations.runs import note, note_error, record_permanent_error

from . import best_price
from .currency import MissingRate, to_eur
from .models import ExchangeRate, PriceQuote, Store

logger = logging.getLogger(__name__)

DISCOGS_STORE = "Discogs marketplace"
EBAY_STORE = "eBay"
# The ECB publishes on TARGET working days only: Easter can leave a four-day gap.
RATE_MAX_AGE = timedelta(days=7)
# Marketplace stats cost one call per pressing. With Discogs' 60 calls a minute, pricing
# every pressing of every album daily would not fit in a day, so each album is priced
# through its most wanted official pressings.
MAX_RELEASES_PRICED = 20
# eBay condition names → our conditions.
EBAY_CONDITIONS = {"new": PriceQuote.Condition.NEW, "used": PriceQuote.Condition.USED, "pre-owned": PriceQuote.Condition.USED}


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


# --- recording offers ------------------------------------------------------------------------


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
    return fitted(PriceQuote, {
        "album": offer.album,
        "release": offer.release,
        "store": offer.store,
        "offer_key": offer.offer_key,
        "condition": offer.condition,
        "currency": offer.currency.upper(),
        "amount": offer.amount,
        "shipping": offer.shipping,
        "total_eur": total,
        "seller": offer.seller,
        "item_location": offer.item_location,
        "ships_to": offer.ships_to,
        "num_for_sale": offer.num_for_sale,
        "title": offer.title,
        "url": offer.url,
        "is_current": True,
        "fetched_at": fetched_at,
    })


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


# --- one album's prices ----------------------------------------------------------------------


def refresh_album_prices(album, *, countries=None, force=False):
    """Discogs marketplace figures for the album's pressings and eBay offers shipping to
    each country; returns the number of quotes recorded."""
    if not force and not album.prices_stale:
        note("cache_hits")
        return 0
    note("api_lookups")
    rates = rates_on()
    recorded = price_on_discogs(album, rates)
    if settings.EBAY_CLIENT_ID and settings.EBAY_CLIENT_SECRET:
        recorded += price_on_ebay(album, countries or countries_to_price(), rates)
    album.prices_refreshed_at = timezone.now()
    Album.objects.filter(pk=album.pk).update(prices_refreshed_at=album.prices_refreshed_at)
    return recorded


def releases_to_price(album):
    releases = album.releases.filter(is_official=True).order_by(F("want").desc(nulls_last=True), "discogs_id")
    return list(releases[:MAX_RELEASES_PRICED])


def price_on_discogs(album, rates):
    releases = releases_to_price(album)
    if not releases:
        return 0
    client, store = clients.discogs(), Store.objects.get(name=DISCOGS_STORE)
    return sum(price_release_on_discogs(release, album, client, store, rates) for release in releases)


def price_release_on_discogs(release, album, client, store, rates):
    """The lowest price of a pressing on the Discogs marketplace, asked in EUR."""
    offer_key = f"release:{release.discogs_id}:lowest"
    try:
        stats = client.marketplace_stats(release.discogs_id, currency="EUR")
    except ApiError as error:
        record_permanent_error(release, error)
        return 0
    if stats.lowest_price is None or stats.num_for_sale == 0 or stats.blocked_from_sale:
        retire_offer(store, offer_key)
        return 0
    offer = Offer(
        album=album, store=store, offer_key=offer_key, release=release,
        currency=stats.lowest_price.currency, amount=stats.lowest_price.amount, num_for_sale=stats.num_for_sale,
        title=f"Lowest of {stats.num_for_sale} for sale on Discogs", url=release.marketplace_url,
    )
    return int(record_or_keep_error(offer, rates, release) is not None)


def price_on_ebay(album, countries, rates):
    client, store = clients.ebay(), Store.objects.get(name=EBAY_STORE)
    recorded = 0
    for country in countries:
        try:
            offers = client.search_offers(album.artist.name, album.title, country=country)
        except ApiError as error:
            record_permanent_error(album, error)
            continue
        matching = [offer for offer in offers if offer_matches(album.artist.name, album.title, offer.title)]
        recorded += sum(record_ebay_offer(album, store, offer, country, rates) for offer in matching)
    return recorded


def record_ebay_offer(album, store, ebay_offer, country, rates):
    shipping = ebay_offer.shipping
    same_currency = shipping is not None and shipping.currency == ebay_offer.price.currency
    offer = Offer(
        album=album, store=store, offer_key=f"item:{ebay_offer.item_id}", ships_to=country,
        currency=ebay_offer.price.currency, amount=ebay_offer.price.amount,
        shipping=shipping.amount if same_currency else None,
        condition=EBAY_CONDITIONS.get(ebay_offer.condition.strip().lower(), ""),
        seller=ebay_offer.seller, item_location=ebay_offer.item_country, title=ebay_offer.title, url=ebay_offer.url,
    )
    return int(record_or_keep_error(offer, rates, album) is not None)


def offer_matches(artist, title, listing_title):
    """Whether a listing's title names the album: every word of the artist and of the title
    appears in it (eBay's search also returns the artist's other records)."""
    words = set(re.findall(r"\w+", normalize_title(listing_title))) | set(re.findall(r"\w+", normalize_artist_name(listing_title)))
    wanted = set(normalize_artist_name(artist).split()) | set(normalize_title(title).split())
    return bool(wanted) and wanted <= words


def countries_to_price():
    """Where our active listeners want records shipped (the default country when none)."""
    from accounts.models import Profile

    countries = Profile.objects.filter(user__is_active=True).values_list("country", flat=True).distinct()
    return sorted({code.upper() for code in countries if code}) or [settings.DEFAULT_COUNTRY]


def albums_due_for_prices():
    return Album.objects.filter(releases__isnull=False).prices_due().distinct().order_by("pk")


# --- local shops and the best-price view -----------------------------------------------------


def store_links(album):
    """Each active local shop's search page for this album (we link, we never scrape)."""
    shops = Store.objects.filter(kind=Store.Kind.LOCAL, is_active=True).exclude(search_url_template="")
    return [(shop, shop.search_url(album.artist.name, album.title)) for shop in shops]


def refresh_best_prices():
    """Refresh the best-price view after a price run (concurrently, on PostgreSQL)."""
    return best_price.refresh_best_prices()
