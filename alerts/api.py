"""The alerts part of the JSON API: the listener's watches, watching an album, unwatching.

A watch posted here goes through the same WatchForm as the album page's watch box (its
threshold, pressing restrictions, filter overrides and the model's constraints) and is saved
and fired by the same service (watches.save_watch): the schema below only types the fields, the
form is the one rule. A form error answers 422 in ninja's own shape ({"detail": [...]}).
"""
from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError

from catalog.models import Album
from integrations.limits import rate_limited
from recommendations.api import AlbumOut, RefusedOut, album_out

from . import watches
from .forms import WatchForm
from .models import Watch

router = Router(tags=["alerts"])

FIELDS = WatchForm._meta.fields  # max_total_eur, releases, pressing_country, year_from, …


def _choices(name):
    return Literal[tuple(value for value, _ in WatchForm.base_fields[name].choices)]


class WatchIn(Schema):
    """Watch an album: tell me when any pressing (or the ones named) is at most this, landed."""

    album_id: int
    max_total_eur: Decimal = Field(description="Fire on an offer whose landed total (item + shipping to me) is at most this, in EUR")
    releases: list[int] = Field([], description="Only these pressings (release ids of the album); empty = any")
    pressing_country: str = Field("", description="Only pressings from this country (Discogs' word); empty = any")
    year_from: int | None = None
    year_to: int | None = None
    min_condition: _choices("min_condition") = Field("", description="Overrides my buying filter; empty = my filter")
    seller_region: _choices("seller_region") = Field("", description="Overrides my buying filter; empty = my filter")
    max_shipping_eur: Decimal | None = Field(None, description="Overrides my buying filter's shipping cap; null = my filter")


class WatchOut(Schema):
    id: int
    album: AlbumOut
    max_total_eur: Decimal
    releases: list[int]
    pressing_country: str
    year_from: int | None
    year_to: int | None
    min_condition: str
    seller_region: str
    max_shipping_eur: Decimal | None
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
        raise ValidationError([
            {"loc": ["body", "payload"] + ([] if field == "__all__" else [field]), "msg": message, "type": "value_error"}
            for field, messages in form.errors.items() for message in messages
        ])
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
