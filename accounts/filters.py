"""A listener's buying filters, from their profile to the one rule pricing applies (pricing.filters)."""

from django.conf import settings

from pricing import sources as price_sources
from pricing.filters import BuyingFilters


def buying_filters(user) -> BuyingFilters:
    """The listener's filters; anonymous visitors and users without a profile get the defaults
    for the site's default country."""
    profile = getattr(user, "profile", None) if getattr(user, "is_authenticated", False) else None
    if profile is None:
        return BuyingFilters(settings.DEFAULT_COUNTRY)
    return profile_filters(profile)


def profile_filters(profile) -> BuyingFilters:
    excluded = frozenset(profile.excluded_sources) & {source.name for source in price_sources.optional()}
    return BuyingFilters(
        country=str(profile.country),
        min_condition=profile.min_condition,
        seller_region=profile.seller_region,
        max_shipping_eur=profile.max_shipping_eur,
        excluded_sources=excluded,
        min_seller_rating=profile.min_seller_rating,
        min_seller_ratings=profile.min_seller_ratings,
    )
