"""The cheapest basket, as a pure problem: pick one offer per album so the landed total is lowest.

Each offer belongs to a parcel (a seller whose items ship together; an offer that ships on its
own is a parcel of one) and carries its own shipping: what it costs as a parcel's first item
(its own landed shipping, the one its card shows) and as one more item (its weight class on its
route). A parcel costs each chosen item's additional shipping plus the largest first-minus-
additional of them (the heaviest item goes first), so a parcel of one costs exactly its item's
landed total, and a parcel of one weight class costs first + additional × (n - 1). Buying items
separately is always possible, so an additional item never costs more than a first one. Amounts
are integer cents, so totals are exact.

Up to EXACT_LIMIT albums the answer is exact: a mixed integer program (scipy's HiGHS through
`milp`), capped at EXACT_SECONDS (a whole Discogs wantlist of 250 albums and 40 sellers takes
about a second here: benchmarks/basket.py). Beyond it, or past the cap, a greedy local search that
starts from buying each album at its own cheapest offer and only takes moves that lower the
total, so it is never worse than buying separately; its distance from the optimum is bounded by
the LP relaxation of the same program (`lower_bound_cents`, `gap_bound`). No Django here: the
service in recommendations.basket builds the instance from quotes.
"""

import bisect
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

EXACT_LIMIT = 250  # albums: measured in benchmarks/basket.py (≤ 1.5 s at 250 albums, 40 sellers)
EXACT_SECONDS = 5.0  # HiGHS stops here; the greedy answer (with its bound) stands in
EXACT, GREEDY = "exact", "greedy"


@dataclass(frozen=True)
class Shipping:
    first_cents: int
    additional_cents: int

    @property
    def extra_cents(self):
        """What this item adds to a parcel that already ships (never more than shipping it alone)."""
        return min(self.additional_cents, self.first_cents)

    @property
    def lead_cents(self):
        """What going first in a parcel costs beyond going as an additional item."""
        return self.first_cents - self.extra_cents


@dataclass(frozen=True)
class Offer:
    album: int
    key: object  # what the caller needs to find the listing again (a quote id)
    parcel: str
    item_cents: int
    shipping: Shipping


@dataclass
class Basket:
    method: str
    chosen: dict = field(default_factory=dict)  # album → Offer
    total_cents: int = 0
    separate_cents: int = 0  # each album at its own cheapest offer, one parcel each
    unpriced: list = field(default_factory=list)  # albums without any offer
    lower_bound_cents: int = 0  # no basket is cheaper: the total itself when exact, else the LP bound

    @property
    def saving_cents(self):
        return self.separate_cents - self.total_cents

    @property
    def gap_bound(self):
        """At most this fraction dearer than the cheapest basket (0.0 when exact)."""
        if not self.lower_bound_cents:
            return 0.0
        return (self.total_cents - self.lower_bound_cents) / self.lower_bound_cents


def landed_alone(offer):
    """What buying this offer on its own costs: the item plus its first-item shipping."""
    return offer.item_cents + offer.shipping.first_cents


def parcel_shipping_cents(offers):
    """The shipping of one parcel of these offers: each one's additional cost, plus the largest
    lead (the item that goes first)."""
    offers = list(offers)
    if not offers:
        return 0
    return sum(o.shipping.extra_cents for o in offers) + max(o.shipping.lead_cents for o in offers)


def total_cents(chosen):
    """The landed total of a choice (album → Offer): items plus each parcel's shipping."""
    by_parcel = {}
    for offer in chosen.values():
        by_parcel.setdefault(offer.parcel, []).append(offer)
    items = sum(offer.item_cents for offer in chosen.values())
    return items + sum(parcel_shipping_cents(found) for found in by_parcel.values())


def solve(albums, offers, exact_limit=EXACT_LIMIT, seconds=EXACT_SECONDS):
    """The cheapest basket for `albums` from `offers`."""
    by_album = {album: [] for album in albums}
    for offer in offers:
        if offer.album in by_album:
            by_album[offer.album].append(offer)
    priced = {album: found for album, found in by_album.items() if found}
    separate = {album: min(found, key=landed_alone) for album, found in priced.items()}
    chosen = _exact(priced, seconds) if len(priced) <= exact_limit else None
    method = EXACT if chosen is not None else GREEDY
    if chosen is None:
        chosen = _greedy(priced, separate)
    total = total_cents(chosen)
    return Basket(
        method=method,
        chosen=chosen,
        total_cents=total,
        separate_cents=sum(landed_alone(offer) for offer in separate.values()),
        unpriced=[album for album in albums if album not in priced],
        lower_bound_cents=total if method == EXACT else lp_bound_cents(priced),
    )


def single_parcel(offers):
    """The cheapest choice of one offer per album from ONE parcel (album → Offer), exactly: the
    parcel costs Σ(item + extra) + the largest lead, so for each possible largest lead take each
    album's cheapest offer within it, and keep the cheapest of those choices."""
    best, best_cost = {}, None
    for ceiling in sorted({offer.shipping.lead_cents for offer in offers}):
        chosen = {}
        for offer in offers:
            if offer.shipping.lead_cents <= ceiling:
                held = chosen.get(offer.album)
                if held is None or _marginal(offer) < _marginal(held):
                    chosen[offer.album] = offer
        cost = total_cents(chosen)
        if len(chosen) == len({o.album for o in offers}) and (best_cost is None or cost < best_cost):
            best, best_cost = chosen, cost
    return best


def _marginal(offer):
    return offer.item_cents + offer.shipping.extra_cents


