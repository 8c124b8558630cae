"""The pressing guide (issue 23): which copy of an album to buy, as a handful of labelled picks.

Each pick is a pressing with a one-sentence reason made only of facts we hold (its edition and
why, its Discogs rating and votes, its wants, its credits and notes, its landed price) and its
cheapest landed offer to the reader's door under their buying filters, or an honest "no price
known". The kinds:

- original: the pressing catalog.editions marked original with the most confidence;
- best_rated: the highest Discogs rating among pressings with at least MIN_VOTES votes;
- best_value: the most rating (else wants) per euro among pressings with a landed price;
- cheapest_at_condition: the cheapest landed offer at the reader's minimum condition;
- audiophile: the pressing whose credits or notes say most about how it was cut (analogue
  tapes, half-speed, AAA, a named mastering or cutting engineer, heavy vinyl), when one does;
- most_wanted: the pressing most Discogs users want, only when the others leave fewer than two.

Three queries whatever the number of pressings: the album's pressings (their facts, as plain
values), the cheapest passing offer of each (ranked in SQL, read as values), and the picks'
offers in full. The reader's suggested pressing on a card is
the guide's best value pick, else its cheapest, else its original (`suggested`).
"""

import hashlib
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Case, F, JSONField, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.translation import get_language, gettext as _, gettext_lazy, ngettext

from catalog.models import Edition, Release

from . import describe, formats
from .filters import BuyingFilters, filter_quotes
from .models import PriceQuote

MIN_VOTES = 10  # fewer votes than this say little about a pressing
KINDS = ("original", "best_rated", "best_value", "cheapest_at_condition", "audiophile", "most_wanted")
LABELS = {
    "original": gettext_lazy("The original"),
    "best_rated": gettext_lazy("Best rated"),
    "best_value": gettext_lazy("Best value"),
    "cheapest_at_condition": gettext_lazy("Cheapest at your condition"),
    "audiophile": gettext_lazy("The audiophile pick"),
    "most_wanted": gettext_lazy("Most wanted"),  # a card's suggestion when nothing else is known
}
FACTS = (
    "pk",
    "album_id",
    "discogs_id",
    "country",
    "year",
    "label",
    "catalog_number",
    "descriptions",
    "format_summary",
    "rating_average",
    "rating_count",
    "have",
    "want",
    "weight_grams",
    "credits",
    "note_flags",
    "edition",
    "edition_reason",
    "edition_confidence",
    "released",
)
CUT_ROLES = ("lacquer cut", "cut by", "mastered by", "remastered by")


@dataclass
class Pick:
    kind: str
    release: "Pressing"
    why: str
    offer: "Offer | None" = None
    quote: PriceQuote | None = None  # the offer in full (with_quotes)
    price: str = ""  # the landed price as a sentence, or "no price known"

    @property
    def label(self):
        return LABELS[self.kind]

    @property
    def name(self):
        return pressing_name(self.release)


@dataclass
class Guide:
    album_id: int
    pressings: int
    picks: list = field(default_factory=list)

    def pick(self, kind):
        return next((p for p in self.picks if p.kind == kind), None)


class Pressing:
    """A pressing as the guide reads it: its FACTS as plain values (an album of 2,000 pressings
    costs tuples, not model instances)."""

    __slots__ = FACTS

    def __init__(self, row):
        for name, value in zip(FACTS, row):
            setattr(self, name, value)

    @property
    def discogs_url(self):
        return f"https://www.discogs.com/release/{self.discogs_id}"


class Offer(NamedTuple):
    total_eur: Decimal
    pk: int  # the PriceQuote, loaded whole only for the picks (with_quotes)
    sample: bool = False

    @property
    def money(self):
        """ "€17.50", or "€17.50 (sample price, not a live offer)": a sample says so where it is stated."""
        return describe.basket_item(self.total_eur, self.sample)


JSON_FACTS = ("descriptions", "credits", "note_flags")


def _read(name):
    """A JSON fact as NULL when it is the empty list (most pressings): decoding thousands of
    "[]" cost more than the rest of the guide on an album of 2,000 pressings."""
    if name not in JSON_FACTS:
        return name
    return Case(When(**{name: []}, then=Value(None)), default=F(name), output_field=JSONField())


def pressings_of(queryset):
    return [Pressing(row) for row in queryset.order_by("year", "discogs_id").values_list(*map(_read, FACTS))]


