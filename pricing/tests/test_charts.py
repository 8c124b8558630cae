"""The price-history chart: a pure function from points to an accessible SVG."""
from datetime import date, datetime, timezone
from decimal import Decimal
from xml.etree import ElementTree

from pricing.charts import PricePoint, condition_class, lowest_per_day, price_history_svg, series_by_condition

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg):
    return ElementTree.fromstring(svg)


def test_lowest_per_day_keeps_the_cheapest_observation_of_each_day_oldest_first():
    seen = [
        (datetime(2024, 3, 2, 9, tzinfo=timezone.utc), Decimal("30")),
        (datetime(2024, 3, 1, 9, tzinfo=timezone.utc), Decimal("28")),
        (datetime(2024, 3, 2, 18, tzinfo=timezone.utc), Decimal("25")),
    ]
    assert lowest_per_day(seen) == [PricePoint(date(2024, 3, 1), Decimal("28")), PricePoint(date(2024, 3, 2), Decimal("25"))]


def test_chart_draws_one_dot_per_day_and_a_line_through_them():
    points = [PricePoint(date(2024, 1, d), Decimal(v)) for d, v in ((1, "30"), (2, "25"), (3, "27.5"))]
    root = _parse(price_history_svg(points, title="OK Computer UK 1997"))
    assert len(root.findall(f"{SVG}circle")) == 3
    assert len(root.find(f"{SVG}polyline").get("points").split()) == 3
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert "€30" in labels and "€25" in labels and "2024-01-01" in labels and "2024-01-03" in labels


def test_cheaper_prices_are_drawn_lower_on_the_chart():
    points = [PricePoint(date(2024, 1, 1), Decimal("40")), PricePoint(date(2024, 1, 2), Decimal("20"))]
    first, second = _parse(price_history_svg(points, title="t")).findall(f"{SVG}circle")
    assert float(second.get("cy")) > float(first.get("cy"))


def test_chart_is_labelled_for_screen_readers_with_the_title_escaped():
    root = _parse(price_history_svg([PricePoint(date(2024, 1, 1), Decimal("9"))], title='Guns N\' Roses "<Live>"'))
    assert root.get("role") == "img"
    assert root.get("aria-label") == 'Guns N\' Roses "<Live>"'
    assert root.find(f"{SVG}title").text == 'Guns N\' Roses "<Live>"'


def test_single_point_and_flat_series_still_draw_inside_the_chart():
    for points in ([PricePoint(date(2024, 1, 1), Decimal("9"))],
                   [PricePoint(date(2024, 1, d), Decimal("9")) for d in (1, 2)]):
        root = _parse(price_history_svg(points, title="t"))
        for dot in root.findall(f"{SVG}circle"):
            assert 0 < float(dot.get("cy")) < 120


def test_empty_history_says_so():
    assert "No price history yet" in price_history_svg([], title="t")


def test_standalone_chart_carries_its_own_colours():
    assert "<style>" in price_history_svg([], title="t", standalone=True)
    assert "<style>" not in price_history_svg([], title="t")


def test_one_line_per_condition_class_on_a_shared_day_axis_with_a_legend():
    seen = [
        (datetime(2024, 3, 1, tzinfo=timezone.utc), Decimal("30"), "NM"),
        (datetime(2024, 3, 2, tzinfo=timezone.utc), Decimal("28"), "M"),
        (datetime(2024, 3, 1, tzinfo=timezone.utc), Decimal("18"), "VG"),
        (datetime(2024, 3, 3, tzinfo=timezone.utc), Decimal("16"), "G+"),
        (datetime(2024, 3, 3, tzinfo=timezone.utc), Decimal("22"), ""),
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
        "Mint/NM", "Mint/NM", "VG+", "VG and below", "VG and below", "Ungraded", "Ungraded"
    ]
