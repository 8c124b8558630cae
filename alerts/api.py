"""The alerts part of the JSON API: the listener's watches, watching an album, unwatching; their
instant channels (Web Push browsers and ntfy topics), adding one and sending it a test.

A watch posted here goes through the same WatchForm as the album page's watch box (its
threshold, pressing restrictions, filter overrides and the model's constraints) and is saved
and fired by the same service (watches.save_watch): the schema below only types the fields, the
form is the one rule. A form error answers 422 in ninja's own shape ({"detail": [...]}).
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError

from catalog.models import Album
from integrations.limits import rate_limited
from integrations.queue import enqueue_api_task
from recommendations.api import AlbumOut, RefusedOut, album_out

from . import channels, watches
from .forms import WatchForm
from .models import InstantChannel, Watch

router = Router(tags=["alerts"])

FIELDS = WatchForm._meta.fields  # max_total_eur, releases, pressing_country, year_from, …


def _choices(name):
    return Literal[tuple(value for value, _ in WatchForm.base_fields[name].choices)]


class WatchIn(Schema):
    """Watch an album: tell me when any pressing (or the ones named) is at most this, landed."""

    album_id: int
    max_total_eur: Decimal = Field(
        description="Fire on an offer whose landed total (item + shipping to me) is at most this, in EUR"
    )
    pressing_target: _choices("pressing_target") = Field(
        "any",
        description="Which pressings: any; original (originals only, as the catalog marks them); remaster; one (the one release in `releases`)",
    )
    releases: list[int] = Field([], description="Only these pressings (release ids of the album); empty = any")
    pressing_country: str = Field("", description="Only pressings from this country (Discogs' word); empty = any")
    year_from: int | None = None
    year_to: int | None = None
    min_condition: _choices("min_condition") = Field("", description="Overrides my buying filter; empty = my filter")
    seller_region: _choices("seller_region") = Field("", description="Overrides my buying filter; empty = my filter")
    max_shipping_eur: Decimal | None = Field(None, description="Overrides my buying filter's shipping cap; null = my filter")
    min_seller_rating: Decimal | None = Field(
        None, ge=0, le=100, description="Overrides my minimum seller rating (%); null = my filter"
    )
    min_seller_ratings: int | None = Field(
        None, ge=0, description="Overrides my minimum number of seller ratings; null = my filter"
    )
    min_deal_level: _choices("min_deal_level") = Field(
        "",
        description="Only offers rated at least this (excellent, good, fair; see the offers' `deal`); empty = any price under the threshold",
    )


class WatchOut(Schema):
    id: int
    album: AlbumOut
    max_total_eur: Decimal
    pressing_target: str
    releases: list[int]
    pressing_country: str
    year_from: int | None
    year_to: int | None
    min_condition: str
    seller_region: str
    max_shipping_eur: Decimal | None
    min_seller_rating: Decimal | None
    min_seller_ratings: int | None
    min_deal_level: str
    is_active: bool
    created_at: datetime


class WatchSavedOut(WatchOut):
    fired: int = Field(description="Offers already on sale that match: each is in the inbox now")


@router.get("/watches", response=list[WatchOut], url_name="watches")
def watch_list(request):
    """The listener's watches, newest first."""
    found = Watch.objects.for_user(request.user).select_related("album__artist").prefetch_related("releases")
    return [_watch_out(request, watch) for watch in found]


@router.post("/watches", response={200: WatchSavedOut, 201: WatchSavedOut, 429: RefusedOut}, url_name="watch_create")
@rate_limited("watch")
def watch_create(request, payload: WatchIn):
    """Watch an album (201), or replace the listener's watch of it (200), as the album page's
    watch box does; fires at once on what is already on offer. 404 for an unknown album."""
    album = get_object_or_404(Album.objects.select_related("artist"), pk=payload.album_id)
    existing = Watch.objects.for_user(request.user).filter(album=album).first()
    data = {name: getattr(payload, name) for name in FIELDS}
    form = WatchForm({name: value for name, value in data.items() if value is not None}, instance=existing, album=album)
    if not form.is_valid():
        raise ValidationError(
            [
                {"loc": ["body", "payload"] + ([] if field == "__all__" else [field]), "msg": message, "type": "value_error"}
                for field, messages in form.errors.items()
                for message in messages
            ]
        )
    watch, fired = watches.save_watch(form, request.user, album)
    watch.refresh_from_db()  # the stored values (30 → 30.00), as GET answers them
    return Status(200 if existing else 201, {**_watch_out(request, watch), "fired": len(fired)})


