"""Is this a good price? The deal score of a current landed offer (issue 24), one rule.

The usual price of an offer is the usual landed price of the same pressing (the same album when
the offer is on no pressing) in the same condition class, to the same destination:

1. **our observations**: the median landed total of the distinct offers (each store's offer
   counted once, at its newest observation; the offer being judged left out) observed in the
   last DEAL_WINDOW_DAYS days, when there are at least MIN_OBSERVATIONS of them. Every quote we
   keep is an observation (a newer one retires the older, pricing.offers, history kept). A
   sample quote (the offline demo's) is judged only against sample observations and a real
   one only against real ones: sample prices never feed a real pressing's usual price.
2. else **Discogs' price suggestion** for that condition (PriceSuggestion, read with the site's
   account by pricing.suggestions), which is an item price: the usual landed price is the
   suggestion plus this offer's own shipping. Real offers on a pressing only.
3. else **none**: no level, and the page says so ("no usual price yet").

The offer's difference is its landed total minus the usual price, in euros and per cent of
the usual price. Its level, by that per cent:

    excellent   25 % or more under the usual price
    good        10 % to 25 % under
    fair        within 10 % either side
    high        10 % or more over

The condition class is the media grade (Discogs' scale; "new" counts as mint); an ungraded
"used" copy and a copy whose condition is not stated are classes of their own, judged only
against their like (Discogs suggests prices for grades only).
"""

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from .formats import money
from .models import PriceQuote, PriceSuggestion

DEAL_WINDOW_DAYS = 180
MIN_OBSERVATIONS = 3
# The levels' bounds, in per cent of the usual price (the table in the module's docstring).
EXCELLENT_UNDER, GOOD_UNDER, HIGH_OVER = 25, 10, 10
LEVELS = ("excellent", "good", "fair", "high")  # best first
LEVEL_LABELS = {
    "excellent": gettext_lazy("Excellent deal"),
    "good": gettext_lazy("Good deal"),
    "fair": gettext_lazy("Fair price"),
    "high": gettext_lazy("High price"),
}
LEVEL_CHOICES = [(level, LEVEL_LABELS[level]) for level in LEVELS]
OBSERVATIONS, DISCOGS = "our observations", "Discogs price suggestion"
CENT = Decimal("0.01")
Condition = PriceQuote.Condition


def level_of(difference_pct):
    """The level of an offer `difference_pct` per cent over (negative: under) its usual price.
    Exactly 25 % under is excellent, exactly 10 % under good, exactly 10 % over high."""
    if difference_pct <= -EXCELLENT_UNDER:
        return "excellent"
    if difference_pct <= -GOOD_UNDER:
        return "good"
    return "fair" if difference_pct < HIGH_OVER else "high"


def at_least(level, floor):
    """Whether `level` is `floor` or better ("good" is at least "fair")."""
    return level in LEVELS and LEVELS.index(level) <= LEVELS.index(floor)


def condition_class(code):
    return Condition.MINT if code == Condition.NEW else code


@dataclass(frozen=True)
class Deal:
    level: str
    usual_eur: Decimal
    difference_eur: Decimal
    difference_pct: int  # rounded half away from zero; the level is decided on the exact figure
    basis: str  # OBSERVATIONS or DISCOGS
    observations: int  # how many offers the median is of (0 on Discogs' suggestion)
    condition: str  # the condition class judged in
    pressing: bool  # False: judged against the album's offers (the offer is on no pressing)
    sample: bool  # a sample offer judged against sample observations

    @property
    def label(self):
        return LEVEL_LABELS[self.level]

    @property
    def sentence(self):
        """ "32% under the usual €41.00 for a VG+ copy of this pressing" in the reader's words."""
        values = {
            "pct": abs(self.difference_pct),
            "usual": money(self.usual_eur),
            "copy": copy_words(self.condition, self.pressing),
        }
        if self.difference_pct < 0:
            return _("%(pct)s%% under the usual %(usual)s for %(copy)s") % values
        if self.difference_pct > 0:
            return _("%(pct)s%% over the usual %(usual)s for %(copy)s") % values
        return _("at the usual %(usual)s for %(copy)s") % values

    @property
    def basis_text(self):
        if self.basis == DISCOGS:
            return _("Discogs' price suggestion plus this offer's shipping")
        values = {"count": self.observations, "days": DEAL_WINDOW_DAYS}
        if self.sample:  # a sample was never seen: it says so, and what it was judged against
            words = (
                ngettext(
                    "median of %(count)s sample offer of the last %(days)s days",
                    "median of %(count)s sample offers of the last %(days)s days",
                    self.observations,
                )
                % values
            )
            return f"{words}; {_('sample prices, judged against sample prices only')}"
        return (
            ngettext(
                "median of %(count)s offer seen in the last %(days)s days",
                "median of %(count)s offers seen in the last %(days)s days",
                self.observations,
            )
            % values
        )


def copy_words(condition, pressing):
    """ "a VG+ copy of this pressing", "a used, ungraded copy of this album"…"""
    if condition == Condition.USED:
        return _("a used, ungraded copy of this pressing") if pressing else _("a used, ungraded copy of this album")
    if not condition:
        return _("a copy of this pressing in unstated condition") if pressing else _("a copy of this album in unstated condition")
    if pressing:
        return _("a %(condition)s copy of this pressing") % {"condition": condition}
    return _("a %(condition)s copy of this album") % {"condition": condition}


