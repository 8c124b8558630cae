"""Every price sentence the offline demo produces is one we can know is true.

A recommendation's explanation may say "incl. shipping" or name where a record ships to only
for an album whose best price (under the listener's filters) is landed, and then with that
price's own total and kind; an album priced by item only (Discogs statistics, the 2021
marketplace sample) is said to be "listed from €X + shipping", and never scores price points.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from accounts.filters import buying_filters
from pricing import describe
from pricing.countries import country_name
from pricing.queries import album_prices
from recommendations import services
from vinilogy.demo import DEMO_USERNAME

pytestmark = pytest.mark.django_db

SHIPPING_CLAIM = re.compile(r"incl\. shipping|ships to|shipping to|to your door", re.IGNORECASE)


def test_no_demo_explanation_claims_shipping_for_a_price_whose_shipping_is_unknown(settings, demo_db):
    settings.BUILD_CATALOG_ON_TASTE = True
    listener = get_user_model().objects.get(username=DEMO_USERNAME)
    items = list(services.generate_now(listener).items.all())
    filters = buying_filters(listener)
    prices = album_prices([item.album_id for item in items], filters)
    destination = country_name(filters.country)

    assert items
    for item in items:
        price, text = prices[item.album_id], item.explanation
        claims = [clause for clause in text.split(";") if SHIPPING_CLAIM.search(clause) and "no offer" not in clause]
        if price.best is None:
            assert not claims, f"{item.album}: {text}"
            assert item.breakdown["price"] == 0
            if price.from_quote is not None:
                assert describe.item_only(price.from_quote.item_eur, price.from_quote.sample) in text
        else:
            best = price.best
            assert describe.landed(best.total_eur, best.shipping_kind, best.item_location, filters.country, best.sample) in text
            kind = describe.sample_words() if best.sample else best.shipping_kind  # a sample is never "exact"
            assert all(destination in clause and f"({kind})" in clause for clause in claims)
