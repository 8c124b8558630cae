"""Watches on albums, the offers each has fired on, artist follows, notifications and each
listener's alert settings (email frequency, the secret feed token, the email links' secret)."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from pricing.deals import LEVEL_CHOICES


def new_secret():
    return secrets.token_urlsafe(24)


new_feed_token = new_secret  # the name migration 0001 gives the feed token's default


class AlertSettings(models.Model):
    """How a listener wants to be told; created on first use (`for_user`)."""

    class Email(models.TextChoices):
        INSTANT = "instant", _("At once")
        DAILY = "daily", _("A daily digest")
        WEEKLY = "weekly", _("A weekly digest")
        OFF = "off", _("No email")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_settings")
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.DAILY)
    feed_token = models.CharField(max_length=64, unique=True, default=new_secret)
    # The private iCal feed of upcoming vinyl of followed artists (alerts.calendar): its own
    # secret, so sharing a calendar does not share the notification feed.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_secret)
    # Part of every unsubscribe link we mail (links_version): rotating it, or the feed token,
    # retires the links of every email already sent.
    email_secret = models.CharField(max_length=64, default=new_secret, editable=False)
    follow_top_artists = models.PositiveSmallIntegerField(
        default=30, help_text=_("How many of the listener's strongest taste artists are followed for new albums and pressings")
    )

    class Meta:
        verbose_name_plural = "alert settings"

    def __str__(self):
        return f"Alerts of {self.user} ({self.email})"

    @classmethod
    def for_user(cls, user):
        return cls.objects.get_or_create(user=user)[0]

    def rotate_feed_token(self):
        self.feed_token = new_secret()
        self.save(update_fields=["feed_token"])

    def rotate_calendar_token(self):
        self.calendar_token = new_secret()
        self.save(update_fields=["calendar_token"])

    def rotate_email_secret(self):
        self.email_secret = new_secret()
        self.save(update_fields=["email_secret"])

    def links_version(self):
        """A fingerprint of this listener's two secrets, carried in each signed unsubscribe link:
        a link whose version is no longer this one was revoked. It reveals neither secret."""
        return salted_hmac("alerts.links_version", f"{self.feed_token}:{self.email_secret}").hexdigest()[:16]


class WatchQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    def for_user(self, user):
        return self.filter(user=user)


class Watch(models.Model):
    """ "Tell me when any pressing of this album is at most €X landed to my country."

    Blank filter fields use the listener's own buying filters; pressing restrictions (which
    pressings: any, originals only, a remaster or one pressing; some releases, a country, a year
    range) narrow which pressings count."""

    class Pressings(models.TextChoices):
        """Which pressings a watch fires on. Originals and remasters are as the catalog marks each
        pressing (catalog.editions); an offer no listing puts on a pressing counts only for ANY."""

        ANY = "any", _("Any pressing")
        ORIGINALS = "original", _("Originals only")
        REMASTER = "remaster", _("A remaster")
        ONE = "one", _("One pressing")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="watches")
    max_total_eur = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(0)], help_text=_("Landed total at most this")
    )
    pressing_target = models.CharField(
        max_length=10,
        choices=Pressings.choices,
        default=Pressings.ANY,
        help_text=_(
            "Originals and remasters as the catalog marks each pressing; one pressing is the one picked among the album's pressings"
        ),
    )
    releases = models.ManyToManyField("catalog.Release", blank=True, related_name="+", help_text=_("Only these pressings"))
    pressing_country = models.CharField(
        max_length=100, blank=True, help_text=_("Only pressings from this country (Discogs' word)")
    )
    year_from = models.PositiveSmallIntegerField(null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(null=True, blank=True)
    min_condition = models.CharField(max_length=5, blank=True, help_text=_("Blank: the listener's filter"))
    seller_region = models.CharField(max_length=10, blank=True, help_text=_("Blank: the listener's filter"))
    max_shipping_eur = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    min_seller_rating = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Blank: the listener's filter"),
    )
    min_seller_ratings = models.PositiveIntegerField(null=True, blank=True, help_text=_("Blank: the listener's filter"))
    # "Tell me about any offer rated good or better" (pricing.deals): an offer without a usual
    # price has no level and never passes.
    min_deal_level = models.CharField(
        max_length=10, blank=True, choices=LEVEL_CHOICES, help_text=_("Blank: any price under the threshold")
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "watches"
        constraints = [
            models.UniqueConstraint(fields=["user", "album"], name="watch_one_per_album"),
            models.CheckConstraint(condition=Q(max_total_eur__gt=0), name="watch_threshold_positive"),
        ]

    def __str__(self):
        return f"{self.user} watches {self.album_id} ≤ €{self.max_total_eur}"


class WatchMatch(models.Model):
    """The last price a watch fired at for one offer (store, offer_key, destination): the same
    offer fires again only when seen cheaper."""

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="matches")
    store = models.ForeignKey("pricing.Store", on_delete=models.CASCADE, related_name="+")
    offer_key = models.CharField(max_length=200)
    ships_to = models.CharField(max_length=2, blank=True)
    total_eur = models.DecimalField(max_digits=10, decimal_places=2)
    quote = models.ForeignKey("pricing.PriceQuote", on_delete=models.SET_NULL, null=True, related_name="+")
    fired_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"watch {self.watch_id}: {self.offer_key} at {self.total_eur} EUR"

    class Meta:
        verbose_name_plural = "watch matches"
        constraints = [
            models.UniqueConstraint(fields=["watch", "store", "offer_key", "ships_to"], name="watchmatch_one_per_offer")
        ]


class ArtistFollow(models.Model):
    """A listener's own choice about an artist: follow it (beyond their taste) or not."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="artist_follows")
    artist = models.ForeignKey("catalog.Artist", on_delete=models.CASCADE, related_name="+")
    following = models.BooleanField(default=True, help_text="False: never alert about this artist")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "artist"], name="follow_one_per_artist")]

    def __str__(self):
        return f"{self.user} {'follows' if self.following else 'mutes'} {self.artist_id}"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def dashboard_counts(self):
        """Fired today, waiting to be emailed and failed deliveries (one query)."""
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        waiting = [Notification.Delivery.QUEUED, Notification.Delivery.DIGEST, Notification.Delivery.SENDING]
        return self.aggregate(
            fired_today=models.Count("pk", filter=Q(created_at__gte=today)),
            queued=models.Count("pk", filter=Q(delivery__in=waiting)),
            failed=models.Count("pk", filter=Q(delivery=Notification.Delivery.FAILED)),
        )