def deal_of(quote, usual, basis, observations):
    """The Deal of a landed quote against a usual landed price, or None without one."""
    if usual is None or usual <= 0 or quote.total_eur is None:
        return None
    usual = usual.quantize(CENT, ROUND_HALF_UP)
    difference = quote.total_eur - usual
    exact_pct = difference * 100 / usual
    return Deal(
        level=level_of(exact_pct),
        usual_eur=usual,
        difference_eur=difference,
        difference_pct=int(exact_pct.quantize(Decimal(1), ROUND_HALF_UP)),
        basis=basis,
        observations=observations,
        condition=condition_class(quote.condition),
        pressing=quote.release_id is not None,
        sample=quote.sample,
    )


def deals_for(quotes, now=None):
    """quote pk → its Deal or None, for landed quotes (an item-only one is never judged: it has
    no landed total), in two queries whatever their number."""
    quotes = [quote for quote in quotes if quote.total_eur is not None]
    if not quotes:
        return {}
    now = now or timezone.now()
    seen = _observations(quotes, now)
    suggested = _suggestions(quotes, now)
    ranked = {}  # key → its totals sorted, once for all the quotes that share it
    return {quote.pk: _judged(quote, seen, ranked, suggested) for quote in quotes}


def _scope(quote):
    return ("release", quote.release_id) if quote.release_id else ("album", quote.album_id)


def _judged(quote, seen, ranked, suggested):
    key = (_scope(quote), quote.ships_to, condition_class(quote.condition), quote.sample)
    offers = seen.get(key, {})
    if key not in ranked:
        ranked[key] = sorted(total for _, total in offers.values())
    own = offers.get((quote.store_id, quote.offer_key))
    count = len(ranked[key]) - (own is not None)
    if count >= MIN_OBSERVATIONS:
        return deal_of(quote, _median_without(ranked[key], None if own is None else own[1]), OBSERVATIONS, count)
    suggestion = None if quote.sample else suggested.get((quote.release_id, condition_class(quote.condition)))
    if suggestion is not None and quote.shipping_eur is not None:
        return deal_of(quote, suggestion + quote.shipping_eur, DISCOGS, 0)
    return None


def _median_without(totals, left_out):
    """The median of sorted `totals` with one occurrence of `left_out` removed (None: none), in
    constant time: the page and the API judge hundreds of offers against the same history."""
    skip = len(totals) if left_out is None else bisect_left(totals, left_out)
    count = len(totals) - (left_out is not None)

    def at(index):
        return totals[index if index < skip else index + 1]

    middle = count // 2
    return Decimal(at(middle) if count % 2 else (at(middle - 1) + at(middle)) / 2)


def _observations(quotes, now):
    """(scope, destination, condition class, sample) → {(store, offer key): (order observed,
    landed total)} over the window, each observation counted for its pressing and its album, an
    offer seen several times at its newest (the rows come oldest first)."""
    rows = (
        PriceQuote.objects.filter(
            _history_of(quotes),
            total_eur__isnull=False,
            fetched_at__gte=now - timedelta(days=DEAL_WINDOW_DAYS),
            fetched_at__lte=now,
        )
        .order_by("fetched_at", "pk")
        .values_list("album_id", "release_id", "store_id", "offer_key", "ships_to", "condition", "sample", "total_eur")
    )
    seen = defaultdict(dict)
    for order, (album_id, release_id, store_id, offer_key, ships_to, condition, sample, total) in enumerate(rows):
        grade = condition_class(condition)
        seen[(("album", album_id), ships_to, grade, sample)][(store_id, offer_key)] = (order, total)
        if release_id:
            seen[(("release", release_id), ships_to, grade, sample)][(store_id, offer_key)] = (order, total)
    return seen


def _history_of(quotes):
    """Which rows can judge `quotes`: an offer on a pressing needs only that pressing's history
    (its index), one on no pressing (or a probe without one) its album's; only their
    destinations, and their condition classes and sample flags when every one has them."""
    pressings = {q.release_id for q in quotes if getattr(q, "release_id", None)}
    albums = {q.album_id for q in quotes if not getattr(q, "release_id", None)}
    rows = (Q(release_id__in=pressings) | Q(album_id__in=albums)) & Q(ships_to__in={q.ships_to for q in quotes})
    grades = {condition_class(q.condition) for q in quotes if getattr(q, "condition", None) is not None}
    if len(grades) and all(getattr(q, "condition", None) is not None for q in quotes):
        rows &= Q(condition__in=grades | ({Condition.NEW} if Condition.MINT in grades else set()))
    if all(getattr(q, "sample", None) is not None for q in quotes):
        rows &= Q(sample__in={q.sample for q in quotes})
    return rows


def _suggestions(quotes, now):
    """(pressing, condition) → Discogs' suggested item price in EUR, fresh within the window."""
    release_ids = {q.release_id for q in quotes if q.release_id and not q.sample}
    rows = PriceSuggestion.objects.filter(release_id__in=release_ids, fetched_at__gte=now - timedelta(days=DEAL_WINDOW_DAYS))
    return {
        (release_id, condition): item for release_id, condition, item in rows.values_list("release_id", "condition", "item_eur")
    }


def attach_deals(quotes, now=None):
    """Give each quote a `deal` (a Deal or None) and `deal_judged` (a landed offer: one
    without a deal then has no usual price yet, which the page says) and return them."""
    deals = deals_for(quotes, now)
    for quote in quotes:
        quote.deal, quote.deal_judged = deals.get(quote.pk), quote.total_eur is not None
    return quotes


def by_deal(quotes):
    """Quotes with a `deal` (attach_deals), the best deals first (furthest under their usual
    price), then those without a usual price, each part cheapest first."""

    def order(quote):
        deal = quote.deal
        price = (quote.total_eur is None, quote.total_eur if quote.total_eur is not None else quote.item_eur)
        return (deal is None, deal.difference_pct if deal else 0, *price)

    return sorted(quotes, key=order)
