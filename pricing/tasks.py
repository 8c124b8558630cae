"""Pricing Celery tasks: thin wrappers that take ids and call one service."""
from celery import shared_task

from catalog.models import Album
from catalog.tasks import RETRYING

from . import destinations, services


@shared_task(name="pricing.refresh_album_prices", queue="discogs", **RETRYING)
def refresh_album_prices(album_id, countries=None):
    """Discogs marketplace and eBay quotes for one album; a second run within the freshness
    window does nothing."""
    album = Album.objects.select_related("artist").filter(pk=album_id).first()
    return services.refresh_album_prices(album, countries=countries) if album else 0


@shared_task(name="pricing.refresh_all_prices", acks_late=True)
def refresh_all_prices(countries=None):
    """Daily fan-out: one price task per album whose prices are stale. Each task updates its
    album's best prices; the nightly check (pricing.refresh_best_prices) repairs any drift."""
    countries = countries or destinations.countries_to_price()
    album_ids = list(services.albums_due_for_prices().values_list("pk", flat=True))
    for album_id in album_ids:
        refresh_album_prices.delay(album_id, countries)
    return len(album_ids)


@shared_task(name="pricing.refresh_best_prices", acks_late=True)
def refresh_best_prices():
    return services.refresh_best_prices()


@shared_task(name="pricing.refresh_exchange_rates", **RETRYING)
def refresh_exchange_rates():
    return services.refresh_exchange_rates()
