"""The price sources: one module each, registered in SOURCES (the allauth provider pattern).

Everything that lists price sources iterates this registry: pricing.services (refresh), the
album page's offers fragment, the console's check_integrations, the demo and the health
check. A new source is one module with a PriceSource subclass plus one line below.
"""

from .base import PriceSource
from .discogs import DiscogsMarketplace
from .discogs_inventory import DiscogsSellers
from .ebay import EbayListings
from .local_shops import LocalShops

# In the order the album page shows them.
SOURCES: list[PriceSource] = [
    EbayListings(),
    DiscogsMarketplace(),
    DiscogsSellers(),
    LocalShops(),
]


def registered():
    return list(SOURCES)


def configured():
    return [source for source in SOURCES if source.is_configured()]


def optional():
    """The sources a listener may switch off (Profile.excluded_sources keeps which)."""
    return [source for source in SOURCES if source.optional]


def get(name):
    """The registered source called `name`; KeyError when none is."""
    for source in SOURCES:
        if source.name == name:
            return source
    raise KeyError(f"No price source {name!r}; registered: {', '.join(s.name for s in SOURCES)}")
