"""Pages that show prices: the album's pressing guide, pressings and offers fragments, the
artist page with each album's best price, and the price-history chart of one pressing.

The album page shell and its tracklist live in catalog (catalog.views); its price fragments
are here because they read pricing's rows, and imports run one way (docs/ARCHITECTURE.md).
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from catalog import seo
from catalog.fragments import album_or_404, fetch_state, fragment_view, render_fragment
from catalog.models import Artist, Release
from catalog.pressing_filters import parse_pressing_filters, pressing_options

from . import deals, describe
from .charts import daily_lowest, price_history_svg
from .countries import country_name
from .destinations import request_filters, shipping_country
from .guide import cached_guide
from .queries import album_prices, chart_words, offers_by_source, pressings_page, price_histories

PRESSINGS_SHOWN = 50  # rows per page of the pressings table (issue 13: the page must not grow with the album)


@require_GET
@fragment_view("pressings")
def album_pressings(request, album_id):
    """The album's pressings, PRESSINGS_SHOWN at a time: filtered by country, decade and
    format, ordered by landed price then wants. "Show more" asks for the next rows with
    `offset`; htmx gets those rows alone, a plain request the whole fragment from there."""
    album = album_or_404(album_id)
    options = pressing_options(album)
    filters, refused = parse_pressing_filters(request.GET, options)
    offset = _offset(request.GET.get("offset"))
    pressings, total = pressings_page(album, shipping_country(request), filters, offset, PRESSINGS_SHOWN)
    chart = reverse("pricing:release_chart", args=[0])  # one reverse for the page, not one per row
    for pressing in pressings:
        pressing.chart_url = chart.replace("/0/", f"/{pressing.pk}/")
    shown_to = offset + len(pressings)
    more = urlencode({**filters.query(), "offset": shown_to}) if shown_to < total else ""
    context = {
        "album": album,
        "pressings": pressings,
        "total": total,
        "offset": offset,
        "shown_to": shown_to,
        "more_query": more,
        "more_count": min(PRESSINGS_SHOWN, total - shown_to),
        "options": options,
        "filters": filters,
        "refused": refused,
        "title": _("Pressings · %(album)s") % {"album": album},
    }
    if request.htmx and offset and request.GET.get("rows"):
        return render(request, "catalog/_pressing_rows.html", context)
    if not total and filters.is_default:
        context["fetch"] = fetch_state(album, "pressings")
    return render_fragment(request, "catalog/_pressings.html", context)


@require_GET
@fragment_view("guide")
def album_guide(request, album_id):
    """Which pressing to buy (pricing.guide), its own fragment above the pressings table so
    neither waits on the other: the table's time stays the same, and the guide, built once per
    change of the album's prices or pressings and the reader's filters and language, is served
    from the cache after that. No picks (too few pressings or facts): an empty answer, and the
    page drops the slot; without JavaScript, a page that says there is no pick yet."""
    album = album_or_404(album_id)
    context = {
        "album": album,
        "guide": cached_guide(album, request_filters(request)),
        "title": _("Which pressing to buy · %(album)s") % {"album": album},
    }
    if request.htmx:  # the album page's card, replacing its loading slot
        return render(request, "pricing/_guide_card.html", context)
    return render_fragment(request, "pricing/_guide.html", context)


def _offset(raw):
    """A "show more" offset; anything but a non-negative number starts from the top."""
    return int(raw) if raw and raw.isdigit() else 0


@require_GET
@fragment_view("prices")
def album_offers(request, album_id):
    """The album's offers per price source, each landed one with its deal level (pricing.deals);
    `?sort=deal` lists each source's best deals first."""
    album = album_or_404(album_id)
    country = shipping_country(request)
    sections = offers_by_source(album, country)
    by_deal = request.GET.get("sort") == "deal"
    deals.attach_deals([quote for section in sections for quote in section.quotes])
    for section in sections:
        section.quotes = deals.by_deal(section.quotes) if by_deal else section.quotes
    context = {
        "album": album,
        "country": country_name(country),
        "sections": sections,
        "has_quotes": any(section.quotes for section in sections),
        "by_deal": by_deal,
        "title": _("Prices · %(album)s") % {"album": album},
    }
    if not context["has_quotes"]:
        context["fetch"] = fetch_state(album, "prices")
    return render_fragment(request, "catalog/_offers.html", context)


@require_GET
def artist_detail(request, artist_id):
    artist = get_object_or_404(Artist.objects.visible_to(request.user), pk=artist_id)
    albums = list(artist.albums.studio().with_release_counts().order_by("first_release_year", "title"))
    prices = album_prices([a.pk for a in albums], request_filters(request))
    for album in albums:
        price = prices[album.pk]
        album.best_price, album.from_price, album.last_seen_price = price.best, price.from_quote, price.last_seen
    context = {
        "artist": artist,
        "albums": albums,
        "similar": _similar_artists(artist),
        "title": artist.name,
        "seo": seo.artist_page(artist, albums),
    }
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
    histories, sampled = price_histories([release.pk], shipping_country(request))
    points = histories.get(release.pk, {})
    too_few = describe.price_history(daily_lowest(points))
    svg = price_history_svg(points, **chart_words(release, release.pk in sampled), standalone=True, too_few=too_few)
    return HttpResponse(svg, content_type="image/svg+xml")
