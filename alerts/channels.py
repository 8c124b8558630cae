"""Instant channels: a listener's browsers (Web Push) and ntfy topics, told of a notification at
once, besides the inbox, the feed and email (whose digests stay as they are).

A notification is sent on each enabled channel by one task (alerts.deliver_instant), enqueued
once the notification is committed, never in the web request. The ChannelDelivery row
(unique per notification and channel) is the claim: the task that inserts it, or takes it back
from `retry` (or from a `sending` claim a dead worker left), sends; a duplicate finds it taken.
A transient failure (5xx, timeout, 429) puts it back to `retry` and the task retries it with
backoff; a permanent one marks it failed. A browser's subscription that its push service says
is gone (404, 410) is deleted. Each channel keeps its last delivery and its last error.

The URL a listener gives is checked (integrations.instant.check_endpoint, the SSRF rule) when
it is saved and again before every send.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.language import override_for
from catalog.seo import absolute_url
from integrations.errors import ApiError
from integrations.instant import EndpointRefused, Message, NtfyClient, PushSubscription, WebPushClient, check_endpoint
from integrations.queue import enqueue_api_task

from .models import ChannelDelivery, InstantChannel, Notification

State = ChannelDelivery.State
MAX_ATTEMPTS = 5
MAX_CHANNELS = 20  # browsers and topics of one listener
# A claim still `sending` after this long was left by a worker that died: it may be taken again.
STALE_CLAIM = timedelta(minutes=10)
GONE = (404, 410)  # the push service no longer knows the subscription
TAGS = {
    Notification.Kind.PRICE: ("moneybag",),
    Notification.Kind.PRESSING: ("cd",),
    Notification.Kind.ALBUM: ("cd",),
    Notification.Kind.RELEASE_DAY: ("calendar",),
    Notification.Kind.PRICED: ("moneybag",),
}


class ChannelRefused(ValueError):
    """A channel we will not save; the message is for the listener (translated)."""


def webpush_available():
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


def checked_endpoint(url, resolve=True):
    """The URL if we may call it, else ChannelRefused in the listener's words. A web request
    checks without DNS (`resolve=False`); the worker resolves the name before each send."""
    try:
        check_endpoint(url, allowed_hosts=settings.ALERT_ENDPOINT_ALLOWED_HOSTS, **({} if resolve else {"resolve": None}))
    except EndpointRefused as error:
        raise ChannelRefused(_("We cannot send to that address: use an https address on the public internet.")) from error
    return url


def add_channel(user, kind, endpoint, *, name="", p256dh="", auth=""):
    """Save (or re-enable) the listener's channel for this endpoint; (channel, created)."""
    if kind == InstantChannel.Kind.WEBPUSH and not (webpush_available() and p256dh and auth):
        raise ChannelRefused(_("Browser notifications are not available on this site."))
    checked_endpoint(endpoint, resolve=False)
    mine = InstantChannel.objects.for_user(user)
    if mine.count() >= MAX_CHANNELS and not mine.filter(endpoint=endpoint).exists():
        raise ChannelRefused(_("You have %(count)s channels already; remove one first.") % {"count": MAX_CHANNELS})
    values = {"kind": kind, "name": name[:100], "p256dh": p256dh, "auth": auth, "enabled": True}
    return InstantChannel.objects.update_or_create(user=user, endpoint=endpoint, defaults=values)


def enqueue_for(notification):
    """After the notification is committed, when its listener has an enabled channel: one task
    (alerts.deliver_instant) sends it on each. It is an API task: a web request that made the
    notification (a watch saved, firing at once) never waits on it."""
    if InstantChannel.objects.for_user(notification.user_id).enabled().exists():
        transaction.on_commit(partial(enqueue_api_task, "alerts.deliver_instant", notification.pk))
        return True
    return False


def message_for(notification):
    """What the channel shows: the kind as a title, the stored sentence, a link to act on."""
    with override_for(notification.user):
        title = _("Vinilogy: %(kind)s") % {"kind": notification.get_kind_display().lower()}
    link = notification.url or absolute_url(reverse("catalog:album", args=[notification.album_id]))
    return Message(title=title, body=notification.message, click_url=link, tags=TAGS.get(notification.kind, ()))


def test_message(channel):
    with override_for(channel.user):
        return Message(
            title=_("Vinilogy: a test"),
            body=_("This is how your alerts will arrive here."),
            click_url=absolute_url(reverse("alerts:inbox")),
            tags=("white_check_mark",),
        )


