"""Price sentences claim only what we know (issue 21, Build 3), in pricing's producers: every
phrase that states a sample price says "sample" in that very sentence and never "exact" nor
"seen"; an item-only price older than ITEM_ONLY_FRESH_DAYS is never a price to act on: it reads
"last seen N years ago at €X", muted, and is not a from-price. The producers to the right
(cards, explanations, API, basket, alerts) have their own tests beside them."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from catalog.factories import ReleaseFactory
from pricing import describe
from pricing.best_price import update_best_prices
from pricing.charts import PricePoint
from pricing.factories import PriceQuoteFactory, StoreFactory
from pricing.filters import BuyingFilters
from pricing.queries import album_prices, attach_price_charts

pytestmark = pytest.mark.django_db
D = Decimal
SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z])|\n")


def sentence_with(text, needle):
    """The sentence of `text` (HTML tags dropped) that states `needle`."""
    plain = re.sub(r"[ \t]+", " ", re.sub(r"<[^>]+>", " ", text))
    found = [sentence for sentence in SENTENCE_END.split(plain) if needle in sentence]
    assert found, f"{needle!r} is not stated in: {plain}"
    return found[0]


def assert_said_as_sample(text, price):
    sentence = sentence_with(text, price)
    assert "sample" in sentence and "exact" not in sentence and "seen" not in sentence, sentence


@pytest.fixture
def sample_quote():
    """A sample seller's listing of the demo: €15.00 + €2.50 stated shipping from Spain."""
    release = ReleaseFactory(album__title="Chicken Skin Music", country="US", year=1976)
    quote = PriceQuoteFactory(
        release=release,
        store=StoreFactory(name="SAMPLE-ES-madrid"),
        amount=D("15.00"),
        shipping=D("2.50"),
        item_location="ES",
        ships_to="ES",
        sample=True,
        url="https://www.discogs.com/sell/item/1",
    )
    update_best_prices([release.album_id])
    return quote


@pytest.fixture
def five_years_old():
    """Discogs marketplace statistics from five years ago: an item price, no shipping."""
    release = ReleaseFactory(album__title="Dance Hall Style")
    return PriceQuoteFactory(
        release=release,
        store=StoreFactory(name="Discogs marketplace"),
        amount=D("218.40"),
        shipping=None,
        ships_to="",
        fetched_at=timezone.now() - timedelta(days=5 * 365 + 3),
    )


# --- sample wording, producer by producer ------------------------------------------------------


def test_describe_says_sample_in_the_phrase_of_a_landed_or_an_item_price():
    assert_said_as_sample(describe.landed(D("17.5"), "exact", "ES", "ES", sample=True), "€17.50")
    assert_said_as_sample(describe.item_only(D("7"), sample=True), "€7.00")
    assert describe.seen(timezone.now(), sample=True) == ""
    assert describe.landed(D("17.5"), "exact", "ES", "ES") == "€17.50 incl. shipping from Spain to Spain (exact)"


def test_a_sample_quote_reads_as_a_sample_row_by_row(sample_quote):
    assert_said_as_sample(sample_quote.price_text, "€17.50")
    assert sample_quote.seen_text == ""


def test_the_price_line_of_a_card_or_the_artist_page_says_sample(client, sample_quote):
    price = album_prices([sample_quote.album_id], BuyingFilters("ES"))[sample_quote.album_id]
    assert_said_as_sample(render_to_string("pricing/_price.html", {"best": price.best}), "€17.50")
    page = client.get(reverse("pricing:artist", args=[sample_quote.album.artist_id])).content.decode()
    assert_said_as_sample(page, "€17.50")


def test_the_plain_text_album_price_says_sample(sample_quote):
    price = album_prices([sample_quote.album_id], BuyingFilters("ES"))[sample_quote.album_id]
    assert_said_as_sample(price.sentence, "€17.50")
    assert "SAMPLE-ES-madrid" in price.sentence


def test_the_album_pages_offers_and_pressings_say_sample(client, sample_quote):
    offers = client.get(reverse("pricing:album_offers", args=[sample_quote.album_id])).content.decode()
    assert_said_as_sample(offers, "€17.50")
    pressings = client.get(reverse("pricing:album_pressings", args=[sample_quote.album_id])).content.decode()
    assert_said_as_sample(pressings, "€17.50")


def test_a_price_history_of_sample_prices_says_so(client, sample_quote):
    [release] = attach_price_charts([sample_quote.release], "ES")
    assert release.chart_svg == "" and "too few for a chart" in release.chart_text
    assert_said_as_sample(release.chart_text, "€17.50")
    svg = client.get(reverse("pricing:release_chart", args=[release.pk])).content.decode()
    assert "sample" in re.search(r"<title>(.*?)</title>", svg).group(1)
    assert_said_as_sample(svg, "€17.50")


