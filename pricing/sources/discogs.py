"""Discogs marketplace statistics: the lowest item price and number for sale of a pressing.

One call per pressing (`/marketplace/stats/{release_id}`), asked in EUR. The statistics say
nothing of shipping or the seller, so a quote from here is an item price only. They are also the
budget's cheap filter: each answer is kept as the pressing's MarketCheck, and a pressing with
nothing for sale is not asked again for settings.PRICE_EMPTY_RECHECK_DAYS (pricing.schedule).
"""

from django.db.models import F
from django.utils import timezone

from integrations import clients, discogs
from integrations.errors import ApiError
from integrations.runs import record_permanent_error

from .. import schedule, suggestions
from ..models import MarketCheck
from ..offers import Offer, record_or_keep_error, retire_offer
from .base import PriceSource

# Marketplace stats cost one call per pressing: each album is priced through its most wanted
# official pressings (the cap and the schedule are pricing.schedule's).
MAX_RELEASES_PRICED = schedule.MAX_RELEASES_PRICED


class DiscogsMarketplace(PriceSource):
    name = "discogs"
    provider = "discogs"
    label = "Discogs marketplace"
    store_name = "Discogs marketplace"
    website = "https://www.discogs.com/sell/list"
    queue = "discogs"
    offers_template = "pricing/offers/_discogs.html"
    offers_shown = 5
    empty_text = "No Discogs marketplace price known yet."

    def configuration(self):
        return " + ".join(discogs.credential_kinds()) or "anonymous (25 calls a minute)"

    def refresh(self, album, destinations, rates):
        releases = releases_to_price(album)
        if not releases:
            return 0
        client, store = clients.discogs(), self.store()
        recorded = sum(price_release(release, album, client, store, rates) for release in releases)
        suggestions.refresh_price_suggestions(album, rates, client)  # the deal score's second basis
        return recorded

    def calls_per_refresh(self, pressings, empty, tier, countries):
        return schedule.calls_per_refresh(pressings, empty, tier)

    def ping(self):
        return clients.discogs().ping()


def releases_to_price(album, now=None):
    """The album's most wanted official pressings due on its tier (pricing.schedule), leaving out
    those known to have nothing for sale."""
    releases = album.releases.filter(is_official=True).exclude(pk__in=schedule.known_empty_releases(now))
    ranked = list(releases.order_by(F("want").desc(nulls_last=True), "discogs_id")[:MAX_RELEASES_PRICED])
    return schedule.pressings_due(ranked, schedule.album_tier(album), now)


def price_release(release, album, client, store, rates):
    """The lowest price of a pressing on the Discogs marketplace, asked in EUR."""
    offer_key = f"release:{release.discogs_id}:lowest"
    try:
        stats = client.marketplace_stats(release.discogs_id, currency="EUR")
    except ApiError as error:
        record_permanent_error(release, error)
        return 0
    for_sale = 0 if stats.lowest_price is None or stats.blocked_from_sale else stats.num_for_sale
    MarketCheck.objects.update_or_create(release=release, defaults={"num_for_sale": for_sale, "checked_at": timezone.now()})
    if for_sale == 0:
        retire_offer(store, offer_key)
        return 0
    offer = Offer(
        album=album,
        store=store,
        offer_key=offer_key,
        release=release,
        currency=stats.lowest_price.currency,
        amount=stats.lowest_price.amount,
        num_for_sale=stats.num_for_sale,
        title=f"Lowest of {stats.num_for_sale} for sale on Discogs",
        url=release.marketplace_url,
    )
    return int(record_or_keep_error(offer, rates, release) is not None)
