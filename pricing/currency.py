"""Converting prices to euros with ECB reference rates.

Pure Python on purpose (no Django): the services load the day's rates from ExchangeRate
rows and pass them in as a plain mapping, so the arithmetic is tested fast and in one place.

A rate means what the ECB publishes: 1 EUR = `rate` units of the currency. A currency with
no rate is never guessed: `to_eur` raises MissingRate and the caller records the quote as an
error instead of inventing a price.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

EUR = "EUR"
CENT = Decimal("0.01")


class MissingRate(LookupError):
    """No exchange rate is known for this currency."""

    def __init__(self, currency):
        super().__init__(f"No ECB exchange rate for {currency!r}")
        self.currency = currency


def as_decimal(value):
    """A Decimal from a JSON number or text ("12.50", 12.5); None for blanks and junk."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def to_eur(amount, currency, rates):
    """`amount` of `currency` in euros, rounded to the cent.

    `rates` maps a currency code to its ECB rate (units per euro). EUR needs no rate.
    """
    amount = as_decimal(amount)
    if amount is None:
        raise ValueError("No amount to convert")
    code = (currency or "").strip().upper()
    if code == EUR:
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)
    rate = as_decimal(rates.get(code))
    if not rate or rate <= 0:
        raise MissingRate(code)
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def total_eur(price, shipping, currency, rates):
    """Price plus shipping (when stated) in euros. Shipping is in the price's currency."""
    total = as_decimal(price) + (as_decimal(shipping) or Decimal(0))
    return to_eur(total, currency, rates)
