"""The collection value in the JSON API: GET /api/collection/value (the signed-in listener's own,
session auth as every route of vinilogy.api). Same figures as the Collection value page."""

from datetime import date
from decimal import Decimal

from ninja import Router, Schema

from . import collection_value
from .filters import buying_filters

router = Router(tags=["collection"])


class ValuePointOut(Schema):
    date: date  # the Monday of the week
    total_eur: Decimal


class MoverOut(Schema):
    pressing_id: int
    title: str
    artist: str
    before_eur: Decimal
    now_eur: Decimal
    change_eur: Decimal


class DiscogsValueOut(Schema):
    """Discogs' own estimate (its marketplace sales), converted to EUR; its week's Monday."""

    minimum: Decimal | None
    median: Decimal | None
    maximum: Decimal | None
    date: date


class CollectionValueOut(Schema):
    total_eur: Decimal
    ships_to: str  # the usual prices are landed prices to this country
    records: int
    valued: int
    sample: int  # records valued from sample prices only (the offline demo's)
    history: list[ValuePointOut]
    movers: list[MoverOut]
    discogs: DiscogsValueOut | None


@router.get("/collection/value", response=CollectionValueOut, url_name="collection_value")
def value(request):
    """What the listener's collection is worth: each record at its pressing's usual price (the
    median of the offers to their country over 180 days, at least 3), the total, a point per
    week, the biggest movers since the last week's point, and Discogs' estimate when connected."""
    found = collection_value.collection_value(request.user, buying_filters(request.user).country)
    discogs = found.discogs
    return {
        "total_eur": found.total_eur,
        "ships_to": found.country,
        "records": len(found.records),
        "valued": found.valued,
        "sample": found.sample,
        "history": [{"date": p.week, "total_eur": p.total_eur} for p in found.history],
        "movers": [_mover_out(mover) for mover in found.movers],
        "discogs": None
        if discogs is None
        else {
            "minimum": discogs.discogs_minimum_eur,
            "median": discogs.discogs_median_eur,
            "maximum": discogs.discogs_maximum_eur,
            "date": discogs.week,
        },
    }


def _mover_out(mover):
    release = mover.item.release
    return {
        "pressing_id": release.pk,
        "title": release.title,
        "artist": release.artist_credit,
        "before_eur": mover.before_eur,
        "now_eur": mover.now_eur,
        "change_eur": mover.change_eur,
    }