def build_guide(album_id, filters: BuyingFilters) -> Guide:
    """The album's guide in three queries whatever its size: its pressings' facts, each
    pressing's cheapest passing offer, and the picks' offers in full."""
    pressings = pressings_of(Release.objects.filter(album_id=album_id, is_official=True))
    guide = guide_for(album_id, pressings, cheapest_offers(album_id, filters), filters)
    return with_quotes([guide], filters)[0]


GUIDE_TTL = 600  # seconds; a new price or pressing changes the key before that


def cached_guide(album, filters: BuyingFilters) -> Guide:
    """build_guide for a page, kept in the cache under what it is made of: the album's prices
    and pressings (their stamps), the reader's filters and language. A repeat view of an album
    of 2,000 pressings then costs the page nothing (benchmarks/pressing_guide.py)."""
    parts = (album.pk, album.prices_changed_at, album.releases_refreshed_at, album.all_versions_read_at, filters, get_language())
    key = "guide:v1:" + hashlib.sha1(repr(parts).encode()).hexdigest()
    guide = cache.get(key)
    if guide is None:
        guide = build_guide(album.pk, filters)
        cache.set(key, guide, GUIDE_TTL)
    return guide


def with_quotes(guides, filters):
    """Give the guides' picks their offers in full (store included) and price sentences: one query."""
    pks = [pick.offer.pk for guide in guides for pick in guide.picks if pick.offer is not None]
    quotes = PriceQuote.objects.select_related("store").in_bulk(pks) if pks else {}
    for guide in guides:
        for pick in guide.picks:
            pick.quote = quotes.get(pick.offer.pk) if pick.offer is not None else None
            pick.price = price_sentence(pick.quote, filters.country)
    return guides


def cheapest_offers(album_ids, filters):
    """release id → its cheapest current landed offer passing the reader's filters, for one
    album (an id) or several (a list)."""
    albums = Q(album_id__in=album_ids) if isinstance(album_ids, list) else Q(album_id=album_ids)
    rank = Window(
        RowNumber(), partition_by=[F("release_id")], order_by=[F("total_eur").asc(), F("fetched_at").desc(), F("pk").asc()]
    )
    quotes = filter_quotes(PriceQuote.objects.filter(albums, release__isnull=False), filters).annotate(rank_in_release=rank)
    rows = quotes.filter(rank_in_release=1).values_list("release_id", "total_eur", "pk", "sample")
    return {release_id: Offer(total, pk, sample) for release_id, total, pk, sample in rows}


def guide_for(album_id, pressings, offers, filters, kinds=KINDS):
    guide = Guide(album_id=album_id, pressings=len(pressings))
    for kind, chooser in CHOOSERS.items():
        if kind not in kinds:
            continue
        chosen = chooser(pressings, offers, filters)
        if kind == "most_wanted" and len(guide.picks) >= 2:
            chosen = None  # only where the other picks leave the guide thin
        if chosen is not None:
            release, why = chosen
            guide.picks.append(Pick(kind, release, why, offer=offers.get(release.pk)))
    return guide


def price_sentence(quote, destination):
    if quote is None:
        return _("No landed price known for this pressing.")
    return describe.price(quote, destination)


def pressing_name(p):
    """ "UK 1973, Harvest SHVL 804": what a buyer reads on the sleeve and the label."""
    where = " ".join(str(x) for x in (p.country, p.year) if x)
    label = " ".join(x for x in ((p.label or "").split(",")[0].strip(), (p.catalog_number or "").split(",")[0].strip()) if x)
    return ", ".join(x for x in (where, label) if x)


def rating_words(p):
    if not p.rating_average or not p.rating_count:
        return ""
    return _("rated %(rating)s by %(votes)s") % {
        "rating": formats.number(p.rating_average, 1),
        "votes": formats.number(p.rating_count),
    }


def _sentence(*parts):
    text = ", ".join(part for part in parts if part)
    return text[:1].upper() + text[1:] + "."


# --- the choosers: (release, why) or None ----------------------------------------------------


def choose_original(pressings, offers, filters):
    originals = [p for p in pressings if p.edition == Edition.ORIGINAL]
    if not originals:
        return None
    best = max(originals, key=lambda p: (p.edition_confidence or 0, -(p.year or 0), p.have or 0, -p.discogs_id))
    reason = (best.edition_reason or "").rstrip(".")
    reason = reason[:1].lower() + reason[1:]
    if reason:
        what = _("%(pressing)s original: %(reason)s") % {"pressing": pressing_name(best), "reason": reason}
    else:
        what = _("%(pressing)s original") % {"pressing": pressing_name(best)}
    return best, _sentence(what, rating_words(best))