def send(channel, message):
    """Send one message on the channel now (a worker's job; raises ApiError or ChannelRefused)."""
    checked_endpoint(channel.endpoint)  # again: a name can point elsewhere since it was saved
    if channel.kind == InstantChannel.Kind.NTFY:
        return NtfyClient().send(channel.endpoint, message)
    client = WebPushClient(settings.VAPID_PRIVATE_KEY, settings.VAPID_SUBJECT)
    return client.send(PushSubscription(channel.endpoint, channel.p256dh, channel.auth), message)


def _claim(notification_id, channel_id):
    """The delivery row if this call may send it (inserted, or taken back), else None."""
    try:
        with transaction.atomic():
            return ChannelDelivery.objects.create(notification_id=notification_id, channel_id=channel_id)
    except IntegrityError:
        pass
    now = timezone.now()
    takeable = Q(state=State.RETRY) | Q(state=State.SENDING, claimed_at__lt=now - STALE_CLAIM)
    rows = ChannelDelivery.objects.filter(takeable, notification_id=notification_id, channel_id=channel_id)
    if not rows.update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1):
        return None
    return ChannelDelivery.objects.get(notification_id=notification_id, channel_id=channel_id)


def deliver(notification_id, channel_id):
    """Send the notification on the channel once. True when sent, False when there was nothing
    to do (claimed elsewhere, sent already, channel gone or disabled, subscription removed);
    raises a transient ApiError (after putting the row back) so the task retries it."""
    channel = InstantChannel.objects.filter(pk=channel_id, enabled=True).select_related("user").first()
    notification = Notification.objects.filter(pk=notification_id).select_related("user").first()
    if channel is None or notification is None or notification.user_id != channel.user_id:
        return False
    claimed = _claim(notification_id, channel_id)
    if claimed is None:
        return False
    try:
        send(channel, message_for(notification))
    except (ApiError, ChannelRefused) as error:
        return _failed(claimed, channel, error)
    now = timezone.now()
    ChannelDelivery.objects.filter(pk=claimed.pk).update(state=State.SENT, sent_at=now, error="")
    InstantChannel.objects.filter(pk=channel.pk).update(last_delivery_at=now, last_error="", last_error_at=None)
    return True


def error_sentence(channel, error):
    """The listener's words for a failure, in their language (the technical text stays in the
    delivery row and the API-call log)."""
    status = getattr(error, "status_code", None)
    with override_for(channel.user):
        if isinstance(error, ChannelRefused):
            return str(error)
        if isinstance(error, ApiError) and not error.permanent:
            return _("The server did not answer in time or had a problem; we try again.")
        if status in (401, 403):
            return _("The server refused the message: it asks for a password or token.")
        if status in GONE:
            return _("The server says this address does not exist.")
        return _("The server refused the message.")


def _gone(channel, error):
    """A browser subscription its push service no longer knows: removed, with its deliveries."""
    if channel.kind == InstantChannel.Kind.WEBPUSH and getattr(error, "status_code", None) in GONE:
        channel.delete()
        return True
    return False


def deliver_all(notification_id):
    """Send the notification on each of its listener's enabled channels, each once. A transient
    failure on one does not hold up the others; the first is raised at the end, so the task is
    retried and sends only what is still owed. Returns how many were sent now."""
    user_id = Notification.objects.filter(pk=notification_id).values_list("user_id", flat=True).first()
    channel_ids = InstantChannel.objects.filter(user_id=user_id, enabled=True).values_list("pk", flat=True)
    sent, pending = 0, None
    for channel_id in list(channel_ids):
        try:
            sent += deliver(notification_id, channel_id)
        except ApiError as error:
            pending = pending or error
    if pending:
        raise pending
    return sent


def _failed(claimed, channel, error):
    """Record the failure; a gone subscription is removed; a transient error is raised again."""
    if _gone(channel, error):
        return False
    transient = isinstance(error, ApiError) and not error.permanent and claimed.attempts < MAX_ATTEMPTS
    ChannelDelivery.objects.filter(pk=claimed.pk).update(state=State.RETRY if transient else State.FAILED, error=str(error)[:500])
    InstantChannel.objects.filter(pk=channel.pk).update(last_error=error_sentence(channel, error), last_error_at=timezone.now())
    if transient:
        raise error
    return False


def send_test(channel_id):
    """The "send a test" button's work (a task): a test message, recorded on the channel like
    any delivery. Returns whether it went out."""
    channel = InstantChannel.objects.filter(pk=channel_id).select_related("user").first()
    if channel is None:
        return False
    try:
        send(channel, test_message(channel))
    except (ApiError, ChannelRefused) as error:
        if not _gone(channel, error):
            InstantChannel.objects.filter(pk=channel.pk).update(
                last_error=error_sentence(channel, error), last_error_at=timezone.now()
            )
        return False
    InstantChannel.objects.filter(pk=channel.pk).update(last_delivery_at=timezone.now(), last_error="", last_error_at=None)
    return True
