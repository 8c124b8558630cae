"""Pricing Celery tasks: thin wrappers that take ids and call one service."""
from celery import shared_task

from catalog.models import Album
from catalog.tasks import RETRYING

from . import destinations, inventory, schedule, services, suggestions


@shared_task(name="pricing.refresh_album_prices", queue="discogs", **RETRYING)
def refresh_album_prices(album_id, countries=None):
    """Discogs marketplace and eBay quotes for one album; a second run within the freshness
    window does nothing."""
    album = Album.objects.select_related("artist").filter(pk=album_id).first()
    if album is None:
        return 0
    recorded = services.refresh_album_prices(album, countries=countries)
    suggestions.refresh_price_suggestions(album, services.rates_on())  # the deal score's second basis
    return recorded


@shared_task(name="pricing.refresh_all_prices", acks_late=True)
def refresh_all_prices(countries=None):
    """Daily fan-out: one price task per album due on its tier (pricing.schedule), daily tier
    first, as many as today's Discogs budget fits; the rest waits for tomorrow. Each task updates
    its album's best prices; the nightly check (pricing.refresh_best_prices) repairs any drift."""
    countries = countries or destinations.countries_to_price()
    plan = schedule.plan_today()
    for album_id, _ in plan.enqueued:
        refresh_album_prices.delay(album_id, countries)
    return len(plan.enqueued)


@shared_task(name="pricing.refresh_best_prices", acks_late=True)
def refresh_best_prices():
    return services.refresh_best_prices()


@shared_task(name="pricing.reestimate_shipping", acks_late=True)
def reestimate_shipping():
    """After a shipping-table edit: the current estimated quotes and their best prices again."""
    return services.reestimate_shipping()


@shared_task(name="pricing.refresh_exchange_rates", **RETRYING)
def refresh_exchange_rates():
    return services.refresh_exchange_rates()


@shared_task(name="pricing.crawl_seller", queue="discogs", **RETRYING)
def crawl_seller(seller_id):
    """Read one seller's Discogs inventory into quotes (incremental after the first walk)."""
    seller = inventory.Seller.objects.filter(pk=seller_id, is_active=True).first()
    return inventory.crawl_seller(seller).recorded if seller else 0


@shared_task(name="pricing.crawl_sellers", acks_late=True)
def crawl_sellers():
    """Daily fan-out: one crawl task per active seller not crawled within SELLER_CRAWL_HOURS."""
    seller_ids = list(schedule.sellers_due().values_list("pk", flat=True))
    for seller_id in seller_ids:
        crawl_seller.delay(seller_id)
    return len(seller_ids)
