"""The price-history chart: a pure function from points to an accessible SVG."""

from datetime import UTC, date, datetime
from decimal import Decimal
from xml.etree import ElementTree

from pricing.charts import (
    PricePoint,
    condition_class,
    daily_lowest,
    lowest_per_day,
    observation_days,
    price_history_svg,
    series_by_condition,
)

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg):
    return ElementTree.fromstring(svg)


def test_lowest_per_day_keeps_the_cheapest_observation_of_each_day_oldest_first():
    seen = [
        (datetime(2024, 3, 2, 9, tzinfo=UTC), Decimal("30")),
        (datetime(2024, 3, 1, 9, tzinfo=UTC), Decimal("28")),
        (datetime(2024, 3, 2, 18, tzinfo=UTC), Decimal("25")),
    ]
    assert lowest_per_day(seen) == [PricePoint(date(2024, 3, 1), Decimal("28")), PricePoint(date(2024, 3, 2), Decimal("25"))]


def test_chart_draws_one_dot_per_day_and_a_line_through_them():
    points = [PricePoint(date(2024, 1, d), Decimal(v)) for d, v in ((1, "30"), (2, "25"), (3, "27.5"))]
    root = _parse(price_history_svg(points, title="OK Computer UK 1997"))
    assert len(root.findall(f"{SVG}circle")) == 3
    assert len(root.find(f"{SVG}polyline").get("points").split()) == 3
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert "€30" in labels and "€25" in labels and "1 Jan 2024" in labels and "3 Jan 2024" in labels


def test_cheaper_prices_are_drawn_lower_on_the_chart():
    points = [PricePoint(date(2024, 1, d), Decimal(v)) for d, v in ((1, "40"), (2, "20"), (3, "30"))]
    first, second, _ = _parse(price_history_svg(points, title="t")).findall(f"{SVG}circle")
    assert float(second.get("cy")) > float(first.get("cy"))


def test_chart_is_labelled_for_screen_readers_with_the_title_escaped():
    root = _parse(price_history_svg([PricePoint(date(2024, 1, 1), Decimal("9"))], title='Guns N\' Roses "<Live>"'))
    assert root.get("role") == "img"
    assert root.get("aria-label") == 'Guns N\' Roses "<Live>"'
    assert root.find(f"{SVG}title").text == 'Guns N\' Roses "<Live>"'


def test_a_flat_series_still_draws_inside_the_chart():
    root = _parse(price_history_svg([PricePoint(date(2024, 1, d), Decimal("9")) for d in (1, 2, 3)], title="t"))
    dots = root.findall(f"{SVG}circle")
    assert len(dots) == 3 and all(0 < float(dot.get("cy")) < 120 for dot in dots)


def test_fewer_than_three_days_draw_no_chart_but_the_sentence_given():
    """One day drew two dots of two conditions with the legend over one (issue 21): a history of
    one or two days is said in a sentence instead."""
    one_day = {"Mint/NM": [PricePoint(date(2024, 1, 1), Decimal("30"))], "VG+": [PricePoint(date(2024, 1, 1), Decimal("20"))]}
    two_days = [PricePoint(date(2024, 1, d), Decimal("9")) for d in (1, 2)]
    for points in (one_day, two_days):
        root = _parse(price_history_svg(points, title="t", too_few="Prices seen on few days"))
        assert not root.findall(f"{SVG}circle") and not root.findall(f"{SVG}polyline")
        assert [t.text for t in root.findall(f"{SVG}text")] == ["Prices seen on few days"]
    assert daily_lowest(one_day) == [PricePoint(date(2024, 1, 1), Decimal("20"))] and observation_days(two_days) == [
        date(2024, 1, 1),
        date(2024, 1, 2),
    ]


def test_no_legend_covers_a_point():
    """The legend has its own band: every dot (radius 3) lies below the legend's text and marks,
    even the dearest price of the chart, which sits at the top of the plot."""
    seen = [
        (datetime(2024, 3, d, tzinfo=UTC), Decimal(v), c)
        for d, v, c in ((1, "90", "NM"), (2, "20", "NM"), (3, "25", "VG+"), (1, "80", "VG+"), (3, "85", "G"), (2, "88", ""))
    ]
    root = _parse(price_history_svg(series_by_condition(seen), title="t"))
    legend = root.find(f"{SVG}g")
    legend_bottom = max(
        [float(t.get("y")) for t in legend.iter(f"{SVG}text")] + [float(line.get("y2")) for line in legend.iter(f"{SVG}line")]
    )
    dots = root.findall(f"{SVG}circle")
    assert len(dots) == 6 and min(float(dot.get("cy")) - float(dot.get("r")) for dot in dots) > legend_bottom + 2


def test_empty_history_says_so():
    assert "No price history yet" in price_history_svg([], title="t")


def test_standalone_chart_carries_its_own_colours():
    assert "<style>" in price_history_svg([], title="t", standalone=True)
    assert "<style>" not in price_history_svg([], title="t")


def test_one_line_per_condition_class_on_a_shared_day_axis_with_a_legend():
    seen = [
        (datetime(2024, 3, 1, tzinfo=UTC), Decimal("30"), "NM"),
        (datetime(2024, 3, 2, tzinfo=UTC), Decimal("28"), "M"),
        (datetime(2024, 3, 1, tzinfo=UTC), Decimal("18"), "VG"),
        (datetime(2024, 3, 3, tzinfo=UTC), Decimal("16"), "G+"),
        (datetime(2024, 3, 3, tzinfo=UTC), Decimal("22"), ""),
    ]
    series = series_by_condition(seen)

    assert list(series) == ["Mint/NM", "VG and below", "Ungraded"]
    assert [p.total_eur for p in series["Mint/NM"]] == [Decimal("30"), Decimal("28")]
    root = _parse(price_history_svg(series, title="t"))
    assert len(root.findall(f"{SVG}polyline")) == 2  # the ungraded class has one point: a dot
    assert {t.text for t in root.iter(f"{SVG}text")} >= {"Mint/NM", "VG and below", "Ungraded"}
    first_nm, first_vg = root.findall(f"{SVG}circle")[0], root.findall(f"{SVG}circle")[2]
    assert first_nm.get("cx") == first_vg.get("cx")  # same day, same place


def test_condition_classes():
    assert [condition_class(c) for c in ("M", "new", "VG+", "VG", "P", "used", "")] == [
        "Mint/NM",
        "Mint/NM",
        "VG+",
        "VG and below",
        "VG and below",
        "Ungraded",
        "Ungraded",
    ]
