"""A price source and a listening source that exist only for the tests: each is this module and one
registry line (vinilogy/tests/test_a_source_is_one_module.py appends them to the registries).

They are what a newcomer would write: a class with its label, provider, queue, budget, store,
opt-out, reason phrase and CSP hosts, and nothing anywhere else.
"""

from decimal import Decimal

from accounts.sources.base import TasteSource
from catalog.models import Source
from pricing.offers import Offer, record_or_keep_error
from pricing.sources.base import PriceSource


class FakeShop(PriceSource):
    """Sells every album at EUR 12 + 3 shipping to each destination (a landed quote)."""

    name = "fakeshop"
    label = "Fake Shop"
    provider = "ebay"  # an existing provider: its budget and probe already exist
    queue = "ebay"
    store_name = "Fake Shop"
    website = "https://fakeshop.example/"
    optional = True
    csp_hosts = {"img-src": ["https://img.fakeshop.example"]}
    empty_text = "No Fake Shop offer known yet."

    def refresh(self, album, destinations, rates):
        store = self.store()
        offers = [
            Offer(
                album=album,
                store=store,
                offer_key=f"fake:{album.pk}:{country}",
                ships_to=country,
                currency="EUR",
                amount=Decimal("12.00"),
                shipping=Decimal("3.00"),
                title=f"{album.title} at Fake Shop",
                url="https://fakeshop.example/item",
            )
            for country in destinations
        ]
        return sum(int(record_or_keep_error(offer, rates, album) is not None) for offer in offers)

    def calls_per_refresh(self, pressings, empty, tier, countries):
        return len(countries)


class FakeRadio(TasteSource):
    """Connected by username (kept in SourceUsername, like any source without a column)."""

    name = "fakeradio"
    label = "Fake Radio"
    provider = "lastfm"
    catalog_source = Source.MANUAL
    by_username = True
    csp_hosts = {"form-action": ["https://fakeradio.example"]}
    periods = ("all",)

    def client(self):
        return object()

    def fetch_period(self, client, username, period):
        return {"artists": [{"name": "Fake Radio Artist", "playcount": 7, "rank": 1}], "albums": []}
