"""The listener's part of the JSON API: their buying filters, and an album's prices as they see them."""
from django.shortcuts import get_object_or_404
from ninja import Router

from catalog.models import Album
from pricing.api import ItemOnlyPriceOut, LandedPriceOut, item_only_price_out, landed_price_out
from pricing.destinations import shipping_country
from pricing.filters import BuyingFilters
from pricing.queries import landed_and_item_only_prices
from ninja import Schema

router = Router(tags=["prices"])


def listener_filters(request):
    """The buying filters of the signed-in listener; the site's default for a visitor."""
    return BuyingFilters(country=shipping_country(request).upper())


class AlbumPricesOut(Schema):
    album_id: int
    ships_to: str
    best_price: LandedPriceOut | None
    from_price: ItemOnlyPriceOut | None


@router.get("/albums/{album_id}/prices", response=AlbumPricesOut, auth=None, url_name="album_prices")
def album_prices(request, album_id: int):
    """The album's cheapest landed price to the listener's door under their buying filters, or,
    when it has none, its cheapest item-only price ("from €X + shipping"). Open to visitors,
    who get the site's default country and no filters."""
    album = get_object_or_404(Album, pk=album_id)
    filters = listener_filters(request)
    landed, item_only = landed_and_item_only_prices([album.pk], filters)[album.pk]
    return {
        "album_id": album.pk,
        "ships_to": filters.country,
        "best_price": landed_price_out(landed),
        "from_price": None if landed else item_only_price_out(item_only),
    }
