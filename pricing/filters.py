"""A listener's buying filters and the one rule that applies them to quotes.

The best price, the grid, the wantlist, the basket and the alerts all ask `filter_quotes`, so a
filter means the same everywhere. accounts keeps each listener's filters on their profile and
turns them into a BuyingFilters (accounts.filters.buying_filters).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import PriceQuote
from .shipping import EU_MEMBERS

Condition = PriceQuote.Condition

# Media grades from best to worst (Discogs' scale). "New" is as good as mint. An ungraded
# "used" or unstated condition never passes a minimum: we cannot know it is good enough.
GRADES = [
    Condition.MINT,
    Condition.NEAR_MINT,
    Condition.VG_PLUS,
    Condition.VG,
    Condition.G_PLUS,
    Condition.G,
    Condition.FAIR,
    Condition.POOR,
]
EQUIVALENT = {Condition.NEW: Condition.MINT}


class SellerRegion:
    MINE = "mine"
    EU = "eu"
    ANYWHERE = "anywhere"
    choices = [(MINE, _("My country only")), (EU, _("The EU")), (ANYWHERE, _("Anywhere"))]


@dataclass(frozen=True)
class BuyingFilters:
    country: str  # the destination (ISO code)
    min_condition: str = ""  # a Condition code; "" = any
    seller_region: str = SellerRegion.ANYWHERE
    max_shipping_eur: Decimal | None = None
    excluded_sources: frozenset = field(default_factory=frozenset)  # price source names (Store.kind)
    min_seller_rating: Decimal | None = None  # positive feedback, %; None = any
    min_seller_ratings: int | None = None  # how many ratings that percentage must be of; None = any

    @property
    def is_default(self):
        return self == BuyingFilters(self.country)


def acceptable_conditions(min_condition):
    """The condition codes at least as good as `min_condition` (None = any condition)."""
    if not min_condition:
        return None
    floor = GRADES.index(EQUIVALENT.get(min_condition, min_condition))
    good = GRADES[: floor + 1]
    return [*good, *(alias for alias, grade in EQUIVALENT.items() if grade in good)]


def seller_countries(filters):
    """The ships-from countries allowed (None = anywhere)."""
    if filters.seller_region == SellerRegion.MINE:
        return [filters.country.upper()]
    if filters.seller_region == SellerRegion.EU:
        return sorted(EU_MEMBERS)
    return None


def filter_quotes(quotes, filters):
    """Current landed quotes shipping to the listener's country that pass every filter."""
    quotes = _passing(quotes.current().landed().filter(ships_to=filters.country.upper()), filters)
    if filters.max_shipping_eur is not None:
        quotes = quotes.filter(shipping_eur__lte=filters.max_shipping_eur)
    return quotes


def filter_item_only_quotes(quotes, filters, include_stale=False):
    """Current item-only quotes (shipping unknown) for the listener's country or no stated
    destination that pass the filters an item price can be known to pass: condition, seller
    country, source. The shipping cap does not apply: these prices say they exclude shipping.
    Only those recent enough to act on (pricing.models.ITEM_ONLY_FRESH_DAYS), unless
    `include_stale` (for "last seen … at €X")."""
    quotes = quotes.current().filter(Q(ships_to=filters.country.upper()) | Q(ships_to=""))
    quotes = quotes.filter(shipping_kind=PriceQuote.ShippingKind.UNKNOWN) if include_stale else quotes.fresh_item_only()
    return _passing(quotes, filters)


def _passing(quotes, filters):
    """An unstated condition, ships-from country, seller rating or number of ratings never
    passes a filter on it (a local shop's own stock states no rating: a rating filter leaves it out)."""
    quotes = quotes.filter(store__is_active=True)
    conditions = acceptable_conditions(filters.min_condition)
    if conditions is not None:
        quotes = quotes.filter(condition__in=conditions)
    countries = seller_countries(filters)
    if countries is not None:
        quotes = quotes.filter(item_location__in=countries)
    if filters.excluded_sources:
        quotes = quotes.exclude(store__kind__in=filters.excluded_sources)
    if filters.min_seller_rating is not None:
        quotes = quotes.filter(seller_rating__gte=filters.min_seller_rating)
    if filters.min_seller_ratings is not None:
        quotes = quotes.filter(seller_ratings_count__gte=filters.min_seller_ratings)
    return quotes
