"""Pages that show prices: the album's pressings and offers fragments, the artist page with
each album's best price, and the price-history chart of one pressing.

The album page shell and its tracklist live in catalog (catalog.views); its price fragments
are here because they read pricing's rows, and imports run one way (ARCHITECTURE.md).
"""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from catalog.models import Artist, Release
from catalog.fragments import album_or_404, fetch_state, fragment_view, render_fragment

from .charts import price_history_svg
from .countries import country_name
from .destinations import request_filters, shipping_country
from .queries import album_prices, chart_title, current_quotes, offers_by_source, price_histories


@require_GET
@fragment_view("pressings")
def album_pressings(request, album_id):
    album = album_or_404(album_id)
    pressings = _pressings_with_prices(album, shipping_country(request))
    context = {"album": album, "pressings": pressings, "title": f"Pressings · {album}"}
    if not pressings:
        context["fetch"] = fetch_state(album, "pressings")
    return render_fragment(request, "catalog/_pressings.html", context)


@require_GET
@fragment_view("prices")
def album_offers(request, album_id):
    album = album_or_404(album_id)
    country = shipping_country(request)
    sections = offers_by_source(album, country)
    context = {
        "album": album,
        "country": country_name(country),
        "sections": sections,
        "has_quotes": any(section.quotes for section in sections),
        "title": f"Prices · {album}",
    }
    if not context["has_quotes"]:
        context["fetch"] = fetch_state(album, "prices")
    return render_fragment(request, "catalog/_offers.html", context)


def _pressings_with_prices(album, country):
    """Every vinyl pressing of the album, each with its cheapest current offer shipping to `country`."""
    cheapest = {}
    for quote in current_quotes(album, country).filter(release__isnull=False):
        cheapest.setdefault(quote.release_id, quote)
    pressings = list(album.releases.all())
    for pressing in pressings:
        pressing.best_quote = cheapest.get(pressing.pk)
    return pressings


@require_GET
def artist_detail(request, artist_id):
    artist = get_object_or_404(Artist, pk=artist_id)
    albums = list(artist.albums.studio().with_release_counts().order_by("first_release_year", "title"))
    prices = album_prices([a.pk for a in albums], request_filters(request))
    for album in albums:
        album.best_price, album.from_price = prices[album.pk].best, prices[album.pk].from_quote
    context = {"artist": artist, "albums": albums, "similar": _similar_artists(artist), "title": artist.name}
    return render(request, "catalog/artist_detail.html", context)


def _similar_artists(artist, limit=12):
    """Most similar artists first, each once even when several sources agree."""
    seen = {}
    for link in artist.similar_to.select_related("to_artist").order_by("-score"):
        seen.setdefault(link.to_artist_id, link.to_artist)
    return list(seen.values())[:limit]


@require_GET
@cache_control(private=True, max_age=3600)
def release_price_chart(request, release_id):
    """The chart as a standalone SVG image, for links and <img> tags."""
    release = get_object_or_404(Release, pk=release_id)
    points = price_histories([release.pk], shipping_country(request)).get(release.pk, {})
    svg = price_history_svg(points, title=chart_title(release), standalone=True)
    return HttpResponse(svg, content_type="image/svg+xml")
