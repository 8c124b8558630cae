"""Email: one notification at once, or a listener's daily or weekly digest; each mail with a
one-click unsubscribe (a signed token, RFC 8058 List-Unsubscribe headers).

An unsubscribe link lives a year (UNSUBSCRIBE_MAX_AGE) and dies earlier when the listener
rotates their feed address or their email links' secret: the token carries the listener's
`links_version`, which either rotation changes.

A delivery claims its rows with a conditional UPDATE (queued/digest → sending) before it
sends, so a retried or duplicated task finds nothing left to send: one mail per notification.
A failure to send puts the rows back to be tried again (transient), or marks them failed
after the last attempt.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _, ngettext

from accounts.language import override_for
from catalog.seo import absolute_url

from .models import AlertSettings, Notification

Delivery = Notification.Delivery
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
# Long enough for a digest read months later, short enough that a forwarded or leaked mail
# does not control the listener's email for ever.
UNSUBSCRIBE_MAX_AGE = timedelta(days=365)
MAX_ATTEMPTS = 5


def unsubscribe_token(user):
    version = AlertSettings.for_user(user).links_version()
    return signing.dumps({"u": user.pk, "v": version}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_id_from_unsubscribe_token(token):
    """The user id the token was made for; None for a forged, mangled, expired or revoked one
    (a token made before links had a version is revoked too: it could never be)."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
        user_id, version = payload["u"], payload["v"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    current = AlertSettings.objects.filter(user_id=user_id).first()
    return user_id if current and constant_time_compare(version, current.links_version()) else None


def _mail(user, subject, notifications):
    unsubscribe = absolute_url(reverse("alerts:unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        "user": user,
        "notifications": notifications,
        "unsubscribe_url": unsubscribe,
        "inbox_url": absolute_url(reverse("alerts:inbox")),
    }
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    body = render_to_string("alerts/email.txt", context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], headers=headers)


def _claim(rows, from_state):
    """Compare-and-set: the rows still in `from_state` become `sending`, stamped with this
    claim's time (which tells our rows from a concurrent claim's); (how many, the stamp)."""
    now = timezone.now()
    claimed = rows.filter(delivery=from_state).update(
        delivery=Delivery.SENDING, delivery_claimed_at=now, delivery_attempts=F("delivery_attempts") + 1
    )
    return claimed, now


def _settle(rows, error=None):
    if error is None:
        return rows.update(delivery=Delivery.SENT, emailed_at=timezone.now(), delivery_error="")
    rows.filter(delivery_attempts__gte=MAX_ATTEMPTS).update(delivery=Delivery.FAILED, delivery_error=str(error)[:500])
    return 0


def deliver(notification_id):
    """Email one notification at once; a second delivery of the task sends nothing. Returns
    whether a mail went out; raises the sending error (after putting the row back) so the
    task retries it."""
    rows = Notification.objects.filter(pk=notification_id)
    if not _claim(rows, Delivery.QUEUED)[0]:
        return False
    notification = rows.select_related("user").get()
    try:
        with override_for(notification.user):  # subject and body in the listener's language
            _mail(
                notification.user, _("Vinilogy: %(kind)s") % {"kind": notification.get_kind_display().lower()}, [notification]
            ).send()
    except Exception as error:
        rows.filter(delivery_attempts__lt=MAX_ATTEMPTS).update(delivery=Delivery.QUEUED, delivery_error=str(error)[:500])
        _settle(rows, error)
        raise
    return bool(_settle(rows))


def digest_user_ids(frequency):
    """Listeners on this digest frequency with something waiting."""
    waiting = Notification.objects.filter(delivery=Delivery.DIGEST, user__is_active=True)
    users = AlertSettings.objects.filter(email=frequency, user__in=waiting.values("user")).values_list("user_id", flat=True)
    return sorted(users)


def send_digest(user_id):
    """One mail with every notification waiting for the listener's digest; run twice, the
    second run finds them claimed or sent and sends nothing."""
    waiting = Notification.objects.filter(user_id=user_id, delivery=Delivery.DIGEST)
    ids = list(waiting.values_list("pk", flat=True))
    count, stamp = _claim(Notification.objects.filter(pk__in=ids), Delivery.DIGEST) if ids else (0, None)
    if not count:
        return 0
    claimed = Notification.objects.filter(pk__in=ids, delivery=Delivery.SENDING, delivery_claimed_at=stamp)
    notifications = list(claimed.select_related("user").order_by("created_at"))
    if not notifications:
        return 0
    user = notifications[0].user
    try:
        with override_for(user):  # subject and body in the listener's language
            _mail(
                user,
                ngettext("Vinilogy: %(count)s alert", "Vinilogy: %(count)s alerts", len(notifications))
                % {"count": len(notifications)},
                notifications,
            ).send()
    except Exception as error:
        claimed.filter(delivery_attempts__lt=MAX_ATTEMPTS).update(delivery=Delivery.DIGEST, delivery_error=str(error)[:500])
        _settle(claimed, error)
        raise
    _settle(claimed)
    return len(notifications)


def unsubscribe(user_id):
    """No more email for this listener; what was waiting is not sent."""
    AlertSettings.objects.update_or_create(user_id=user_id, defaults={"email": AlertSettings.Email.OFF})
    waiting = Notification.objects.filter(user_id=user_id, delivery__in=[Delivery.QUEUED, Delivery.DIGEST])
    return waiting.update(delivery=Delivery.NONE)
