"""Server-rendered SVG price-history charts: no JavaScript, no chart library.

Pure Python on purpose (no Django imports but the reader's locale formats, pricing.formats): a
chart is a function of its points, so it is tested fast. Its labels (prices, days) read as the
reader writes them: "€30" / "30 €", "1 Jan 2024" / "1 ene 2024". Colours come from
`currentColor` and CSS classes, so an inline chart follows the site's light/dark theme; a
standalone chart (served as image/svg+xml) gets its own neutral colours from the embedded style.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from .formats import money, short_date, whole_money

WIDTH, HEIGHT = 320, 120
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 46, 10, 10, 22
# The legend's own band above the plot: no point is ever drawn under it.
LEGEND_BAND = 14
# A line through fewer days says nothing a sentence cannot: the caller shows one instead.
MIN_CHART_DAYS = 3
STANDALONE_STYLE = (
    "<style>.axis{stroke:#a8a097}.line{stroke:#c2410c}.dot{fill:#c2410c}text{fill:#6b645c;font:11px system-ui,sans-serif}</style>"
)


@dataclass(frozen=True)
class PricePoint:
    day: date
    total_eur: Decimal  # the landed total when known, else the item price
    sample: bool = False  # a sample price (the offline demo's, never observed): its dot says so


# Condition classes, one line each: what a buyer tells apart when looking at a price history.
MINT_NM, VG_PLUS, VG_AND_BELOW, UNGRADED = "Mint/NM", "VG+", "VG and below", "Ungraded"
CONDITION_CLASSES = {
    "M": MINT_NM,
    "NM": MINT_NM,
    "new": MINT_NM,
    "VG+": VG_PLUS,
    **{code: VG_AND_BELOW for code in ("VG", "G+", "G", "F", "P")},
}
CLASS_ORDER = [MINT_NM, VG_PLUS, VG_AND_BELOW, UNGRADED]
# Each line is told apart by its dashes too, not by colour alone.
DASHES = {MINT_NM: "", VG_PLUS: "6 3", VG_AND_BELOW: "2 3", UNGRADED: "8 3 2 3"}


def condition_class(code):
    """ "NM" → "Mint/NM"; an unstated or "used" grade is ungraded."""
    return CONDITION_CLASSES.get(code or "", UNGRADED)


def lowest_per_day(observations):
    """(datetime or date, total[, sample]) → one PricePoint per day with that day's lowest total
    (and whether that price is a sample), oldest first."""
    lowest = {}
    for stamp, total, *sample in observations:
        day = stamp.date() if hasattr(stamp, "date") else stamp
        if day not in lowest or total < lowest[day].total_eur:
            lowest[day] = PricePoint(day, total, bool(sample and sample[0]))
    return [lowest[day] for day in sorted(lowest)]


def series_by_condition(observations):
    """(datetime, price, condition code[, sample]) → {condition class: lowest PricePoint per day},
    classes in CLASS_ORDER, only those observed."""
    grouped = {}
    for stamp, price, condition, *sample in observations:
        grouped.setdefault(condition_class(condition), []).append((stamp, price, *sample))
    return {name: lowest_per_day(grouped[name]) for name in CLASS_ORDER if name in grouped}


def observation_days(points):
    """The days with a price, oldest first, over PricePoints or {line name: PricePoints}."""
    series = points.values() if isinstance(points, dict) else [points]
    return sorted({p.day for line in series for p in line})


def daily_lowest(points):
    """Each day's lowest PricePoint across every line, oldest first: what a sentence says
    instead of a chart of too few days."""
    series = points.values() if isinstance(points, dict) else [points]
    return lowest_per_day((p.day, p.total_eur, p.sample) for line in series for p in line)


def price_history_svg(points, *, title, standalone=False, too_few="No price history yet", sample_note="sample"):
    """An accessible SVG line chart of `points`: PricePoints oldest first, or {line name: PricePoints}
    for one line per condition class (with a legend in its own band); a sample point's
    tooltip adds `sample_note`. With fewer than MIN_CHART_DAYS days it draws no chart, only the
    `too_few` sentence."""
    series = points if isinstance(points, dict) else {"": points}
    series = {name: line for name, line in series.items() if line}
    head = _svg_open(title, standalone)
    days = observation_days(series)
    if len(days) < MIN_CHART_DAYS:
        body = f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">{escape(too_few)}</text>'
        return head + body + "</svg>"
    every = [p for line in series.values() for p in line]
    has_legend = len(series) > 1 or "" not in series
    top = PAD_TOP + (LEGEND_BAND if has_legend else 0)
    lines = "".join(_series(line, name, days, every, top, sample_note) for name, line in series.items())
    legend = _legend(series) if has_legend else ""
    return head + _axes(every, days, top) + lines + legend + "</svg>"


def _svg_open(title, standalone):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="price-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'width="{WIDTH}" height="{HEIGHT}" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title>" + (STANDALONE_STYLE if standalone else "")
    )


def _bounds(points):
    low = min(p.total_eur for p in points)
    high = max(p.total_eur for p in points)
    if low == high:  # a flat series still needs a visible band
        low, high = low - 1, high + 1
    return low, high


def _x(index, count):
    span = WIDTH - PAD_LEFT - PAD_RIGHT
    return PAD_LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(value, low, high, top=PAD_TOP):
    span = HEIGHT - top - PAD_BOTTOM
    return top + span * float((high - value) / (high - low))


def _axes(points, days, top=PAD_TOP):
    low, high = _bounds(points)
    bottom = HEIGHT - PAD_BOTTOM
    return (
        f'<line class="axis" x1="{PAD_LEFT}" y1="{top}" x2="{PAD_LEFT}" y2="{bottom}" stroke-width="1"/>'
        f'<line class="axis" x1="{PAD_LEFT}" y1="{bottom}" x2="{WIDTH - PAD_RIGHT}" y2="{bottom}" stroke-width="1"/>'
        f'<text x="{PAD_LEFT - 4}" y="{top + 8}" text-anchor="end">{escape(whole_money(high))}</text>'
        f'<text x="{PAD_LEFT - 4}" y="{bottom}" text-anchor="end">{escape(whole_money(low))}</text>'
        f'<text x="{PAD_LEFT}" y="{HEIGHT - 6}">{escape(short_date(days[0]))}</text>'
        f'<text x="{WIDTH - PAD_RIGHT}" y="{HEIGHT - 6}" text-anchor="end">{escape(short_date(days[-1]))}</text>'
    )


def _series(points, name, days, every, top=PAD_TOP, sample_note="sample"):
    """One line, placed by day on the shared axis; its dots say the day, price and class."""
    low, high = _bounds(every)
    index = {day: i for i, day in enumerate(days)}
    coords = [(_x(index[p.day], len(days)), _y(p.total_eur, low, high, top)) for p in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    label = f" ({escape(name)})" if name else ""
    dots = "".join(
        f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(short_date(p.day))}: {escape(money(p.total_eur))}{label}'
        f"{', ' + escape(sample_note) if p.sample else ''}</title></circle>"
        for (x, y), p in zip(coords, points)
    )
    dash = f' stroke-dasharray="{DASHES[name]}"' if DASHES.get(name) else ""
    line = f'<polyline class="line" points="{path}" fill="none" stroke-width="2"{dash}/>' if len(points) > 1 else ""
    return line + dots


def _legend(series):
    """The line names along the top, in their own band above the plot, each after a sample of its dashes."""
    parts = []
    for i, name in enumerate(series):
        x = PAD_LEFT + 6 + i * 66
        dash = f' stroke-dasharray="{DASHES[name]}"' if DASHES.get(name) else ""
        parts.append(
            f'<line class="line" x1="{x}" y1="{PAD_TOP - 4}" x2="{x + 12}" y2="{PAD_TOP - 4}" stroke-width="2"{dash}/>'
            f'<text x="{x + 15}" y="{PAD_TOP}">{escape(name)}</text>'
        )
    return '<g class="legend">' + "".join(parts) + "</g>"
