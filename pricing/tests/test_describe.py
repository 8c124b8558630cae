"""How a price reads: what it includes, where it ships from, how old it is."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pricing import describe
from pricing.models import PriceQuote

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_a_landed_total_says_it_includes_shipping_and_how_that_is_known():
    assert describe.landed(Decimal("24.9"), "estimated", "DE") == "€24.90 incl. shipping from Germany (estimated)"
    assert describe.landed(Decimal("24.9"), "exact", "NL", "ES") == "€24.90 incl. shipping from the Netherlands to Spain (exact)"
    assert describe.landed(Decimal("1234.5"), "exact") == "€1,234.50 incl. shipping (exact)"


def test_an_item_price_says_shipping_comes_on_top():
    assert describe.item_only(Decimal("7")) == "from €7.00 + shipping"
    quote = PriceQuote(item_eur=Decimal("7"), total_eur=None, shipping_kind="unknown")
    assert quote.price_text == "from €7.00 + shipping"


def test_every_price_says_how_old_it_is():
    ago = [describe.seen(NOW - timedelta(days=days, hours=1), NOW) for days in (0, 1, 3, 90, 1900)]
    assert ago == ["seen today", "seen yesterday", "seen 3 days ago", "seen 3 months ago", "seen 5 years ago"]