def choose_best_rated(pressings, offers, filters):
    rated = [p for p in pressings if p.rating_average and (p.rating_count or 0) >= MIN_VOTES]
    if len(rated) < 2:  # a superlative needs something to compare
        return None
    best = max(rated, key=lambda p: (p.rating_average, p.rating_count, -p.discogs_id))
    why = ngettext(
        "%(pressing)s, %(rating)s: the highest rating of the %(count)s pressing with at least %(min)s votes",
        "%(pressing)s, %(rating)s: the highest rating of the %(count)s pressings with at least %(min)s votes",
        len(rated),
    ) % {
        "pressing": pressing_name(best),
        "rating": rating_words(best),
        "count": len(rated),
        "min": MIN_VOTES,
    }
    return best, _sentence(why)


def choose_best_value(pressings, offers, filters):
    priced = [p for p in pressings if p.pk in offers]
    rated = [p for p in priced if p.rating_average and (p.rating_count or 0) >= MIN_VOTES]
    if rated:
        best = max(rated, key=lambda p: (p.rating_average / float(offers[p.pk].total_eur), -p.discogs_id))
        why = ngettext(
            "%(pressing)s, %(rating)s for %(price)s: the most rating for the money of the %(count)s priced pressing with enough votes",
            "%(pressing)s, %(rating)s for %(price)s: the most rating for the money of the %(count)s priced pressings with enough votes",
            len(rated),
        ) % {
            "pressing": pressing_name(best),
            "rating": rating_words(best),
            "price": offers[best.pk].money,
            "count": len(rated),
        }
        return best, _sentence(why)
    wanted = [p for p in priced if p.want]
    if not wanted:
        return None
    best = max(wanted, key=lambda p: (math.log1p(p.want) / float(offers[p.pk].total_eur), -p.discogs_id))
    why = ngettext(
        "%(pressing)s, wanted by %(want)s on Discogs, for %(price)s: the most demand for the money of the %(count)s priced pressing",
        "%(pressing)s, wanted by %(want)s on Discogs, for %(price)s: the most demand for the money of the %(count)s priced pressings",
        len(wanted),
    ) % {
        "pressing": pressing_name(best),
        "want": formats.number(best.want),
        "price": offers[best.pk].money,
        "count": len(wanted),
    }
    return best, _sentence(why)


def choose_cheapest(pressings, offers, filters):
    priced = [p for p in pressings if p.pk in offers]
    if not priced:
        return None
    best = min(priced, key=lambda p: (offers[p.pk].total_eur, -(p.want or 0), p.discogs_id))
    facts = {"pressing": pressing_name(best), "count": len(priced), "condition": filters.min_condition}
    if filters.min_condition:
        why = (
            ngettext(
                "%(pressing)s: the cheapest landed offer at %(condition)s or better of the %(count)s pressing with one",
                "%(pressing)s: the cheapest landed offer at %(condition)s or better of the %(count)s pressings with one",
                len(priced),
            )
            % facts
        )
    else:
        why = (
            ngettext(
                "%(pressing)s: the cheapest landed offer, any condition, of the %(count)s pressing with one",
                "%(pressing)s: the cheapest landed offer, any condition, of the %(count)s pressings with one",
                len(priced),
            )
            % facts
        )
    return best, _sentence(why)


AUDIOPHILE_FLAGS = (
    ("half_speed", gettext_lazy("half-speed mastered"), 3),
    ("aaa", gettext_lazy("all-analogue (AAA)"), 3),
    ("analogue", gettext_lazy("cut from the original analogue tapes"), 2),
)


def audiophile_points(p, words=False):
    """What the credits and notes say of how it was cut; (points, the words in order when asked)."""
    if not (p.note_flags or p.credits or (p.weight_grams or 0) >= 180):
        return 0, []  # most pressings: nothing to say, nothing to read
    flags, said, points = set(p.note_flags or ()), [], 0
    for flag, text, worth in AUDIOPHILE_FLAGS:
        if flag in flags:
            said.append(str(text) if words else "")
            points += worth
    cutter = next((c for c in p.credits or () if any(role in c.get("role", "").lower() for role in CUT_ROLES)), None)
    if cutter:
        said.append(f"{cutter['role'].split(',')[0]} {cutter['name']}")  # the source's own words
        points += 1
    if (p.weight_grams or 0) >= 180:
        said.append(_("%(grams)s g vinyl") % {"grams": p.weight_grams} if words else "")
        points += 1
    return points, said


