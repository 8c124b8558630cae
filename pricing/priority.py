"""Which albums listeners see: the albums whose prices are refreshed daily (pricing.schedule).

Pricing sits left of accounts and recommendations in the layer order, so it cannot read sets,
locks or wantlists itself; the app that owns them (recommendations) registers the answer in its
AppConfig.ready, as accounts does for pricing.destinations. Until one is registered (a
pricing-only test, a script) no album counts as seen.
"""

_seen = []


def register(albums_listeners_see):
    """`albums_listeners_see(among=None)` → ids of albums in a live set, locked or wantlisted by
    anyone (only those of the ids `among`, when given)."""
    _seen[:] = [albums_listeners_see]


def albums_listeners_see(among=None):
    return set().union(*(set(fetch(among=among)) for fetch in _seen)) if _seen else set()
