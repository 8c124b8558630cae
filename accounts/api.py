"""The listener's part of the JSON API: their buying filters, and an album's prices and offers as they see them."""

from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from catalog.models import Album
from pricing import deals, sources as price_sources
from pricing.api import ItemOnlyPriceOut, LandedPriceOut, item_only_price_out, landed_price_out
from pricing.filters import GRADES, SellerRegion, filter_quotes
from pricing.models import PriceQuote
from pricing.queries import album_prices as prices_of

from .filters import buying_filters

router = Router(tags=["listener"])

FILTER_FIELDS = (
    "min_condition",
    "seller_region",
    "max_shipping_eur",
    "excluded_sources",
    "min_seller_rating",
    "min_seller_ratings",
)


class FiltersIn(Schema):
    """The listener's buying filters: the best price, grid, wantlist, basket and alerts obey them."""

    min_condition: Literal[tuple(["", *(grade.value for grade in GRADES)])] = Field(
        "", description="Lowest media grade accepted (Discogs scale); empty = any condition"
    )
    seller_region: Literal[tuple(value for value, _ in SellerRegion.choices)] = SellerRegion.ANYWHERE
    max_shipping_eur: Decimal | None = Field(
        None, ge=0, max_digits=6, decimal_places=2, description="Leave out offers whose shipping costs more; null = no cap"
    )
    excluded_sources: list[str] = Field(
        [], description="Price sources whose offers are left out, by name: only those a listener may switch off (eBay)"
    )
    min_seller_rating: Decimal | None = Field(
        None,
        ge=0,
        le=100,
        max_digits=5,
        decimal_places=2,
        description="Leave out sellers whose positive feedback is lower (%); null = any",
    )
    min_seller_ratings: int | None = Field(
        None, ge=0, le=2147483647, description="Leave out sellers with fewer ratings; null = any"
    )

    @field_validator("excluded_sources")
    @classmethod
    def _optional_sources_only(cls, names):
        """Only a source a listener may switch off (pricing.sources.optional(), read when asked)."""
        allowed = {source.name for source in price_sources.optional()}
        unknown = sorted(set(names) - allowed)
        if unknown:
            raise ValueError(
                f"not a price source a listener may leave out: {', '.join(unknown)}; use {', '.join(sorted(allowed))}"
            )
        return sorted(set(names))


class FiltersOut(FiltersIn):
    ships_to: str


@router.get("/filters", response=FiltersOut, url_name="filters")
def filters(request):
    """The signed-in listener's buying filters and the country records ship to."""
    return _filters_out(request.user.profile)


@router.put("/filters", response=FiltersOut, url_name="filters_update")
def update_filters(request, payload: FiltersIn):
    """Replace the listener's buying filters (every field; omitted ones take their defaults)."""
    profile = request.user.profile
    for name in FILTER_FIELDS:
        setattr(profile, name, getattr(payload, name))
    profile.save(update_fields=list(FILTER_FIELDS))
    return _filters_out(profile)


def _filters_out(profile):
    return {"ships_to": str(profile.country), **{name: getattr(profile, name) for name in FILTER_FIELDS}}


class AlbumPricesOut(Schema):
    album_id: int
    ships_to: str
    best_price: LandedPriceOut | None
    from_price: ItemOnlyPriceOut | None


@router.get("/albums/{album_id}/prices", response=AlbumPricesOut, auth=None, url_name="album_prices", tags=["prices"])
def album_prices(request, album_id: int):
    """The album's cheapest landed price to the listener's door under their buying filters, or,
    when it has none, its cheapest item-only price ("from €X + shipping"). Open to visitors,
    who get the site's default country and no filters."""
    album = get_object_or_404(Album, pk=album_id)
    filters = buying_filters(request.user)
    price = prices_of([album.pk], filters)[album.pk]
    return {
        "album_id": album.pk,
        "ships_to": filters.country,
        "best_price": landed_price_out(price.best),
        "from_price": None if price.best else item_only_price_out(price.from_quote),
    }


# An album's offers are ranked on at most this many of its cheapest landed offers: a popular
# album has thousands, and a deal far down that list is not one.
OFFERS_RANKED = 200


class SellerOut(Schema):
    name: str
    country: str = Field(description="Where the record ships from (ISO 3166-1 alpha-2); empty when not stated")
    rating: Decimal | None = Field(description="Positive feedback, %; null when the source states none")
    ratings_count: int | None = Field(
        description="How many ratings the percentage is of (eBay: feedback score); null when not stated"
    )


class PressingOut(Schema):
    id: int
    discogs_id: int
    title: str
    year: int | None
    country: str
    label: str
    catalog_number: str
    format: str


class DealOut(Schema):
    """How the offer compares with the usual landed price of the same pressing (the album, when
    the offer names none) in the same condition: levels excellent (25 % or more under), good (10
    to 25 % under), fair (within 10 %), high (10 % or more over)."""

    level: Literal[deals.LEVELS]
    usual_eur: Decimal
    difference_eur: Decimal
    difference_pct: int = Field(description="Negative: under the usual price")
    basis: Literal[deals.OBSERVATIONS, deals.DISCOGS]
    observations: int = Field(
        description="How many distinct offers of the last 180 days the median is of; 0 on Discogs' suggestion"
    )
    pressing: bool = Field(description="False: judged against the album's offers, the offer names no pressing")
    sample: bool = Field(description="A sample offer, judged against sample prices only")


class OfferOut(LandedPriceOut):
    seller: SellerOut
    pressing: PressingOut | None
    deal: DealOut | None = Field(description="null when no usual price is known")


class AlbumOffersOut(Schema):
    album_id: int
    ships_to: str
    offers: list[OfferOut]


@router.get("/albums/{album_id}/offers", response=AlbumOffersOut, auth=None, url_name="album_offers", tags=["prices"])
def album_offers(
    request, album_id: int, sort: Literal["price", "deal"] = "price", limit: int = Query(50, ge=1, le=OFFERS_RANKED)
):
    """The album's current offers to the reader's door under their buying filters (a visitor: the
    site's default country, no filters), landed ones only, each with what its price includes,
    its seller and pressing, and its deal. `sort=deal`: furthest under the usual price first,
    offers without one after; else cheapest first."""
    album = get_object_or_404(Album, pk=album_id)
    filters = buying_filters(request.user)
    quotes = filter_quotes(PriceQuote.objects.filter(album=album), filters).select_related("store", "release", "seller_account")
    ranked = deals.attach_deals(list(quotes.order_by("total_eur", "-fetched_at", "pk")[:OFFERS_RANKED]))
    shown = deals.by_deal(ranked) if sort == "deal" else ranked
    return {"album_id": album.pk, "ships_to": filters.country, "offers": [_offer_out(quote) for quote in shown[:limit]]}


def _offer_out(quote):
    account = quote.seller_account
    seller = {
        "name": quote.seller or (account.discogs_username if account else quote.store.name),
        "country": quote.item_location,
        "rating": quote.seller_rating if quote.seller_rating is not None else getattr(account, "rating", None),
        "ratings_count": quote.seller_ratings_count
        if quote.seller_ratings_count is not None
        else getattr(account, "ratings_count", None),
    }
    return {**landed_price_out(quote), "seller": seller, "pressing": _pressing_out(quote.release), "deal": quote.deal}


def _pressing_out(release):
    if release is None:
        return None
    return {
        "id": release.pk,
        "discogs_id": release.discogs_id,
        "title": release.title,
        "year": release.year,
        "country": release.country,
        "label": release.label,
        "catalog_number": release.catalog_number,
        "format": release.format_summary,
    }
