"""Pricing Celery tasks: thin wrappers that take ids and call one service."""

from celery import shared_task

from catalog.models import Album
from catalog.tasks import RETRYING

from . import destinations, inventory, schedule, services, sources as price_sources


@shared_task(name="pricing.refresh_album_prices", bind=True, **RETRYING)
def refresh_album_prices(self, album_id, countries=None):
    """One album's prices now (a listener's catalog chain, the album page's refresh): one
    refresh_source_prices per configured source that prices albums, each on its provider's queue
    and at this task's priority; nothing while the album's prices are fresh. Returns how many."""
    album = Album.objects.filter(pk=album_id).first()
    if album is None or not album.prices_stale:
        return 0
    priority = (self.request.delivery_info or {}).get("priority")
    due = [source for source in price_sources.configured() if source.refreshes_albums]
    return enqueue_source_refreshes(album_id, due, countries, priority)


@shared_task(name="pricing.refresh_source_prices", **RETRYING)
def refresh_source_prices(album_id, source_name, countries=None):
    """One price source's quotes for one album, on its provider's queue (enqueue_source_refreshes)."""
    album = Album.objects.select_related("artist").filter(pk=album_id).first()
    if album is None:
        return 0
    return services.refresh_album_prices(album, countries=countries, force=True, only=[price_sources.get(source_name)])


def enqueue_source_refreshes(album_id, due_sources, countries=None, priority=None):
    for source in due_sources:
        options = {"queue": source.queue, **({"priority": priority} if priority is not None else {})}
        refresh_source_prices.apply_async((album_id, source.name, countries), **options)
    return len(due_sources)


@shared_task(name="pricing.refresh_all_prices", acks_late=True)
def refresh_all_prices(countries=None):
    """Daily fan-out, per provider (pricing.services.plans_today): each album due on its tier
    (pricing.schedule), daily tier first, as many as the provider's daily budget fits, gets one
    task per source of that provider on the provider's queue; the rest waits for tomorrow. Each
    task updates its album's best prices; the nightly check (pricing.refresh_best_prices) repairs
    any drift. Returns how many source refreshes were enqueued."""
    countries = countries or destinations.countries_to_price()
    enqueued = 0
    for plan, due_sources in services.plans_today(countries).values():
        for album_id, _ in plan.enqueued:
            enqueued += enqueue_source_refreshes(album_id, due_sources, countries)
    return enqueued


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
