"""Price pages: the price-history chart of one pressing, and the price helpers other pages share."""
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from catalog.models import Release

from .charts import lowest_per_day, price_history_svg
from .models import AlbumBestPrice, PriceQuote


def shipping_country(request):
    """Where prices are computed to: the listener's country, or the site default for visitors."""
    if request.user.is_authenticated:
        return request.user.profile.country
    return settings.DEFAULT_COUNTRY


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
        release.chart_svg = mark_safe(price_history_svg(points, title=_chart_title(release))) if points else ""
    return releases


def _chart_title(release):
    return f"Lowest price of the {release} pressing over time, in EUR"


@require_GET
@cache_control(private=True, max_age=3600)
def release_price_chart(request, release_id):
    """The chart as a standalone SVG image, for links and <img> tags."""
    release = get_object_or_404(Release, pk=release_id)
    points = price_histories([release.pk], shipping_country(request)).get(release.pk, [])
    svg = price_history_svg(points, title=_chart_title(release), standalone=True)
    return HttpResponse(svg, content_type="image/svg+xml")
