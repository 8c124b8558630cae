"""Money, numbers and dates in the reader's language (pricing.formats): "17,50 €" and "3 de
diciembre de 2026" in Spanish, "€17.50" and "3 December 2026" in English; the JSON API keeps
machine formats whatever the language."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from catalog.factories import ReleaseFactory
from pricing import describe, formats
from pricing.best_price import refresh_best_prices
from pricing.charts import PricePoint, price_history_svg
from pricing.factories import PriceQuoteFactory, StoreFactory
from recommendations.tests.test_basket import shop  # noqa: F401 (the basket test's listener and sellers)

NBSP = "\xa0"  # Spanish keeps the amount and its sign together: "17,50 €" never breaks
NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


def in_language(language, function, *args):
    with translation.override(language):
        return function(*args)


@pytest.mark.parametrize(
    "amount, spanish, english",
    [
        (D("17.5"), f"17,50{NBSP}€", "€17.50"),
        (D("1234.5"), f"1.234,50{NBSP}€", "€1,234.50"),
        (7, f"7,00{NBSP}€", "€7.00"),
        (D("0.005"), f"0,00{NBSP}€", "€0.00"),
    ],
)
def test_money_puts_the_euro_sign_and_the_marks_where_each_language_writes_them(amount, spanish, english):
    assert in_language("es", formats.money, amount) == spanish
    assert in_language("en", formats.money, amount) == english


def test_a_regional_language_code_formats_as_its_language():
    assert in_language("es-mx", formats.money, D("17.5")) == f"17,50{NBSP}€"
    assert in_language("en-us", formats.money, D("17.5")) == "€17.50"


def test_numbers_and_whole_amounts_follow_the_language():
    assert in_language("es", formats.number, 1234567) == "1.234.567"
    assert in_language("en", formats.number, 1234567) == "1,234,567"
    assert in_language("es", formats.whole_money, D("24.4")) == f"24{NBSP}€"
    assert in_language("en", formats.whole_money, D("24.4")) == "€24"


def test_long_dates_read_day_month_year_in_both_languages():
    assert in_language("es", formats.long_date, date(2026, 12, 3)) == "3 de diciembre de 2026"
    assert in_language("en", formats.long_date, date(2026, 12, 3)) == "3 December 2026"


def test_a_datetime_is_dated_in_the_sites_time_zone():
    late_utc = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # already the 4th in Madrid
    assert in_language("en", formats.long_date, late_utc) == "4 December 2026"


@pytest.mark.parametrize(
    "days, spanish, english",
    [
        (3, "hace 3 días", "3 days ago"),
        (45, "hace 45 días", "45 days ago"),
        (90, "hace 3 meses", "3 months ago"),
        (1900, "hace 5 años", "5 years ago"),
        (1, None, "yesterday"),
        (0, None, "today"),
    ],
)
def test_relative_times_count_down_in_days_then_months_then_years(days, spanish, english):
    moment = NOW - timedelta(days=days, hours=1)
    assert in_language("en", formats.ago, moment, NOW) == english
    if spanish:
        assert in_language("es", formats.ago, moment, NOW) == spanish


def test_a_price_sentence_reads_the_readers_money():
    spanish = in_language("es", describe.landed, D("17.5"), "exact", "ES", "ES")
    assert spanish.startswith(f"17,50{NBSP}€")
    assert (
        in_language("en", describe.landed, D("17.5"), "exact", "ES", "ES") == "€17.50 incl. shipping from Spain to Spain (exact)"
    )
    assert in_language("es", describe.item_only, D("1234.5")).count(f"1.234,50{NBSP}€") == 1


def test_a_chart_labels_its_prices_and_days_in_the_readers_language():
    points = [PricePoint(date(2024, 1, day), D(value)) for day, value in ((1, "30"), (2, "25"), (3, "27.5"))]
    spanish = in_language("es", lambda: price_history_svg(points, title="t"))
    assert f">30{NBSP}€</text>" in spanish and "1 ene 2024" in spanish and f"27,50{NBSP}€" in spanish
    english = in_language("en", lambda: price_history_svg(points, title="t"))
    assert ">€30</text>" in english and "1 Jan 2024" in english and "€27.50" in english


def test_template_filters_format_in_the_active_language():
    template = Template("{% load locale_formats %}{{ amount|money }} · {{ day|long_date }} · {{ none|money|default:'—' }}")
    context = Context({"amount": D("17.5"), "day": date(2026, 12, 3), "none": None})
    assert in_language("es", template.render, context) == f"17,50{NBSP}€ · 3 de diciembre de 2026 · —"
    assert in_language("en", template.render, context) == "€17.50 · 3 December 2026 · —"


@pytest.mark.django_db
def test_the_json_api_keeps_machine_formats_in_spanish(client):
    release = ReleaseFactory()
    PriceQuoteFactory(
        release=release, store=StoreFactory(name="Discogs"), amount=D("1234.50"), shipping=D("5.00"), item_location="ES"
    )
    refresh_best_prices()
    url = reverse("api:album_prices", args=[release.album.pk])
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").json()["best_price"]
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["best_price"]
    assert spanish == english
    assert (spanish["total_eur"], spanish["item_eur"], spanish["shipping"]) == ("1239.50", "1234.50", "exact")
    assert datetime.fromisoformat(spanish["observed_at"])


@pytest.mark.parametrize(
    "seconds, spanish, english",
    [
        (300, "hace 5 minutos", "5 minutes ago"),
        (3 * 3600, "hace 3 horas", "3 hours ago"),
        (15 * 86400, "hace 2 semanas", "2 weeks ago"),
    ],
)
def test_a_moment_says_how_long_ago_to_the_nearest_unit(seconds, spanish, english):
    moment = NOW - timedelta(seconds=seconds)
    assert in_language("es", formats.since, moment, NOW) == spanish
    assert in_language("en", formats.since, moment, NOW) == english
    assert in_language("en", formats.since, NOW - timedelta(seconds=5), NOW) == "just now"


def test_the_watch_box_states_its_threshold_in_the_readers_money():
    template = "alerts/_watch_button.html"
    context = {"album": type("Album", (), {"pk": 1})(), "watch": type("Watch", (), {"pk": 2, "max_total_eur": D("30")})()}
    assert f"30,00{NBSP}€" in in_language("es", render_to_string, template, context)
    assert "Watching at €30.00 or less" in in_language("en", render_to_string, template, context)


def test_a_whole_amount_or_fixed_decimals_leave_later_amounts_their_cents():
    with translation.override("en"):
        assert (formats.whole_money(D("24.4")), formats.number("4", 1)) == ("€24", "4.0")
        assert (formats.money(D("17.5")), formats.number(1234)) == ("€17.50", "1,234")


@pytest.mark.django_db
def test_the_basket_page_states_its_totals_in_the_readers_money(client, shop):
    user, _ = shop
    client.force_login(user)
    spanish = client.get(reverse("recommendations:basket"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert f"74,00{NBSP}€</strong>" in spanish and f"77,00{NBSP}€" in spanish and f"3,00{NBSP}€" in spanish
    assert "€" not in spanish.replace(f"{NBSP}€", "")  # no amount written the English way
    english = client.get(reverse("recommendations:basket"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "€74.00</strong> from 2 sellers instead of €77.00 bought one by one (you save €3.00)" in english


def test_counts_and_ratings_in_templates_follow_the_language():
    template = Template("{% load locale_formats %}{{ listeners|number }} · {{ rating|number:1 }}")
    context = Context({"listeners": 1234567, "rating": 4.25})
    assert in_language("es", template.render, context) == "1.234.567 · 4,3"
    assert in_language("en", template.render, context) == "1,234,567 · 4.3"
