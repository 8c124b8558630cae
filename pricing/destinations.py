"""Where prices are computed to: the countries to price, one listener's destination and filters.

Pricing sits left of accounts in the layer order, so it cannot read profiles itself; the app
that owns where listeners live (accounts) registers the answers in its AppConfig.ready.
Until one is registered (a pricing-only test, a script) the site's DEFAULT_COUNTRY serves.
"""

from django.conf import settings

from .filters import BuyingFilters

_active_countries = []
_user_country = []
_user_filters = []


def register(*, active_countries, user_country, user_filters=None):
    """`active_countries()` → codes the active listeners ship to; `user_country(user)` → one code;
    `user_filters(user)` → the listener's BuyingFilters."""
    _active_countries[:] = [active_countries]
    _user_country[:] = [user_country]
    _user_filters[:] = [user_filters] if user_filters else []


def countries_to_price():
    """The active listeners' countries (upper case, sorted), or the site default when none."""
    codes = {str(code).upper() for fetch in _active_countries for code in fetch() if code}
    return sorted(codes) or [settings.DEFAULT_COUNTRY]


def shipping_country(request):
    """The signed-in listener's country, or the site default for visitors."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and _user_country:
        return str(_user_country[0](user) or settings.DEFAULT_COUNTRY)
    return settings.DEFAULT_COUNTRY


def request_filters(request) -> BuyingFilters:
    """The signed-in listener's buying filters; the defaults for their country otherwise."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and _user_filters:
        return _user_filters[0](user)
    return BuyingFilters(shipping_country(request))
