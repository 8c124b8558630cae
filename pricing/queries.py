"""Price reads that pages of several apps share: best price per album, price-history charts,
the album's offers per price source."""
from dataclasses import dataclass

from django.utils.safestring import mark_safe

from . import sources
from .charts import lowest_per_day, price_history_svg
from .filters import filter_quotes
from .models import AlbumBestPrice, PriceQuote


def best_prices_by_album(album_ids, country):
    """album id → its cheapest current AlbumBestPrice row shipping to `country` (store loaded)."""
    best = {}
    rows = AlbumBestPrice.objects.for_country(country).filter(album_id__in=album_ids).select_related("store")
    for row in rows:
        best.setdefault(row.album_id, row)
    return best


def price_histories(release_ids, country):
    """release id → its lowest total per day, over every quote ever seen (current and retired)."""
    observations = {}
    quotes = PriceQuote.objects.shipping_to(country).filter(release_id__in=release_ids)
    for release_id, fetched_at, total in quotes.values_list("release_id", "fetched_at", "total_eur"):
        observations.setdefault(release_id, []).append((fetched_at, total))
    return {release_id: lowest_per_day(seen) for release_id, seen in observations.items()}


def attach_price_charts(releases, country):
    """Give each pressing with a price history an inline `chart_svg` (one query for all of them)."""
    histories = price_histories([r.pk for r in releases], country)
    for release in releases:
        points = histories.get(release.pk)
        release.chart_svg = mark_safe(price_history_svg(points, title=chart_title(release))) if points else ""
    return releases


def chart_title(release):
    return f"Lowest price of the {release} pressing over time, in EUR"


def current_quotes(album, country):
    """The album's current quotes shipping to `country` from active stores, cheapest first."""
    quotes = PriceQuote.objects.current().shipping_to(country).filter(album=album, store__is_active=True)
    return quotes.select_related("store", "release").order_by("total_eur", "-fetched_at")


@dataclass
class SourceOffers:
    """One price source's part of the album page: its current quotes and its links."""

    source: sources.PriceSource
    quotes: list
    links: list


def offers_by_source(album, country):
    """Each registered source with its cheapest current quotes for the album and its links."""
    by_kind = {}
    for quote in current_quotes(album, country):
        by_kind.setdefault(quote.store.kind, []).append(quote)
    return [
        SourceOffers(source, by_kind.get(source.name, [])[: source.offers_shown], source.links(album))
        for source in sources.registered()
    ]


def landed_and_item_only_prices(album_ids, filters):
    """album id → (its cheapest landed quote passing `filters` or None, its cheapest item-only
    quote shipping to the listener's country or None, given only when no landed one is)."""
    landed = {}
    quotes = filter_quotes(PriceQuote.objects.filter(album_id__in=album_ids), filters).select_related("store")
    for quote in quotes.order_by("album_id", "total_eur", "-fetched_at"):
        landed.setdefault(quote.album_id, quote)
    item_only = {}
    unpriced = [album_id for album_id in album_ids if album_id not in landed]
    rest = PriceQuote.objects.current().shipping_to(filters.country).filter(
        album_id__in=unpriced, shipping_kind=PriceQuote.ShippingKind.UNKNOWN, store__is_active=True
    )
    for quote in rest.select_related("store").order_by("album_id", "item_eur", "-fetched_at"):
        item_only.setdefault(quote.album_id, quote)
    return {album_id: (landed.get(album_id), item_only.get(album_id)) for album_id in album_ids}
