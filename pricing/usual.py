"""The usual price of a pressing that is not an offer (a record someone owns, for the collection
value): the deal score's rule (pricing.deals: the median of the distinct offers of the same
pressing in the same condition class, to one country, seen in its window, at least its minimum
number), read through that module's own observation query so there is one rule, not two.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.utils import timezone

from .deals import CENT, MIN_OBSERVATIONS, _observations, condition_class


@dataclass(frozen=True)
class Usual:
    """The usual landed price of a pressing (in a condition class, or in any when `condition` is
    ""), by the deal score's first basis, for what is not an offer (a record someone owns)."""

    eur: Decimal
    observations: int
    sample: bool  # from sample observations: there were too few real ones


def usual_prices(pressings, country, now=None):
    """(release id, condition) → Usual or None, for `pressings`, an iterable of (release id, album
    id, condition code or ""), to `country`: the median of the distinct offers of that pressing
    in that condition class seen in the window, at least MIN_OBSERVATIONS of them; with no
    condition, of its offers in every condition. Real observations first; sample ones only when
    the real ones are too few, and marked so. Discogs' suggestion is not used: it is an item
    price, and a record owned has no shipping of its own to add."""
    pressings = list(pressings)
    probes = [_Probe(album_id, country.upper()) for _, album_id, _ in pressings if album_id is not None]
    seen = _observations(probes, now or timezone.now()) if probes else {}
    by_pressing = defaultdict(list)  # (release id, sample) → [(condition class, offers)] to `country`
    for (scope, ships_to, grade, sample), offers in seen.items():
        if scope[0] == "release" and ships_to == country.upper():
            by_pressing[(scope[1], sample)].append((grade, offers))
    return {(release_id, condition): _usual(by_pressing, release_id, condition) for release_id, _, condition in pressings}


@dataclass(frozen=True)
class _Probe:  # what _observations reads of a quote
    album_id: int
    ships_to: str


def _usual(by_pressing, release_id, condition):
    for sample in (False, True):
        offers = {}
        for grade, found in by_pressing.get((release_id, sample), ()):
            if not condition or grade == condition_class(condition):
                offers.update(found)
        totals = [total for _, total in offers.values()]
        if len(totals) >= MIN_OBSERVATIONS:
            return Usual(Decimal(median(totals)).quantize(CENT, ROUND_HALF_UP), len(totals), sample)
    return None