class Notification(models.Model):
    class Kind(models.TextChoices):
        PRICE = "price", _("A watched album is on offer")
        PRESSING = "pressing", _("A new pressing")
        ALBUM = "album", _("A new album")
        RELEASE_DAY = "release_day", _("Out today")
        PRICED = "priced", _("Now on sale to you")

    class Delivery(models.TextChoices):
        """Email delivery: queued → sending (claimed by one task) → sent or failed; digest →
        sending → sent for a digest; none when the listener takes no email."""

        QUEUED = "queued", "Queued"
        DIGEST = "digest", "Waiting for the digest"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        NONE = "none", _("No email")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="+")
    release = models.ForeignKey("catalog.Release", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    watch = models.ForeignKey(Watch, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications")
    quote = models.ForeignKey("pricing.PriceQuote", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    message = models.TextField(help_text="The reason, in a sentence")
    language = models.CharField(max_length=10, blank=True, help_text="The language the message was written in")
    facts = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="What a price message said of its offer, to write it again in another language (alerts.describe.rewrite)",
    )
    url = models.URLField(max_length=1000, blank=True, help_text="Where to buy, when it is an offer")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.QUEUED, db_index=True)
    delivery_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    delivery_attempts = models.PositiveSmallIntegerField(default=0)
    delivery_error = models.TextField(blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_user_latest")]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.message[:60]}"


class VinylNotice(models.Model):
    """That a listener was told about a new vinyl pressing (or album) once for each event:
    announced, out on its release date, first on sale to their country. Its unique constraints
    make the telling idempotent: the one evaluation that inserts the row notifies."""

    class Event(models.TextChoices):
        ANNOUNCED = "announced", "Announced"
        RELEASE_DAY = "release_day", "Release day"
        PRICED = "priced", "First priced to the listener's country"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="+")
    release = models.ForeignKey("catalog.Release", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    event = models.CharField(max_length=12, choices=Event.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.get_event_display()}: album {self.album_id} to listener {self.user_id}"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "release", "event"], condition=Q(release__isnull=False), name="vinylnotice_once_per_release"
            ),
            models.UniqueConstraint(
                fields=["user", "album", "event"], condition=Q(release__isnull=True), name="vinylnotice_once_per_album"
            ),
        ]


class InstantChannelQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def enabled(self):
        return self.filter(enabled=True)


class InstantChannel(models.Model):
    """Where a listener is told at once besides email: one browser's Web Push subscription, or
    an ntfy topic URL (ntfy.sh or their own server). The endpoint is a secret: whoever has it
    can post to (ntfy) or identify (push) the listener; it is shown to no one but its owner."""

    class Kind(models.TextChoices):
        WEBPUSH = "webpush", _("Browser notifications")
        NTFY = "ntfy", _("ntfy")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="instant_channels")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=100, blank=True, help_text=_("Which browser or phone, in your words"))
    endpoint = models.URLField(max_length=1000)
    p256dh = models.CharField(max_length=200, blank=True, help_text="Web Push: the browser's public key (base64url)")
    auth = models.CharField(max_length=100, blank=True, help_text="Web Push: the browser's auth secret (base64url)")
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_delivery_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    objects = InstantChannelQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "endpoint"], name="instantchannel_one_per_endpoint")]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.name or self.pk}"


class ChannelDelivery(models.Model):
    """One notification sent on one instant channel: the row is the claim (unique), so a
    duplicated or retried task never sends it twice. retry → sending (claimed again) → sent
    or failed; a claim left `sending` longer than STALE_CLAIM (a worker died) may be taken."""

    class State(models.TextChoices):
        SENDING = "sending", "Sending"
        RETRY = "retry", "Waiting to be tried again"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="channel_deliveries")
    channel = models.ForeignKey(InstantChannel, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENDING)
    attempts = models.PositiveSmallIntegerField(default=1)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    def __str__(self):
        return f"notification {self.notification_id} on channel {self.channel_id}: {self.get_state_display()}"

    class Meta:
        verbose_name_plural = "channel deliveries"
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="channeldelivery_once")]