def _program(priced):
    """min Σ x·(item + extra) + Σ lead_p, one offer per album, and for each parcel p and album a
    lead_p ≥ Σ x·lead over p's offers of a (at most one of them is chosen, so this is the largest
    chosen lead; summed per album it is tighter in the LP relaxation than one row per offer)."""
    offers = [offer for found in priced.values() for offer in found]
    names = sorted({offer.parcel for offer in offers})
    column = {name: len(offers) + i for i, name in enumerate(names)}
    album_row = {album: r for r, album in enumerate(priced)}
    pair_row = {}
    for offer in offers:
        pair_row.setdefault((offer.parcel, offer.album), len(priced) + len(pair_row))
    cost = np.array([_marginal(o) for o in offers] + [1] * len(names), dtype=float)
    rows = lil_matrix((len(priced) + len(pair_row), len(offers) + len(names)))
    for i, offer in enumerate(offers):
        rows[album_row[offer.album], i] = 1  # exactly one offer per album
        row = pair_row[(offer.parcel, offer.album)]
        rows[row, i], rows[row, column[offer.parcel]] = offer.shipping.lead_cents, -1
    lower = [1] * len(priced) + [-np.inf] * len(pair_row)
    upper = [1] * len(priced) + [0] * len(pair_row)
    constraint = LinearConstraint(rows.tocsr(), lower, upper)
    bounds = Bounds(0, [1] * len(offers) + [np.inf] * len(names))
    return offers, cost, constraint, bounds


def _exact(priced, seconds=EXACT_SECONDS):
    """The optimal choice, or None when HiGHS does not prove one within `seconds`."""
    if not priced:
        return {}
    offers, cost, constraint, bounds = _program(priced)
    integral = np.array([1] * len(offers) + [0] * (len(cost) - len(offers)))
    result = milp(cost, constraints=constraint, integrality=integral, bounds=bounds, options={"time_limit": seconds})
    if result.status != 0:  # the time limit (1), or a failure: the greedy answer stands in
        return None
    return {offer.album: offer for offer, x in zip(offers, result.x) if x > 0.5}


def lp_bound_cents(priced):
    """A lower bound on the cheapest basket: the program's LP relaxation, rounded up to a cent."""
    if not priced:
        return 0
    offers, cost, constraint, bounds = _program(priced)
    result = milp(cost, constraints=constraint, integrality=np.zeros(len(cost)), bounds=bounds)
    return int(np.ceil(result.fun - 1e-6)) if result.status == 0 else 0


def _greedy(priced, separate):
    """Local search from the separate choice: move one album, or every album a parcel offers,
    to that parcel whenever it lowers the total; stop when no move does. A move is priced by
    the parcels it touches only (_Parcel keeps each one's extras and sorted leads)."""
    chosen = dict(separate)
    parcels = {}
    for found in priced.values():
        for offer in found:
            parcels.setdefault(offer.parcel, _Parcel())
    for offer in chosen.values():
        parcels[offer.parcel].add(offer)
    by_parcel = {}
    for found in priced.values():
        for offer in found:
            by_parcel.setdefault(offer.parcel, []).append(offer)
    moves = [move for move in _moves(by_parcel)]
    improved = True
    while improved:
        improved = False
        for candidate in moves:
            move = [offer for offer in candidate if chosen[offer.album] is not offer]
            if move and _delta(move, chosen, parcels) < 0:
                for offer in move:
                    parcels[chosen[offer.album].parcel].remove(chosen[offer.album])
                    parcels[offer.parcel].add(offer)
                    chosen[offer.album] = offer
                improved = True
    return chosen


class _Parcel:
    """The chosen offers of one parcel, as parcel_shipping_cents needs them: the sum of their
    extras, and their leads in order (the largest is paid)."""

    def __init__(self):
        self.extras, self.leads = 0, []

    def add(self, offer):
        self.extras += offer.shipping.extra_cents
        bisect.insort(self.leads, offer.shipping.lead_cents)

    def remove(self, offer):
        self.extras -= offer.shipping.extra_cents
        del self.leads[bisect.bisect_left(self.leads, offer.shipping.lead_cents)]

    @property
    def shipping(self):
        return self.extras + self.leads[-1] if self.leads else 0

    def shipping_after(self, removed, added):
        """The shipping with `removed` taken out and `added` put in (neither applied)."""
        if len(self.leads) - len(removed) + len(added) == 0:
            return 0
        extras = self.extras - sum(o.shipping.extra_cents for o in removed) + sum(o.shipping.extra_cents for o in added)
        skip = Counter(o.shipping.lead_cents for o in removed)
        kept = 0
        for lead in reversed(self.leads):  # the largest lead not taken out
            if skip[lead]:
                skip[lead] -= 1
                continue
            kept = lead
            break
        return extras + max([kept, *(o.shipping.lead_cents for o in added)])


def _delta(move, chosen, parcels):
    """What the total changes by when `move`'s offers replace the chosen ones of their albums."""
    removed, added = {}, {}
    for offer in move:
        removed.setdefault(chosen[offer.album].parcel, []).append(chosen[offer.album])
        added.setdefault(offer.parcel, []).append(offer)
    shipping = sum(
        parcels[name].shipping_after(removed.get(name, []), added.get(name, [])) - parcels[name].shipping
        for name in removed.keys() | added.keys()
    )
    return shipping + sum(offer.item_cents - chosen[offer.album].item_cents for offer in move)


def _moves(by_parcel):
    """Every whole-parcel move (the parcel's cheapest offer per album), then single offers."""
    for found in by_parcel.values():
        cheapest = {}
        for offer in sorted(found, key=_marginal, reverse=True):
            cheapest[offer.album] = offer
        yield list(cheapest.values())
    for found in by_parcel.values():
        for offer in found:
            yield [offer]
