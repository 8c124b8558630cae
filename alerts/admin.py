"""Watches and notifications in the operators' console: one list filter per question
(which deliveries failed? what fired today?), and an action to retry failed deliveries."""

from urllib.parse import urlsplit

from django.contrib import admin
from django.db.models import Count

from integrations.queue import enqueue

from .models import AlertSettings, ArtistFollow, ChannelDelivery, InstantChannel, Notification, Watch


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ["user", "album", "max_total_eur", "pressing_target", "is_active", "fired", "created_at"]
    list_filter = ["is_active", "pressing_target", "created_at"]
    search_fields = ["user__username", "album__title", "album__artist__name"]
    raw_id_fields = ["user", "album", "releases"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "album").annotate(fired_count=Count("matches"))

    @admin.display(ordering="fired_count", description="offers fired on")
    def fired(self, watch):
        return watch.fired_count


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "message", "delivery", "delivery_attempts", "read_at"]
    list_filter = ["delivery", "kind", "created_at"]
    search_fields = ["user__username", "message"]
    raw_id_fields = ["user", "album", "release", "watch", "quote"]
    readonly_fields = ["created_at", "emailed_at", "delivery_claimed_at"]
    actions = ["retry_delivery"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.action(description="Retry email delivery of the selected failed notifications")
    def retry_delivery(self, request, queryset):
        failed = list(queryset.filter(delivery=Notification.Delivery.FAILED).values_list("pk", flat=True))
        Notification.objects.filter(pk__in=failed).update(delivery=Notification.Delivery.QUEUED, delivery_attempts=0)
        for pk in failed:
            enqueue("alerts.deliver_notification", pk)
        self.message_user(request, f"{len(failed)} deliveries queued again.")


@admin.register(AlertSettings)
class AlertSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "follow_top_artists"]
    list_filter = ["email"]
    search_fields = ["user__username"]
    exclude = ["feed_token", "calendar_token"]


@admin.register(ArtistFollow)
class ArtistFollowAdmin(admin.ModelAdmin):
    list_display = ["user", "artist", "following", "created_at"]
    list_filter = ["following"]
    raw_id_fields = ["user", "artist"]


@admin.register(InstantChannel)
class InstantChannelAdmin(admin.ModelAdmin):
    """Which channels fail (last error), and whose; the endpoint and keys are the listener's
    secrets, so only the host shows."""

    list_display = ["user", "kind", "name", "host", "enabled", "last_delivery_at", "last_error_at", "last_error"]
    list_filter = ["kind", "enabled", ("last_error_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "name"]
    raw_id_fields = ["user"]
    exclude = ["endpoint", "p256dh", "auth"]
    readonly_fields = ["host", "last_delivery_at", "last_error", "last_error_at"]

    @admin.display(description="host")
    def host(self, channel):
        return urlsplit(channel.endpoint).hostname or ""


@admin.register(ChannelDelivery)
class ChannelDeliveryAdmin(admin.ModelAdmin):
    """One row per notification sent on an instant channel: which are waiting to be retried or failed."""

    list_display = ["claimed_at", "notification", "channel", "state", "attempts", "sent_at", "error"]
    list_filter = ["state", "channel__kind"]
    raw_id_fields = ["notification", "channel"]
