"""Alert Celery tasks: thin, take ids, safe to run twice (claims and unique rows decide)."""

from celery import shared_task

from integrations.errors import ApiError
from integrations.queue import enqueue

from . import channels, delivery, follows, watches


@shared_task(name="alerts.evaluate_watches", acks_late=True)
def evaluate_watches(album_ids):
    """The quotes of these albums changed: fire the watches on them."""
    return len(watches.evaluate_albums(album_ids))


@shared_task(name="alerts.notify_new_pressings", acks_late=True)
def notify_new_pressings(album_id, release_ids):
    return len(follows.notify_new_pressings(album_id, release_ids))


@shared_task(name="alerts.notify_new_albums", acks_late=True)
def notify_new_albums(artist_id, album_ids):
    return len(follows.notify_new_albums(artist_id, album_ids))


@shared_task(name="alerts.deliver_notification", bind=True, acks_late=True, max_retries=delivery.MAX_ATTEMPTS)
def deliver_notification(self, notification_id):
    """Email one notification; a duplicated delivery finds it claimed and sends nothing."""
    try:
        return delivery.deliver(notification_id)
    except OSError as error:  # SMTP down or refusing: transient
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error


@shared_task(name="alerts.send_digests", acks_late=True)
def send_digests(frequency):
    """Beat (vinilogy/schedules.py): one digest task per listener on `frequency` with mail waiting."""
    user_ids = delivery.digest_user_ids(frequency)
    for user_id in user_ids:
        enqueue("alerts.send_digest", user_id)
    return len(user_ids)


@shared_task(name="alerts.send_digest", bind=True, acks_late=True, max_retries=delivery.MAX_ATTEMPTS)
def send_digest(self, user_id):
    try:
        return delivery.send_digest(user_id)
    except OSError as error:
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error


@shared_task(name="alerts.deliver_instant", bind=True, acks_late=True, max_retries=channels.MAX_ATTEMPTS)
def deliver_instant(self, notification_id):
    """Send one notification on its listener's instant channels, each claimed once; retried with
    backoff on a transient failure (5xx, timeout, 429) for the channels still owed."""
    try:
        return channels.deliver_all(notification_id)
    except ApiError as error:
        raise self.retry(exc=error, countdown=error.retry_after or 30 * 2**self.request.retries) from error


@shared_task(name="alerts.test_channel", acks_late=True)
def test_channel(channel_id):
    """The "send a test" button: off the web request, recorded on the channel."""
    return channels.send_test(channel_id)


@shared_task(name="alerts.notify_release_days", acks_late=True)
def notify_release_days():
    """Daily (vinilogy/schedules.py): tell followers of the vinyl out today, once each."""
    return len(follows.notify_release_days())


@shared_task(name="alerts.notify_first_priced", acks_late=True)
def notify_first_priced(album_ids):
    """Quotes of these albums changed: tell followers of a new pressing first on sale to them."""
    return len(follows.notify_first_priced(album_ids))