@router.delete("/watches/{watch_id}", response={204: None}, url_name="watch_delete")
def watch_delete(request, watch_id: int):
    """Stop watching; another listener's watch (or none) is 404."""
    get_object_or_404(Watch.objects.for_user(request.user), pk=watch_id).delete()
    return Status(204, None)


def _watch_out(request, watch):
    return {
        "id": watch.pk,
        "album": album_out(request, watch.album),
        "releases": [release.pk for release in watch.releases.all()],
        **{name: getattr(watch, name) for name in FIELDS if name != "releases"},
        "is_active": watch.is_active,
        "created_at": watch.created_at,
    }


class ChannelIn(Schema):
    """An instant channel: a browser's push subscription (what PushManager.subscribe() gave) or
    an ntfy topic URL. Adding an endpoint the listener has already turns it on again (200)."""

    kind: Literal["webpush", "ntfy"]
    endpoint: str = Field(
        max_length=1000, description="The push service URL, or the ntfy topic URL (https; a self-hosted server too)"
    )
    name: str = Field("", max_length=100, description="Which browser or phone, in the listener's words")
    p256dh: str = Field("", max_length=200, description="Web Push: the subscription's p256dh key (base64url)")
    auth: str = Field("", max_length=100, description="Web Push: the subscription's auth secret (base64url)")


class ChannelOut(Schema):
    id: int
    kind: Literal["webpush", "ntfy"]
    name: str
    endpoint: str = Field(description="Where we send (the listener's own secret; shown only to them)")
    enabled: bool
    created_at: datetime
    last_delivery_at: datetime | None = Field(description="When a message (an alert or a test) last went out")
    last_error: str = Field(description="The last failure, in the listener's words; empty after a delivery")
    last_error_at: datetime | None


class ChannelTestOut(Schema):
    queued: bool = Field(description="A test message is on its way; its outcome shows as last_delivery_at or last_error")


CHANNEL_FIELDS = list(ChannelOut.model_fields)


def _refused(field, message):
    return ValidationError([{"loc": ["body", "payload", field], "msg": message, "type": "value_error"}])


@router.get("/alerts/channels", response=list[ChannelOut], url_name="channels")
def channel_list(request):
    """The listener's instant channels, oldest first, with their last delivery and error."""
    return list(InstantChannel.objects.for_user(request.user).values(*CHANNEL_FIELDS))


@router.post("/alerts/channels", response={200: ChannelOut, 201: ChannelOut}, url_name="channel_create")
def channel_create(request, payload: ChannelIn):
    """Add a channel (201) or turn the listener's channel for that endpoint on again (200).
    The endpoint must be https on the public internet (422 otherwise); Web Push needs both keys
    and the site's VAPID keys (422 otherwise)."""
    try:
        URLValidator(schemes=["http", "https"])(payload.endpoint)
    except DjangoValidationError:
        raise _refused("endpoint", gettext("This is not a web address.")) from None
    try:
        channel, created = channels.add_channel(
            request.user, payload.kind, payload.endpoint, name=payload.name, p256dh=payload.p256dh, auth=payload.auth
        )
    except channels.ChannelRefused as refusal:
        raise _refused("endpoint", str(refusal)) from refusal
    return Status(201 if created else 200, InstantChannel.objects.values(*CHANNEL_FIELDS).get(pk=channel.pk))


@router.post("/alerts/channels/{channel_id}/test", response={202: ChannelTestOut, 429: RefusedOut}, url_name="channel_test")
@rate_limited("channel_test")
def channel_test(request, channel_id: int):
    """Send the channel a test message, off the request; another listener's channel is 404."""
    channel = get_object_or_404(InstantChannel.objects.for_user(request.user), pk=channel_id)
    enqueue_api_task("alerts.test_channel", channel.pk)
    return Status(202, {"queued": True})
