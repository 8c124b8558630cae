"""The cheapest basket, as a pure problem: pick one offer per album so the landed total is lowest.

Each offer belongs to a parcel (a seller whose items ship together; an offer that ships on its
own is a parcel of one). A parcel of n items costs its first-item shipping plus n - 1 times its
additional-item shipping; buying items separately is always possible, so an additional item
never costs more than a first one. Amounts are integer cents, so totals are exact.

Up to EXACT_LIMIT albums the answer is exact: a 0-1 integer program (scipy's HiGHS through
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
class Offer:
    album: int
    key: object  # what the caller needs to find the listing again (a quote id)
    parcel: str
    item_cents: int


@dataclass(frozen=True)
class Parcel:
    first_cents: int
    additional_cents: int

    @property
    def extra_cents(self):
        """What one more item in this parcel adds (never more than a parcel of its own)."""
        return min(self.additional_cents, self.first_cents)


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


def landed_alone(offer, parcels):
    """What buying this offer on its own costs: the item plus a first-item shipping."""
    return offer.item_cents + parcels[offer.parcel].first_cents


def total_cents(chosen, parcels):
    """The landed total of a choice (album → Offer): items plus one shipping per parcel."""
    items = sum(offer.item_cents for offer in chosen.values())
    counts = {}
    for offer in chosen.values():
        counts[offer.parcel] = counts.get(offer.parcel, 0) + 1
    shipping = sum(parcels[p].first_cents + parcels[p].extra_cents * (n - 1) for p, n in counts.items())
    return items + shipping


def solve(albums, offers, parcels, exact_limit=EXACT_LIMIT):
    """The cheapest basket for `albums` from `offers` (each naming a parcel of `parcels`)."""
    by_album = {album: [] for album in albums}
    for offer in offers:
        if offer.album in by_album:
            by_album[offer.album].append(offer)
    priced = {album: found for album, found in by_album.items() if found}
    separate = {album: min(found, key=lambda o: landed_alone(o, parcels)) for album, found in priced.items()}
    method = EXACT if len(priced) <= exact_limit else GREEDY
    chosen = _exact(priced, parcels) if method == EXACT else _greedy(priced, parcels, separate)
    return Basket(
        method=method,
        chosen=chosen,
        total_cents=total_cents(chosen, parcels),
        separate_cents=sum(landed_alone(offer, parcels) for offer in separate.values()),
        unpriced=[album for album in albums if album not in priced],
    )


def _exact(priced, parcels):
    """min Σ x·(item + extra) + Σ y·(first − extra) with one offer per album and x ≤ y."""
    offers = [offer for found in priced.values() for offer in found]
    if not offers:
        return {}
    names = sorted({offer.parcel for offer in offers})
    column = {name: len(offers) + i for i, name in enumerate(names)}
    n = len(offers) + len(names)
    cost = np.array(
        [o.item_cents + parcels[o.parcel].extra_cents for o in offers]
        + [parcels[name].first_cents - parcels[name].extra_cents for name in names],
        dtype=float,
    )
    album_row = {album: r for r, album in enumerate(priced)}
    rows = lil_matrix((len(priced) + len(offers), n))
    for i, offer in enumerate(offers):  # exactly one offer per album
        rows[album_row[offer.album], i] = 1
    for i, offer in enumerate(offers):  # an offer only from a parcel that is paid for
        rows[len(priced) + i, i], rows[len(priced) + i, column[offer.parcel]] = 1, -1
    lower = [1] * len(priced) + [-np.inf] * len(offers)
    upper = [1] * len(priced) + [0] * len(offers)
    result = milp(
        cost, constraints=LinearConstraint(rows.tocsr(), lower, upper), integrality=np.ones(n), bounds=Bounds(0, 1)
    )
    if not result.success:
        raise RuntimeError(f"basket integer program failed: {result.message}")
    return {offer.album: offer for offer, x in zip(offers, result.x) if x > 0.5}


def _greedy(priced, parcels, separate):
    """Local search from the separate choice: move one album, or every album a parcel offers,
    to that parcel whenever it lowers the total; stop when no move does."""
    chosen = dict(separate)
    best = total_cents(chosen, parcels)
    by_parcel = {}
    for found in priced.values():
        for offer in found:
            by_parcel.setdefault(offer.parcel, []).append(offer)
    improved = True
    while improved:
        improved = False
        for moves in _moves(by_parcel):
            trial = {**chosen, **{offer.album: offer for offer in moves}}
            cost = total_cents(trial, parcels)
            if cost < best:
                chosen, best, improved = trial, cost, True
    return chosen


def _moves(by_parcel):
    """Every whole-parcel move (the parcel's cheapest offer per album), then single offers."""
    for found in by_parcel.values():
        cheapest = {}
        for offer in sorted(found, key=lambda o: o.item_cents, reverse=True):
            cheapest[offer.album] = offer
        yield list(cheapest.values())
    for found in by_parcel.values():
        for offer in found:
            yield [offer]
