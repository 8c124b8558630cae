"""Server-rendered SVG price-history charts: no JavaScript, no chart library.

Pure Python on purpose (no Django imports): a chart is a function of its points, so it is
tested fast. Colours come from `currentColor` and CSS classes, so an inline chart follows
the site's light/dark theme; a standalone chart (served as image/svg+xml) gets its own
neutral colours from the embedded style.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 320, 120
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 46, 10, 10, 22
STANDALONE_STYLE = (
    "<style>.axis{stroke:#a8a097}.line{stroke:#c2410c}.dot{fill:#c2410c}"
    "text{fill:#6b645c;font:11px system-ui,sans-serif}</style>"
)


@dataclass(frozen=True)
class PricePoint:
    day: date
    total_eur: Decimal


def lowest_per_day(observations):
    """(datetime or date, total) pairs → one PricePoint per day with that day's lowest total, oldest first."""
    lowest = {}
    for stamp, total in observations:
        day = stamp.date() if hasattr(stamp, "date") else stamp
        if day not in lowest or total < lowest[day]:
            lowest[day] = total
    return [PricePoint(day, total) for day, total in sorted(lowest.items())]


def price_history_svg(points, *, title, standalone=False):
    """An accessible SVG line chart of `points` (PricePoints, oldest first)."""
    head = _svg_open(title, standalone)
    if not points:
        body = f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">No price history yet</text>'
        return head + body + "</svg>"
    return head + _axes(points) + _series(points) + "</svg>"


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


def _y(value, low, high):
    span = HEIGHT - PAD_TOP - PAD_BOTTOM
    return PAD_TOP + span * float((high - value) / (high - low))


def _axes(points):
    low, high = _bounds(points)
    bottom = HEIGHT - PAD_BOTTOM
    return (
        f'<line class="axis" x1="{PAD_LEFT}" y1="{PAD_TOP}" x2="{PAD_LEFT}" y2="{bottom}" stroke-width="1"/>'
        f'<line class="axis" x1="{PAD_LEFT}" y1="{bottom}" x2="{WIDTH - PAD_RIGHT}" y2="{bottom}" stroke-width="1"/>'
        f'<text x="{PAD_LEFT - 4}" y="{PAD_TOP + 8}" text-anchor="end">€{high:.0f}</text>'
        f'<text x="{PAD_LEFT - 4}" y="{bottom}" text-anchor="end">€{low:.0f}</text>'
        f'<text x="{PAD_LEFT}" y="{HEIGHT - 6}">{points[0].day.isoformat()}</text>'
        f'<text x="{WIDTH - PAD_RIGHT}" y="{HEIGHT - 6}" text-anchor="end">{points[-1].day.isoformat()}</text>'
    )


def _series(points):
    low, high = _bounds(points)
    coords = [(_x(i, len(points)), _y(p.total_eur, low, high)) for i, p in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(
        f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{p.day.isoformat()}: €{p.total_eur}</title></circle>'
        for (x, y), p in zip(coords, points)
    )
    line = f'<polyline class="line" points="{path}" fill="none" stroke-width="2"/>' if len(points) > 1 else ""
    return line + dots
