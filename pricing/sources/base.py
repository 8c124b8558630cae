"""What every price source is: one module of pricing/sources, registered in its __init__.

A source turns an album into quotes (`refresh`), says whether the site can ask it
(`is_configured`, `configuration`), makes one cheap call through its client (`ping`) and says
how the album page shows what it found (`label`, `offers_template`, `links`). Its quotes
belong to the Store rows whose `kind` is the source's `name`, so the best price, the grid and
the album page need nothing else to show a new source.
"""

from django.conf import settings

from ..models import Store


class PriceSource:
    name = ""  # registry key; also Store.kind of the stores it prices
    label = ""  # how pages and the console name it
    provider = ""  # the integrations provider it calls (integrations.providers), "" for none
    settings_keys = ()  # the settings it needs (all set: configured; `.env.example` documents them)
    store_name = ""  # the one Store its quotes belong to ("" when it has several, like local shops)
    website = ""  # that Store's website, set when the source creates it
    queue = "default"  # the Celery queue its per-album refresh runs on: its provider's
    refreshes_albums = True  # False when `refresh` calls nothing (the quotes arrive another way)
    optional = False  # whether a listener may leave its offers out (their profile's options)
    csp_hosts = {}  # CSP directive → hosts its pages need (vinilogy.csp_sources), e.g. listing images
    offers_template = "pricing/offers/_quotes.html"
    offers_shown = 10  # quotes listed on the album page
    empty_text = "No offer known yet."

    def is_configured(self) -> bool:
        """Every setting it needs is set (settings_keys); a source with a subtler rule says so."""
        return all(getattr(settings, key, "") for key in self.settings_keys)

    def configuration(self) -> str:
        """What is set (or missing) for this source, in words for operators."""
        if not self.settings_keys:
            return "no credentials needed"
        return " + ".join(self.settings_keys) if self.is_configured() else f"set {', '.join(self.settings_keys)}"

    def refresh(self, album, destinations, rates) -> int:
        """Record this source's current quotes for the album; returns how many were recorded."""
        return 0

    @property
    def budget(self) -> str:
        """The settings.DAILY_BUDGETS key (and rate limiter) its calls count against: its provider's."""
        return self.provider

    def calls_per_refresh(self, pressings, empty, tier, countries) -> float:
        """Estimated calls of one album refresh (its official pressings, of them known empty,
        its tier in pricing.schedule, the destinations), for the day's plan of its provider."""
        return 0

    def reserved_calls(self, now=None) -> int:
        """Calls of its provider's budget it spends today outside album refreshes (crawls)."""
        return 0

    def links(self, album) -> list:
        """(store, url) pairs the album page shows beside the quotes (search pages, listings)."""
        return []

    def ping(self) -> str:
        """One cheap call to the source's provider; raises the client's ApiError when it fails."""
        return "no provider to call"

    def store(self):
        """The one Store its quotes belong to, created on first use (no migration seeds it)."""
        store, _ = Store.objects.get_or_create(name=self.store_name, defaults={"kind": self.name, "website": self.website})
        return store

    def stores(self):
        return Store.objects.filter(kind=self.name, is_active=True)

    def __str__(self):
        return self.label