def choose_audiophile(pressings, offers, filters):
    scored = [(audiophile_points(p), p) for p in pressings]
    scored = [(points, said, p) for (points, said), p in scored if points >= 2]
    if not scored:
        return None
    points, _words, best = max(
        scored, key=lambda row: (row[0], row[2].rating_average or 0, row[2].pk in offers, -row[2].discogs_id)
    )
    said = audiophile_points(best, words=True)[1]
    edition = Edition(best.edition).label if best.edition else ""
    head = " ".join(str(x) for x in (best.year, edition.lower() if edition else _("pressing")) if x)
    return best, _sentence(head, *said)


def choose_most_wanted(pressings, offers, filters):
    """The pressing most Discogs users want, when the other picks leave the guide thin."""
    wanted = [p for p in pressings if p.want]
    if len(wanted) < 2:
        return None
    best = max(wanted, key=lambda p: (p.want, p.have or 0, -p.discogs_id))
    why = ngettext(
        "%(pressing)s: the most wanted on Discogs (%(want)s wants) of the %(count)s pressing with wants",
        "%(pressing)s: the most wanted on Discogs (%(want)s wants) of the %(count)s pressings with wants",
        len(wanted),
    ) % {"pressing": pressing_name(best), "want": formats.number(best.want), "count": len(wanted)}
    return best, _sentence(why)


CHOOSERS = {
    "original": choose_original,
    "best_rated": choose_best_rated,
    "best_value": choose_best_value,
    "cheapest_at_condition": choose_cheapest,
    "audiophile": choose_audiophile,
    "most_wanted": choose_most_wanted,
}


SUGGESTED = ("best_value", "cheapest_at_condition", "original")


def suggested(guide: Guide):
    """The pick a card suggests (the plan's best_release_id, explained): the best value, else
    the cheapest at the reader's condition, else the original; None when the guide has none."""
    return next((guide.pick(kind) for kind in SUGGESTED if guide.pick(kind) is not None), None)


def suggestions(album_ids, filters: BuyingFilters) -> dict:
    """album id → its suggested Pick, for a grid of albums in two queries whatever their number
    or size: each pressing's cheapest passing offer, then only the pressings a suggestion can
    name (those with an offer, and the originals). The same picks as `suggested(build_guide())`:
    the sentences count priced pressings, and every priced pressing is read."""
    album_ids = list(album_ids)
    offers = cheapest_offers(album_ids, filters)
    pressings = Release.objects.filter(album_id__in=album_ids, is_official=True).filter(
        Q(pk__in=list(offers)) | Q(edition=Edition.ORIGINAL)
    )
    by_album = {}
    for pressing in pressings_of(pressings):
        by_album.setdefault(pressing.album_id, []).append(pressing)
    guides = with_quotes(
        [guide_for(album_id, rows, offers, filters, kinds=SUGGESTED) for album_id, rows in by_album.items()], filters
    )
    chosen = {guide.album_id: suggested(guide) for guide in guides}
    missing = [album_id for album_id in album_ids if chosen.get(album_id) is None]
    if missing:  # no price and no original known: the most wanted pressing (one more query)
        for album_id, release in most_wanted(missing).items():
            chosen[album_id] = Pick(
                "most_wanted", release, _most_wanted_why(release), price=price_sentence(None, filters.country)
            )
    return {album_id: pick for album_id, pick in chosen.items() if pick is not None}


def most_wanted(album_ids):
    """album id → its most wanted official pressing (then the earliest), in one query."""
    rank = Window(
        RowNumber(),
        partition_by=[F("album_id")],
        order_by=[F("want").desc(nulls_last=True), F("year").asc(nulls_last=True), F("discogs_id").asc()],
    )
    rows = Release.objects.filter(album_id__in=album_ids, is_official=True).annotate(rank_in_album=rank).filter(rank_in_album=1)
    return {pressing.album_id: pressing for pressing in pressings_of(rows)}


def _most_wanted_why(release):
    if release.want:
        return _sentence(
            _("%(pressing)s, the most wanted pressing on Discogs (%(want)s wants); no offer or original known yet")
            % {
                "pressing": pressing_name(release),
                "want": formats.number(release.want),
            }
        )
    return _sentence(_("%(pressing)s; no offer, original or wants known yet") % {"pressing": pressing_name(release)})
