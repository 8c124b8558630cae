"""Discogs marketplace statistics: the lowest item price and number for sale of a pressing.

One call per pressing (`/marketplace/stats/{release_id}`), asked in EUR. The statistics say
nothing of shipping or the seller, so a quote from here is an item price only.
"""
from django.conf import settings
from django.db.models import F

from integrations import clients
from integrations.errors import ApiError
from integrations.runs import record_permanent_error

from ..offers import Offer, record_or_keep_error, retire_offer
from .base import PriceSource

# Marketplace stats cost one call per pressing. With Discogs' 60 calls a minute, pricing
# every pressing of every album daily would not fit in a day, so each album is priced
# through its most wanted official pressings.
MAX_RELEASES_PRICED = 20


class DiscogsMarketplace(PriceSource):
    name = "discogs"
    label = "Discogs marketplace"
    store_name = "Discogs marketplace"
    offers_template = "pricing/offers/_discogs.html"
    offers_shown = 5
    empty_text = "No Discogs marketplace price known yet."

    def configuration(self):
        kinds = [name for name, ok in (("personal token", settings.DISCOGS_TOKEN),
                                       ("OAuth consumer", settings.DISCOGS_CONSUMER_KEY and settings.DISCOGS_CONSUMER_SECRET)) if ok]
        return " + ".join(kinds) or "anonymous (25 calls a minute)"

    def refresh(self, album, destinations, rates):
        releases = releases_to_price(album)
        if not releases:
            return 0
        client, store = clients.discogs(), self.store()
        return sum(price_release(release, album, client, store, rates) for release in releases)

    def ping(self):
        return clients.discogs().ping()


def releases_to_price(album):
    releases = album.releases.filter(is_official=True).order_by(F("want").desc(nulls_last=True), "discogs_id")
    return list(releases[:MAX_RELEASES_PRICED])


def price_release(release, album, client, store, rates):
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