# --- the price chart of too few days ------------------------------------------------------------


def test_a_pressing_seen_on_fewer_than_three_days_gets_a_sentence_not_a_chart(client):
    release = ReleaseFactory()
    store = StoreFactory(name="Discogs")
    for days_ago, condition in ((0, "NM"), (0, "VG+"), (4, "NM")):
        PriceQuoteFactory(
            release=release,
            store=store,
            condition=condition,
            amount=D("20") + days_ago,
            is_current=days_ago == 0,
            fetched_at=timezone.now() - timedelta(days=days_ago),
        )
    [shown] = attach_price_charts([release], "ES")
    assert shown.chart_svg == "" and shown.chart_text.startswith("Only 2 days of prices so far, too few for a chart: €")
    svg = client.get(reverse("pricing:release_chart", args=[release.pk])).content.decode()
    assert "<circle" not in svg and "too few for a chart" in svg
    PriceQuoteFactory(
        release=release, store=store, amount=D("30"), is_current=False, fetched_at=timezone.now() - timedelta(days=9)
    )
    [shown] = attach_price_charts([release], "ES")
    assert shown.chart_svg.count("<circle") == 4 and shown.chart_text == ""


def test_the_sentence_names_each_days_lowest_price_and_which_are_samples():
    daily = [PricePoint(date(2026, 12, 5), D("24")), PricePoint(date(2026, 12, 6), D("22.5"), sample=True)]
    assert describe.price_history(daily) == (
        "Only 2 days of prices so far, too few for a chart: €24.00 on 5 December 2026, €22.50 on 6 December 2026 (sample price, not a live offer)."
    )
    assert describe.price_history(daily[:1]).startswith("Only 1 day of prices so far")
    assert describe.price_history([]) == "No price history yet"


def test_a_chart_marks_only_its_sample_points_as_samples(sample_quote):
    """A pressing seen on the real marketplace on three days, then priced by a demo sample: the
    chart's name says it includes samples, and only the sample's dot says "sample"."""
    for days_ago in (30, 20, 10):
        PriceQuoteFactory(
            release=sample_quote.release,
            store=StoreFactory(name="Discogs"),
            amount=D("40"),
            ships_to="ES",
            is_current=False,
            fetched_at=timezone.now() - timedelta(days=days_ago),
        )
    [release] = attach_price_charts([sample_quote.release], "ES")
    dots = re.findall(r"<circle[^>]*><title>(.*?)</title>", release.chart_svg)
    assert len(dots) == 4 and [("sample" in dot) for dot in dots] == [False, False, False, True]
    assert "€17.50" in dots[-1] and "includes sample prices" in re.search(r"<title>(.*?)</title>", release.chart_svg).group(1)


# --- item-only prices too old to act on ---------------------------------------------------------


def test_an_old_item_price_is_not_a_from_price_but_the_last_price_seen(five_years_old):
    price = album_prices([five_years_old.album_id], BuyingFilters("ES"))[five_years_old.album_id]
    assert price.best is None and price.from_quote is None and price.last_seen == five_years_old
    assert price.sentence == "last seen 5 years ago at €218.40 on Discogs marketplace"
    assert five_years_old.is_stale and five_years_old.last_seen_text == "last seen 5 years ago at €218.40"


def test_a_recent_item_price_wins_over_a_cheaper_old_one(five_years_old):
    recent = PriceQuoteFactory(
        release=five_years_old.release,
        store=five_years_old.store,
        amount=D("240.00"),
        shipping=None,
        ships_to="",
        fetched_at=timezone.now() - timedelta(days=89),
    )
    price = album_prices([five_years_old.album_id], BuyingFilters("ES"))[five_years_old.album_id]
    assert price.from_quote == recent and price.last_seen is None and not recent.is_stale


def test_the_artist_page_and_the_album_page_show_an_old_item_price_muted_as_last_seen(client, five_years_old):
    for page in (
        client.get(reverse("pricing:artist", args=[five_years_old.album.artist_id])).content.decode(),
        client.get(reverse("pricing:album_offers", args=[five_years_old.album_id])).content.decode(),
        client.get(reverse("pricing:album_pressings", args=[five_years_old.album_id])).content.decode(),
    ):
        assert '<span class="muted last-seen">last seen 5 years ago at €218.40' in page
        assert "from €218.40" not in page and "+ shipping" not in page


def test_the_prices_api_gives_no_from_price_for_an_old_item_price(client, five_years_old):
    data = client.get(reverse("api:album_prices", args=[five_years_old.album_id])).json()
    assert data["best_price"] is None and data["from_price"] is None
