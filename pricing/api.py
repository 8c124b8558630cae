"""What the JSON API says about a price: the schemas every endpoint that shows a price shares.

A landed price (`best_price`) says what it includes: the item, the shipping to the destination
and whether that shipping is exact or estimated. An item-only price (`from_price`) has no total
and says its shipping is unknown: clients show it as "from €X + shipping", never rank or sum it.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from catalog.models import Album

from .destinations import request_filters
from .guide import build_guide


class LandedPriceOut(Schema):
    item_eur: Decimal
    shipping_eur: Decimal
    shipping: Literal["exact", "estimated"]
    total_eur: Decimal
    seller_country: str
    condition: str
    store: str
    url: str
    ships_to: str
    observed_at: datetime
    sample: bool


class ItemOnlyPriceOut(Schema):
    item_eur: Decimal
    shipping: Literal["unknown"]
    condition: str
    store: str
    url: str
    observed_at: datetime
    sample: bool


def landed_price_out(quote):
    """A landed quote (a PriceQuote or an AlbumBestPrice row) as the API shows it; None stays None."""
    if quote is None:
        return None
    return {
        "item_eur": quote.item_eur,
        "shipping_eur": quote.shipping_eur,
        "shipping": quote.shipping_kind,
        "total_eur": quote.total_eur,
        "seller_country": quote.item_location,
        "condition": quote.condition,
        "store": quote.store.name,
        "url": quote.url,
        "ships_to": quote.ships_to,
        "observed_at": quote.fetched_at,
        "sample": quote.sample,
    }


def item_only_price_out(quote):
    if quote is None:
        return None
    return {
        "item_eur": quote.item_eur,
        "shipping": "unknown",
        "condition": quote.condition,
        "store": quote.store.name,
        "url": quote.url,
        "observed_at": quote.fetched_at,
        "sample": quote.sample,
    }


# --- the pressing guide (issue 23) -----------------------------------------------------------

router = Router(tags=["pricing"])


class GuideAlbumOut(Schema):
    id: int
    title: str
    artist: str
    year: int | None
    url: str


class PressingOut(Schema):
    id: int
    discogs_id: int
    country: str
    year: int | None
    label: str
    catno: str
    descriptions: list[str]
    edition: str  # original, repress, reissue, remaster, unknown; "" before the rule ran


class PickOut(Schema):
    kind: Literal["original", "best_rated", "best_value", "cheapest_at_condition", "audiophile", "most_wanted"]
    label: str
    release: PressingOut
    why: str
    landed: LandedPriceOut | None


class GuideOut(Schema):
    album: GuideAlbumOut
    picks: list[PickOut]
    pressings: int


class NotFoundOut(Schema):
    detail: str


def pressing_out(release):
    return {
        "id": release.pk,
        "discogs_id": release.discogs_id,
        "country": release.country,
        "year": release.year,
        "label": release.label,
        "catno": release.catalog_number,
        "descriptions": list(release.descriptions or ()) or [d.strip() for d in release.format_summary.split(",") if d.strip()],
        "edition": release.edition,
    }


def pick_out(pick):
    return {
        "kind": pick.kind,
        "label": str(pick.label),
        "release": pressing_out(pick.release),
        "why": pick.why,
        "landed": landed_price_out(pick.quote),
    }


@router.get("/albums/{album_id}/guide", response={200: GuideOut, 404: NotFoundOut}, auth=None, url_name="album_guide")
def album_guide(request, album_id: int):
    """Which pressing of the album to buy: the guide's picks (original, best rated, best value,
    cheapest at the reader's condition, audiophile), each with a one-sentence reason of facts we
    hold and its cheapest landed offer (null when none is known). A visitor gets the site's
    country without filters; a signed-in listener their country and buying filters."""
    in_range = 0 < album_id < 2**63  # a bigger id is no row's, and SQLite cannot even compare it
    album = Album.objects.select_related("artist").filter(pk=album_id).first() if in_range else None
    if album is None:
        return Status(404, {"detail": _("No album with this id.")})
    guide = build_guide(album.pk, request_filters(request))
    return {
        "album": {
            "id": album.pk,
            "title": album.title,
            "artist": album.artist.name,
            "year": album.first_release_year,
            "url": request.build_absolute_uri(reverse("catalog:album", args=[album.pk])),
        },
        "picks": [pick_out(pick) for pick in guide.picks],
        "pressings": guide.pressings,
    }
