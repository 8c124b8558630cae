"""The recommendations part of the JSON API: the current set, asking for a new one, the basket.

Every answer is the signed-in listener's own (session auth with CSRF, vinilogy.api). Shapes of
/api/recs stay as they were (reason, via, best_price's total_eur/store/url/ships_to), with the
price saying what it includes and `from_price` for an album that has only item-only prices.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from ninja import Router, Schema, Status

from accounts.filters import buying_filters
from integrations.limits import rate_limited
from pricing.api import ItemOnlyPriceOut, LandedPriceOut, PressingOut, item_only_price_out, landed_price_out, pressing_out
from pricing.guide import suggestions
from pricing.queries import album_prices

from . import basket as baskets, sellers, services
from .models import RecommendationSet

router = Router(tags=["recommendations"])


class RefusedOut(Schema):
    """Over a rate limit (integrations.limits): when to try again, also in the Retry-After header."""

    detail: str


class AlbumOut(Schema):
    id: int
    title: str
    artist: str
    year: int | None
    url: str
    cover_url: str


class SetOut(Schema):
    id: int
    status: Literal[tuple(RecommendationSet.Status.values)]
    progress: int
    generated_at: datetime | None
    expires_at: datetime | None


class SuggestedPressingOut(Schema):
    """The pressing to buy (pricing.guide: best value by default, else the cheapest at the
    listener's condition, else the original, else the most wanted when nothing else is known),
    with why in one sentence and its landed price (null when none is known)."""

    kind: Literal["best_value", "cheapest_at_condition", "original", "most_wanted"]
    release: PressingOut
    why: str
    landed: LandedPriceOut | None


class ItemOut(Schema):
    position: int
    album: AlbumOut
    score: float
    breakdown: dict[str, float]
    explanation: str
    reason: str
    via: list[str]
    pressings: int
    # True when every version of the album's master was read: `pressings` is then all there
    # are; false means "known so far".
    pressings_complete: bool
    locked: bool
    wantlisted: bool
    best_price: LandedPriceOut | None
    from_price: ItemOnlyPriceOut | None
    # The pressing to buy, explained (pricing.guide); null only for an album without pressings.
    suggested_pressing: SuggestedPressingOut | None


class RecsOut(Schema):
    set: SetOut | None
    items: list[ItemOut]


@router.get("/recs", response=RecsOut, url_name="recs")
def recs(request):
    """The listener's current recommendation set, in order, each album with its best landed price."""
    rec_set = services.current_set(request.user)
    ready = rec_set is not None and rec_set.status == RecommendationSet.Status.READY
    filters = buying_filters(request.user)
    items = services.items_for_grid(rec_set, filters, prices=False) if ready else []
    prices = album_prices([item.album_id for item in items], filters)
    picks = suggestions([item.album_id for item in items], filters)
    out = [_item_out(request, item, prices[item.album_id], picks.get(item.album_id)) for item in items]
    return {"set": _set_out(rec_set), "items": out}


@router.post("/recs/refresh", response={202: SetOut, 429: RefusedOut}, url_name="recs_refresh")
@rate_limited("regenerate")
def recs_refresh(request):
    """Start a new generation of the listener's set; poll GET /api/recs for its progress."""
    return Status(202, _set_out(services.request_generation(request.user, force=True)))


def _set_out(rec_set):
    if rec_set is None:
        return None
    fields = ("id", "status", "progress", "generated_at", "expires_at")
    return {name: getattr(rec_set, "pk" if name == "id" else name) for name in fields}


def album_out(request, album):
    return {
        "id": album.pk,
        "title": album.title,
        "artist": album.artist.name,
        "year": album.first_release_year,
        "url": request.build_absolute_uri(reverse("catalog:album", args=[album.pk])),
        "cover_url": album.cover_url,
    }


def _suggested_out(pick):
    if pick is None:
        return None
    return {"kind": pick.kind, "release": pressing_out(pick.release), "why": pick.why, "landed": landed_price_out(pick.quote)}


def _item_out(request, item, price, pick=None):
    return {
        "position": item.position,
        "album": album_out(request, item.album),
        "score": item.score,
        "breakdown": item.breakdown,
        "explanation": item.explanation,
        "reason": item.reason,
        "via": item.via,
        "pressings": item.pressing_count,
        "pressings_complete": item.album.all_versions_read_at is not None,
        "locked": item.is_locked,
        "wantlisted": item.is_wantlisted,
        "best_price": landed_price_out(price.best),
        "from_price": None if price.best else item_only_price_out(price.from_quote),
        "suggested_pressing": _suggested_out(pick),
    }


# --- the basket ------------------------------------------------------------------------------


class BasketLineOut(Schema):
    album: AlbumOut
    item_eur: Decimal
    condition: str
    store: str
    url: str
    observed_at: datetime
    sample: bool


class BasketSellerOut(Schema):
    name: str
    country: str
    items_eur: Decimal
    shipping_eur: Decimal
    total_eur: Decimal
    items: list[BasketLineOut]


class BasketOut(Schema):
    method: Literal["exact", "greedy"]
    # a greedy answer is at most this many per cent dearer than the cheapest basket (0 when exact)
    gap_bound_pct: float
    ships_to: str
    total_eur: Decimal
    separate_eur: Decimal
    saving_eur: Decimal
    sellers: list[BasketSellerOut]
    unpriced: list[AlbumOut]


@router.get("/basket", response={200: BasketOut, 429: RefusedOut}, url_name="basket")
@rate_limited("basket")
def basket(request):
    """The cheapest basket of the listener's locked and wantlisted albums (as the Basket page):
    per seller what to buy and its landed total, against buying each at its own cheapest price."""
    found = baskets.cheapest_basket(request.user, buying_filters(request.user))
    return {
        "method": found.method,
        "gap_bound_pct": found.gap_pct,
        "ships_to": found.country,
        "total_eur": found.total_eur,
        "separate_eur": found.separate_eur,
        "saving_eur": found.saving_eur,
        "sellers": [_seller_out(request, parcel) for parcel in found.parcels],
        "unpriced": [album_out(request, album) for album in found.unpriced],
    }


def _seller_out(request, parcel):
    return {
        "name": parcel.name,
        "country": parcel.country,
        "items_eur": parcel.items_eur,
        "shipping_eur": parcel.shipping_eur,
        "total_eur": parcel.total_eur,
        "items": [_line_out(request, line) for line in parcel.lines],
    }


def _line_out(request, line):
    quote = line.quote
    return {
        "album": album_out(request, line.album),
        "item_eur": quote.item_eur,
        "condition": quote.condition,
        "store": quote.store.name,
        "url": quote.url,
        "observed_at": quote.fetched_at,
        "sample": quote.sample,
    }


# --- sellers holding the listener's wants ------------------------------------------------------


class SellerItemOut(Schema):
    album: AlbumOut
    pressing_id: int | None
    item_eur: Decimal
    condition: str
    url: str
    observed_at: datetime
    sample: bool


class SellerForWantsOut(Schema):
    seller: str
    country: str
    rating: Decimal | None
    ratings_count: int | None  # how many ratings the percentage is of (eBay: feedback score)
    source: str  # the price source's kind (Store.kind): crawled sellers' or "ebay"
    albums: int
    items: list[SellerItemOut]
    items_eur: Decimal
    shipping_eur: Decimal
    total_eur: Decimal


class SellersForWantsOut(Schema):
    sellers: list[SellerForWantsOut]
    wanted: int
    ships_to: str


@router.get("/sellers/for-wants", response={200: SellersForWantsOut, 429: RefusedOut}, url_name="sellers_for_wants")
@rate_limited("basket")
def sellers_for_wants(request):
    """Crawled sellers and eBay sellers seen in the last week, most of the listener's wanted albums
    held first (any acceptable pressing, or the exact one a Discogs want names), each with the
    landed total of buying them all from that seller (one shipping per parcel)."""
    found = sellers.sellers_for_wants(request.user, buying_filters(request.user))
    return {
        "sellers": [_holding_out(request, seller) for seller in found.sellers],
        "wanted": found.wanted,
        "ships_to": found.country,
    }


def _holding_out(request, seller):
    return {
        "seller": seller.name,
        "country": seller.country,
        "rating": seller.rating,
        "ratings_count": seller.ratings_count,
        "source": seller.kind,
        "albums": seller.albums,
        "items": [_seller_item_out(request, line) for line in seller.lines],
        "items_eur": seller.items_eur,
        "shipping_eur": seller.shipping_eur,
        "total_eur": seller.total_eur,
    }


def _seller_item_out(request, line):
    quote = line.quote
    return {
        "album": album_out(request, line.album),
        "pressing_id": quote.release_id,
        "item_eur": quote.item_eur,
        "condition": quote.condition,
        "url": quote.url,
        "observed_at": quote.fetched_at,
        "sample": quote.sample,
    }
