"""The listener's part of the JSON API: their buying filters, and an album's prices as they see them."""
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from pydantic import field_validator

from catalog.models import Album
from pricing import sources as price_sources
from pricing.api import ItemOnlyPriceOut, LandedPriceOut, item_only_price_out, landed_price_out
from pricing.filters import GRADES, SellerRegion
from pricing.queries import album_prices as prices_of

from .filters import buying_filters

router = Router(tags=["listener"])

FILTER_FIELDS = ("min_condition", "seller_region", "max_shipping_eur", "excluded_sources", "min_seller_rating", "min_seller_ratings")


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
        None, ge=0, le=100, max_digits=5, decimal_places=2, description="Leave out sellers whose positive feedback is lower (%); null = any"
    )
    min_seller_ratings: int | None = Field(None, ge=0, le=2147483647, description="Leave out sellers with fewer ratings; null = any")

    @field_validator("excluded_sources")
    @classmethod
    def _optional_sources_only(cls, names):
        """Only a source a listener may switch off (pricing.sources.optional(), read when asked)."""
        allowed = {source.name for source in price_sources.optional()}
        unknown = sorted(set(names) - allowed)
        if unknown:
            raise ValueError(f"not a price source a listener may leave out: {', '.join(unknown)}; use {', '.join(sorted(allowed))}")
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
