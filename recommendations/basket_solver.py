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
`milp`). Beyond it, a greedy local search that starts from buying each album at its own cheapest
offer and only takes moves that lower the total, so it is never worse than buying separately.
No Django here: the service in recommendations.basket builds the instance from quotes.
"""
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

EXACT_LIMIT = 30
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

    @property
    def saving_cents(self):
        return self.separate_cents - self.total_cents


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


def solve(albums, offers, exact_limit=EXACT_LIMIT):
    """The cheapest basket for `albums` from `offers`."""
    by_album = {album: [] for album in albums}
    for offer in offers:
        if offer.album in by_album:
            by_album[offer.album].append(offer)
    priced = {album: found for album, found in by_album.items() if found}
    separate = {album: min(found, key=landed_alone) for album, found in priced.items()}
    method = EXACT if len(priced) <= exact_limit else GREEDY
    chosen = _exact(priced) if method == EXACT else _greedy(priced, separate)
    return Basket(
        method=method,
        chosen=chosen,
        total_cents=total_cents(chosen),
        separate_cents=sum(landed_alone(offer) for offer in separate.values()),
        unpriced=[album for album in albums if album not in priced],
    )


def _exact(priced):
    """min Σ x·(item + extra) + Σ lead_p, one offer per album, lead_p ≥ x·lead of each offer of p
    (x binary per offer, lead_p continuous per parcel: the largest lead among its chosen offers)."""
    offers = [offer for found in priced.values() for offer in found]
    if not offers:
        return {}
    names = sorted({offer.parcel for offer in offers})
    column = {name: len(offers) + i for i, name in enumerate(names)}
    n = len(offers) + len(names)
    cost = np.array([o.item_cents + o.shipping.extra_cents for o in offers] + [1] * len(names), dtype=float)
    album_row = {album: r for r, album in enumerate(priced)}
    rows = lil_matrix((len(priced) + len(offers), n))
    for i, offer in enumerate(offers):  # exactly one offer per album
        rows[album_row[offer.album], i] = 1
    for i, offer in enumerate(offers):  # the parcel's lead covers each chosen offer's lead
        rows[len(priced) + i, i], rows[len(priced) + i, column[offer.parcel]] = offer.shipping.lead_cents, -1
    lower = [1] * len(priced) + [-np.inf] * len(offers)
    upper = [1] * len(priced) + [0] * len(offers)
    integral = np.array([1] * len(offers) + [0] * len(names))
    result = milp(
        cost, constraints=LinearConstraint(rows.tocsr(), lower, upper), integrality=integral,
        bounds=Bounds(0, [1] * len(offers) + [np.inf] * len(names)),
    )
    if not result.success:
        raise RuntimeError(f"basket integer program failed: {result.message}")
    return {offer.album: offer for offer, x in zip(offers, result.x) if x > 0.5}


def _greedy(priced, separate):
    """Local search from the separate choice: move one album, or every album a parcel offers,
    to that parcel whenever it lowers the total; stop when no move does."""
    chosen = dict(separate)
    best = total_cents(chosen)
    by_parcel = {}
    for found in priced.values():
        for offer in found:
            by_parcel.setdefault(offer.parcel, []).append(offer)
    improved = True
    while improved:
        improved = False
        for moves in _moves(by_parcel):
            trial = {**chosen, **{offer.album: offer for offer in moves}}
            cost = total_cents(trial)
            if cost < best:
                chosen, best, improved = trial, cost, True
    return chosen


def _moves(by_parcel):
    """Every whole-parcel move (the parcel's cheapest offer per album), then single offers."""
    for found in by_parcel.values():
        cheapest = {}
        for offer in sorted(found, key=lambda o: o.item_cents + o.shipping.extra_cents, reverse=True):
            cheapest[offer.album] = offer
        yield list(cheapest.values())
    for found in by_parcel.values():
        for offer in found:
            yield [offer]
