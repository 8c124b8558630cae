"""A Notification row per event, with how it will be emailed (at once, in a digest or not) and
sent at once on the listener's enabled instant channels (alerts.channels)."""

from functools import partial

from django.db import transaction
from django.utils import translation

from accounts.language import override_for
from integrations.queue import enqueue

from . import channels
from .models import AlertSettings, Notification

Delivery = Notification.Delivery
DELIVERY_BY_CHOICE = {
    AlertSettings.Email.INSTANT: Delivery.QUEUED,
    AlertSettings.Email.DAILY: Delivery.DIGEST,
    AlertSettings.Email.WEEKLY: Delivery.DIGEST,
    AlertSettings.Email.OFF: Delivery.NONE,
}


def delivery_for(user):
    if not user.email:
        return Delivery.NONE
    return DELIVERY_BY_CHOICE[AlertSettings.for_user(user).email]


def create(user, kind, album, message, **fields):
    """Store the notification; one delivery task per notification emailed at once, and one per
    enabled instant channel, enqueued once the row is committed (a worker must find it).

    `message` is the sentence, or a function that writes it: called in the listener's language
    (the language their emails and channels use), which is stored with it; a reader in another
    language reads it written again (alerts.describe.in_reader_language)."""
    with override_for(user):
        text = message() if callable(message) else message
        language = translation.get_language() or ""
    notification = Notification.objects.create(
        user=user, kind=kind, album=album, message=text, language=language, delivery=delivery_for(user), **fields
    )
    if notification.delivery == Delivery.QUEUED:
        transaction.on_commit(partial(enqueue, "alerts.deliver_notification", notification.pk))
    channels.enqueue_for(notification)
    return notification
