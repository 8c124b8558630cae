"""What alerts does when the apps to its left say something changed: enqueue a task by name,
so the price refresh or catalog sync that sent the signal is not held up by alert work."""

from django.dispatch import receiver

from catalog.signals import albums_added, pressings_added
from integrations.queue import enqueue
from pricing.signals import quotes_changed

from . import follows
from .models import Watch


@receiver(quotes_changed, dispatch_uid="alerts.evaluate_watches")
def evaluate_watches(sender, album_ids, **kwargs):
    if Watch.objects.active().filter(album_id__in=album_ids).exists():
        enqueue("alerts.evaluate_watches", sorted(album_ids))


@receiver(quotes_changed, dispatch_uid="alerts.first_priced")
def first_priced(sender, album_ids, **kwargs):
    """New vinyl a listener heard of may now be on sale to them (alerts.follows)."""
    if follows.awaiting_first_price(album_ids).exists():
        enqueue("alerts.notify_first_priced", sorted(album_ids))


@receiver(pressings_added, dispatch_uid="alerts.new_pressings")
def new_pressings(sender, album_id, release_ids, backfill, **kwargs):
    if not backfill:
        enqueue("alerts.notify_new_pressings", album_id, list(release_ids))


@receiver(albums_added, dispatch_uid="alerts.new_albums")
def new_albums(sender, artist_id, album_ids, backfill, **kwargs):
    if not backfill:
        enqueue("alerts.notify_new_albums", artist_id, list(album_ids))
