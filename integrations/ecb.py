"""European Central Bank euro reference rates (https://www.ecb.europa.eu/stats/eurofxref/).

    rates = EcbClient.from_settings().daily_rates()   # EuroRates
    rates.date            -> datetime.date the rates were set (a TARGET working day)
    rates.rates["USD"]    -> Decimal("1.0705"): 1 EUR = 1.0705 USD
    EcbClient().ping() -> str   # the same daily feed, summarised

Converting amounts is pricing's rule (pricing.currency.to_eur), not the client's.

The ECB publishes once a working day around 16:00 CET; the daily feed holds only that day.
"""

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from .errors import BadPayload
from .http import HttpClient

DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
# The feed's own vocabulary namespace: every <Cube> lives in it.
EUROFXREF_NS = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"


@dataclass(frozen=True)
class EuroRates:
    date: date
    rates: dict = field(default_factory=dict)  # ISO currency -> units per 1 EUR


class EcbClient:
    def __init__(self, *, rate_per_minute=None, session=None):
        self.http = HttpClient("ecb", rate_per_minute=rate_per_minute, session=session)

    @classmethod
    def from_settings(cls, **kwargs):
        return cls(**kwargs)  # public feed: nothing to configure

    def daily_rates(self):
        return parse_daily_rates(self.http.get_text(DAILY_URL))

    def ping(self):
        rates = self.daily_rates()
        return f"daily rates of {rates.date.isoformat()}, {len(rates.rates)} currencies"


def parse_daily_rates(xml_text):
    """EuroRates from the eurofxref-daily.xml envelope (one dated <Cube> of currency cubes)."""
    try:
        root = ElementTree.fromstring(xml_text.encode() if isinstance(xml_text, str) else xml_text)
    except ElementTree.ParseError as error:
        raise BadPayload(f"ECB rates are not XML: {error}", provider="ecb") from error
    day = next((cube for cube in root.iter(f"{EUROFXREF_NS}Cube") if cube.get("time")), None)
    if day is None:
        raise BadPayload("ECB rates without a dated <Cube time=...>", provider="ecb")
    return EuroRates(date=date.fromisoformat(day.get("time")), rates=currency_rates(day))


def currency_rates(day_cube):
    rates = {}
    for cube in day_cube.iter(f"{EUROFXREF_NS}Cube"):
        currency, rate = cube.get("currency"), cube.get("rate")
        if currency and rate:
            try:
                rates[currency] = Decimal(rate)
            except InvalidOperation as error:
                raise BadPayload(f"ECB rate for {currency} is not a number: {rate!r}", provider="ecb") from error
    return rates
