"""Converting to euros with ECB rates (pure: no database)."""

from decimal import Decimal

import pytest

from pricing.currency import MissingRate, to_eur, total_eur

RATES = {"USD": Decimal("1.1289"), "GBP": Decimal("0.88923"), "JPY": Decimal("122.44")}


def test_euros_stay_euros_rounded_to_the_cent():
    assert to_eur("19.999", "EUR", {}) == Decimal("20.00")


def test_other_currencies_divide_by_the_rate_of_units_per_euro():
    assert to_eur(Decimal("11.289"), "USD", RATES) == Decimal("10.00")
    assert to_eur(1224, "jpy", RATES) == Decimal("10.00")


def test_a_currency_without_a_rate_is_never_guessed():
    with pytest.raises(MissingRate) as missing:
        to_eur("10", "SEK", RATES)

    assert missing.value.currency == "SEK"


def test_a_total_is_price_plus_shipping_in_the_price_currency():
    assert total_eur("20", "5.50", "GBP", RATES) == Decimal("28.68")  # 25.50 / 0.88923
    assert total_eur("20", None, "EUR", RATES) == Decimal("20.00")


def test_no_amount_is_an_error_not_a_zero():
    with pytest.raises(ValueError):
        to_eur(None, "EUR", RATES)
