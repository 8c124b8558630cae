"""The shipping table's one rule: what sending `items` records from a country to a destination costs.

The most specific ShippingRate row wins: the exact route, then the seller's own country for a
domestic parcel (SAME), then the seller's zone (EU) to the destination, then anywhere (*).
Heavier formats scale the cost by their weight class. Returns None when no row covers the
route: the shipping stays unknown rather than guessed.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from integrations.discogs import format_summary_is_vinyl
from integrations.ebay import EU_MEMBER_STATES

from .models import ShippingRate

CENT = Decimal("0.01")
EU = "EU"
ANYWHERE = "*"
SAME = "SAME"

# EU members (ISO 3166-1 alpha-2), for the zone rows of the table: the one list, which eBay's
# EU-seller filter reads too.
EU_MEMBERS = EU_MEMBER_STATES

# Weight classes: a double LP or a box weighs more than one LP (multipliers on the LP cost).
WEIGHT_CLASSES = {"LP": Decimal("1"), "2xLP": Decimal("1.3"), "box": Decimal("2")}


def weight_class(release):
    """The pressing's weight class from its Discogs formats: a box set (or three records and more)
    is "box", two records "2xLP", anything else (or nothing known) "LP"."""
    if release is None:
        return "LP"
    formats = release.formats or []
    if any(f.get("name") == "Box Set" or "Box Set" in (f.get("descriptions") or []) for f in formats):
        return "box"
    records = sum(_quantity(f) for f in formats if f.get("name") == "Vinyl")
    if not records:  # no format objects: Discogs' summary ("2xLP, Album") says the same
        return weight_class_of_summary(release.format_summary or "")
    return _by_records(records)


def weight_class_of_summary(summary):
    """The same rule read from Discogs' format words, as a summary or a marketplace listing's
    description gives them: '2xLP, Album' → 2xLP; 'Box Set, 4xLP' or '3x12"' → box; 'LP + 7"'
    (two vinyl parts) → 2xLP; anything else → LP."""
    if "Box Set" in summary:
        return "box"
    parts = [part.strip() for part in summary.split(" + ")]
    records = sum(_records(part) for part in parts if format_summary_is_vinyl(part))
    return _by_records(records or 1)


def _records(part):
    """'3x12", Album' → 3; 'LP, Album' → 1."""
    count = re.match(r"^(\d+)x", part)
    return int(count.group(1)) if count else 1


def _by_records(records):
    return "box" if records >= 3 else "2xLP" if records == 2 else "LP"


def _quantity(format_object):
    try:
        return max(int(format_object.get("qty") or 1), 1)
    except (TypeError, ValueError):
        return 1


def zones(country):
    """The table keys a country answers to, most specific first."""
    country = (country or "").upper()
    keys = [country] if country else []
    if country in EU_MEMBERS:
        keys.append(EU)
    return keys + [ANYWHERE]


def route_keys(ships_from, ships_to):
    """(from, to) keys to look up, most specific first."""
    ships_from, ships_to = (ships_from or "").upper(), (ships_to or "").upper()
    domestic = [(zone, SAME) for zone in zones(ships_from)] if ships_from and ships_from == ships_to else []
    exact = [(ships_from, ships_to)] if ships_from and ships_to else []
    wider = [(f, t) for f in zones(ships_from) for t in zones(ships_to) if (f, t) not in exact]
    return exact + domestic + wider


def rate_for(ships_from, ships_to, table=None):
    """The ShippingRate row for the route, or None. `table` maps (from, to) → row (for batches)."""
    if not ships_from or not ships_to:
        return None
    if table is None:
        table = load_table()
    for key in route_keys(ships_from, ships_to):
        if key in table:
            return table[key]
    return None


def load_table():
    return {(row.ships_from, row.ships_to): row for row in ShippingRate.objects.all()}


def estimate(ships_from, ships_to, items=1, weight_class="LP", table=None):
    """Estimated EUR cost of one parcel of `items` records on the route, or None when unknown."""
    rate = rate_for(ships_from, ships_to, table)
    if rate is None or items < 1:
        return None
    return _scaled(rate.first_item_eur + rate.additional_item_eur * (items - 1), weight_class)


def additional_item(ships_from, ships_to, weight_class="LP", table=None):
    """What one more record of this weight class adds to a parcel on the route, or None when
    no row covers it: the same row and scaling as `estimate`."""
    rate = rate_for(ships_from, ships_to, table)
    return None if rate is None else _scaled(rate.additional_item_eur, weight_class)


def _scaled(cost, weight_class):
    return (cost * WEIGHT_CLASSES.get(weight_class, Decimal("1"))).quantize(CENT, rounding=ROUND_HALF_UP)
