"""Price reads that pages of several apps share: best price per album, price-history charts,
the album's offers per price source."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, Min, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from catalog.models import Release
from catalog.pressing_filters import filter_pressings

from . import describe, sources
from .charts import MIN_CHART_DAYS, daily_lowest, observation_days, price_history_svg, series_by_condition
from .filters import BuyingFilters, filter_item_only_quotes, filter_quotes
from .models import AlbumBestPrice, PriceQuote, item_only_cutoff


@dataclass(frozen=True)
class AlbumPrice:
    """What one album costs a listener: its best landed offer (an AlbumBestPrice row or a
    PriceQuote, same attribute names), its cheapest recent item-only quote ("from €X +
    shipping"), and, only when it has neither, its newest item-only quote too old to act on
    (`last_seen`: "last seen N years ago at €X"). Only `best` is ever ranked or summed."""

    best: object | None = None
    from_quote: PriceQuote | None = None
    last_seen: PriceQuote | None = None

    @property
    def from_eur(self):
        return self.from_quote.item_eur if self.from_quote is not None else None

    @property
    def sentence(self):
        """The album's price as plain text (pricing.describe.album_price)."""
        return describe.album_price(self.best, self.from_quote, self.last_seen)


def album_prices(album_ids, filters: BuyingFilters) -> dict[int, AlbumPrice]:
    """album id → AlbumPrice for every album asked (every part None when it has no price), in two
    queries whatever their number, a third when some albums have neither a landed nor a recent
    item-only price (their last price seen).

    With the default filters the best landed offer is read from the best-price table; with any
    other filter it is ranked over the quotes filter_quotes lets through (the same rule)."""
    album_ids = list(album_ids)
    best = _best_landed(album_ids, filters)
    item_only = _item_only(album_ids, filters)
    return {pk: _album_price(best.get(pk), item_only.get(pk)) for pk in album_ids}


def _item_only(album_ids, filters):
    """album id → its cheapest recent item-only quote, or when it has none its cheapest one too
    old to act on, in one query (recent first, then cheapest, newest, lowest id)."""
    quotes = filter_item_only_quotes(PriceQuote.objects.filter(album_id__in=album_ids), filters, include_stale=True)
    recent = Case(When(fetched_at__gte=item_only_cutoff(), then=Value(0)), default=Value(1))
    order = [recent.asc(), F("item_eur").asc(), F("fetched_at").desc(), F("id").asc()]
    rank = Window(RowNumber(), partition_by=[F("album_id")], order_by=order)
    return {q.album_id: q for q in quotes.annotate(rank_in_album=rank).filter(rank_in_album=1).select_related("store", "release")}


def _album_price(best, item_only):
    if item_only is not None and item_only.is_stale:
        return AlbumPrice(best, None, None if best is not None else item_only)
    return AlbumPrice(best, item_only)


def _best_landed(album_ids, filters):
    return {row.album_id: row for row in _best_landed_rows(album_ids, filters).select_related("store", "release")}


def _best_landed_rows(album_ids, filters):
    """Each album's best landed offer under the filters, as a queryset: the best-price table's
    rows with the default filters, the same rule ranked over the quotes filter_quotes lets
    through with any other. Instances or values are the caller's choice."""
    if filters.is_default:
        return AlbumBestPrice.objects.filter(album_id__in=album_ids, ships_to=filters.country.upper())
    return _ranked_cheapest(filter_quotes(PriceQuote.objects.filter(album_id__in=album_ids), filters), "total_eur")


def _ranked_cheapest(quotes, price):
    """Each album's cheapest of `quotes` by `price` (newest, then lowest id, on ties), ranked in SQL."""
    rank = Window(RowNumber(), partition_by=[F("album_id")], order_by=[F(price).asc(), F("fetched_at").desc(), F("id").asc()])
    return quotes.annotate(rank_in_album=rank).filter(rank_in_album=1)


def price_histories(release_ids, country):
    """(release id → {condition class: lowest price per day}, the ids of the pressings whose
    history has sample prices), in one query over every quote ever seen (current and retired,
    any source): the landed total when the shipping was known, else the item price. A day's
    lowest price that is a sample is marked so (PricePoint.sample)."""
    observations, sampled = {}, set()
    quotes = PriceQuote.objects.shipping_to(country).filter(release_id__in=release_ids)
    landed_or_item = Coalesce("total_eur", "item_eur", output_field=PriceQuote._meta.get_field("item_eur"))
    for release_id, fetched_at, price, condition, sample in quotes.annotate(price=landed_or_item).values_list(
        "release_id", "fetched_at", "price", "condition", "sample"
    ):
        observations.setdefault(release_id, []).append((fetched_at, price, condition, sample))
        if sample:
            sampled.add(release_id)
    return {release_id: series_by_condition(seen) for release_id, seen in observations.items()}, sampled


def attach_price_charts(releases, country):
    """Give each pressing with a price history an inline `chart_svg` when it spans enough days
    for a chart (charts.MIN_CHART_DAYS), else `chart_text`, the sentence that says it (one query
    for all of them)."""
    histories, sampled = price_histories([r.pk for r in releases], country)
    for release in releases:
        points = histories.get(release.pk)
        enough = points and len(observation_days(points)) >= MIN_CHART_DAYS
        release.chart_svg = mark_safe(price_history_svg(points, **chart_words(release, release.pk in sampled))) if enough else ""
        release.chart_text = describe.price_history(daily_lowest(points)) if points and not enough else ""
    return releases


def chart_words(release, sample=False):
    """The chart's title (its accessible name) and the note on a sample point's tooltip."""
    title = _("Lowest price of the %(pressing)s pressing over time, in EUR, per condition (incl. shipping where known)") % {
        "pressing": release,
    }
    if sample:
        title = f"{title}; {describe.includes_samples_in_history()}"
    return {"title": title, "sample_note": describe.sample_words()}


# The album page's order of offers: landed totals cheapest first, then item-only prices
# (shipping unknown) cheapest first; the newest, then the lowest id, on ties.
OFFER_ORDER = (F("total_eur").asc(nulls_last=True), F("item_eur").asc(), F("fetched_at").desc(), F("pk").asc())


def _current_offers(country):
    """Current quotes for `country` (or no stated destination) from active stores."""
    return PriceQuote.objects.current().shipping_to(country).filter(store__is_active=True)


def landed_offer_summary(album_id, country):
    """(lowest landed total in EUR, how many offers have one) of the album's current quotes to
    `country` from active stores, observed prices only (never a sample, never item-only), or
    None: the offers a public page states to search engines (catalog.seo). One query."""
    landed = _current_offers(country).landed().filter(album_id=album_id, sample=False)
    row = landed.aggregate(low=Min("total_eur"), count=Count("pk"))
    return (row["low"], row["count"]) if row["count"] else None


def current_quotes(album, country):
    """The album's current quotes for `country` from active stores, in OFFER_ORDER."""
    return _current_offers(country).filter(album=album).select_related("store", "release").order_by(*OFFER_ORDER)


@dataclass
class SourceOffers:
    """One price source's part of the album page: its current quotes and its links."""

    source: sources.PriceSource
    quotes: list
    links: list


def offers_by_source(album, country):
    """Each registered source with its cheapest current quotes for the album and its links.

    One query that asks only for the quotes the page can show (the first few per source, ranked
    in SQL): a popular album has thousands of current quotes and the page lists a handful."""
    registered = sources.registered()
    shown = max(source.offers_shown for source in registered)
    rank = Window(RowNumber(), partition_by=[F("store__kind")], order_by=list(OFFER_ORDER))
    # Ranked on indexed columns only (quote_best_price_order), then only the winners' rows read.
    winners = current_quotes(album, country).order_by().annotate(rank_in_source=rank).filter(rank_in_source__lte=shown)
    by_kind = {}
    for quote in PriceQuote.objects.filter(pk__in=winners.values("pk")).select_related("store", "release").order_by(*OFFER_ORDER):
        by_kind.setdefault(quote.store.kind, []).append(quote)
    return [
        SourceOffers(source, by_kind.get(source.name, [])[: source.offers_shown], source.links(album)) for source in registered
    ]


def pressings_page(album, country, filters, offset=0, limit=50):
    """One page of the album's pressings (narrowed by `filters`, catalog.pressing_filters), in
    the order a buyer wants: cheapest landed offer shipping to `country` first, then the most
    wanted on Discogs. Each pressing carries `best_quote`, its best current offer (landed
    cheapest first, else its cheapest item-only price), or None. Returns (pressings, how many
    match) in four queries whatever the number of pressings: each pressing's cheapest landed
    total (grouped in SQL over the album's quotes, read through its album index), the matching
    pressings' ids and wants, the page's pressings, and the page's best offers.

    The order is decided on (id, wants, cheapest total) triples, never on model instances: an
    album with thousands of pressings costs a few thousand tuples, not a correlated subquery
    per pressing (which PostgreSQL runs as one index probe each)."""
    # total_eur set = landed (the quote_total_only_when_landed constraint); said so, the
    # grouping reads only the best-price order index, never the scattered quote rows.
    landed = _current_offers(country).filter(album=album, release__isnull=False, total_eur__isnull=False)
    cheapest = dict(
        landed.values("release_id").annotate(cheapest=Min("total_eur")).values_list("release_id", "cheapest").order_by()
    )
    matching = list(filter_pressings(album.releases.all(), filters).order_by().values_list("pk", "want"))  # sorted below
    matching.sort(key=lambda row: _buyer_order(row, cheapest))
    page_ids = [pk for pk, _ in matching[offset : offset + limit]]
    by_id = Release.objects.in_bulk(page_ids)
    pressings = [by_id[pk] for pk in page_ids]
    best = _best_offers(page_ids, country)
    for pressing in pressings:
        pressing.best_quote = best.get(pressing.pk)
        if pressing.best_quote is not None:
            pressing.best_quote.release = pressing  # the same row: no second instance per offer
    return pressings, len(matching)


def _buyer_order(row, cheapest):
    """Cheapest landed total first (pressings without one after), then most wanted, then id."""
    pk, want = row
    total = cheapest.get(pk)
    return (total is None, total or 0, want is None, -(want or 0), pk)


def _best_offers(release_ids, country):
    """release id → its best current offer: the cheapest landed total, else the cheapest
    item-only price (newest, then lowest id, on ties), ranked in SQL."""
    rank = Window(RowNumber(), partition_by=[F("release_id")], order_by=list(OFFER_ORDER))
    quotes = _current_offers(country).filter(release_id__in=release_ids).annotate(rank_in_release=rank)
    return {quote.release_id: quote for quote in quotes.filter(rank_in_release=1).select_related("store")}


# What the scorer reads of a price (recommendations.scoring.PriceFact), as plain values: set
# generation prices a thousand candidate albums and must not build three model instances each.
PRICE_VALUES = (
    "album_id",
    "total_eur",
    "item_eur",
    "shipping_kind",
    "item_location",
    "store__name",
    "release__year",
    "release__country",
    "sample",
)


def album_price_values(album_ids, filters: BuyingFilters) -> dict[int, tuple[dict | None, dict | None]]:
    """album id → (its best landed offer, its cheapest item-only quote), each a dict of
    PRICE_VALUES or None; the same rule as album_prices, in two queries. The item-only quote
    is looked up only for the albums without a landed offer: it is what they are shown with,
    and the others never need it."""
    album_ids = list(album_ids)
    best = best_landed_values(album_ids, filters, PRICE_VALUES)
    missing = [pk for pk in album_ids if pk not in best]
    item_only = PriceQuote.objects.filter(album_id__in=missing)
    from_quotes = _cheapest_values(filter_item_only_quotes(item_only, filters), "item_eur") if missing else {}
    return {pk: (best.get(pk), from_quotes.get(pk)) for pk in album_ids}


def best_landed_totals(album_ids, filters: BuyingFilters) -> dict:
    """album id → its best landed total under the filters, for the albums that have one: the
    one figure a score reads, in one narrow query (album_price_values has the rest)."""
    return {pk: row["total_eur"] for pk, row in best_landed_values(album_ids, filters, ("album_id", "total_eur")).items()}


def best_landed_values(album_ids, filters: BuyingFilters, fields) -> dict[int, dict]:
    """album id → `fields` (names of AlbumBestPrice / PriceQuote columns) of its best landed
    offer under the filters, for the albums that have one, in one query: the best-price table
    with the default filters, the same rule ranked over the quotes with any other."""
    return {row["album_id"]: row for row in _best_landed_rows(list(album_ids), filters).values(*fields)}


def _cheapest_values(quotes, price, fields=PRICE_VALUES):
    return {row["album_id"]: row for row in _ranked_cheapest(quotes, price).values(*fields)}
