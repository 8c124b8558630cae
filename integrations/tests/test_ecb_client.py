"""ECB daily reference rates: a real daily XML envelope parsed into Decimal rates with their date."""

from datetime import date
from decimal import Decimal

import pytest

from integrations import ecb
from integrations.ecb import EcbClient
from integrations.errors import BadPayload

from .conftest import recording_text, serve

FIXTURE = "ecb/eurofxref-daily_2024-06-28.xml"


def test_daily_rates_are_decimals_per_euro_with_their_date():
    rates = ecb.parse_daily_rates(recording_text(FIXTURE))

    assert rates.date == date(2024, 6, 28)
    assert rates.rates["USD"] == Decimal("1.0705")
    assert rates.rates["JPY"] == Decimal("171.94")
    assert rates.rates["GBP"] == Decimal("0.84638")
    assert len(rates.rates) == 30 and "BGN" in rates.rates and "ZAR" in rates.rates


@pytest.mark.parametrize(
    "text, message",
    [
        ("<html>maintenance</html", "not XML"),
        (
            '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" '
            'xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><Cube/></gesmes:Envelope>',
            "dated",
        ),
    ],
)
def test_unusable_answers_are_bad_payloads(text, message):
    with pytest.raises(BadPayload, match=message):
        ecb.parse_daily_rates(text)


@pytest.mark.django_db
def test_the_client_reads_the_daily_feed(provider_api):
    serve(provider_api, "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml", FIXTURE)

    assert EcbClient().daily_rates().rates["SEK"] == Decimal("11.3595")
