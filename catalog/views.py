"""Public catalog pages: the album page and its on-demand fragments, the artist page, search.

Database first: every page and fragment reads only our tables. When the catalog lacks
something, the fragment says so ("not synced yet") and offers signed-in listeners a
"Fetch now" button that enqueues the sync task; no page waits on an external API.
"""
import logging
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from pricing.models import PriceQuote, Store
from pricing.tasks import refresh_album_prices
from pricing.views import best_prices_by_album, shipping_country
from recommendations.countries import country_name

from .models import Album, Artist
from .normalize import normalize_title
from .services import representative_release
from .tasks import sync_album_releases, sync_release_details

log = logging.getLogger(__name__)

# What a "Fetch now" button enqueues, per fragment.
FETCHERS = {
    "tracklist": sync_release_details,
    "pressings": sync_album_releases,
    "prices": refresh_album_prices,
}
SEARCH_LIMIT = 8


def render_fragment(request, template, context, status=200):
    """An htmx request gets the bare partial; a plain request gets it inside a full page."""
    if request.htmx:
        return render(request, template, context, status=status)
    return render(request, "catalog/fragment_page.html", {**context, "fragment": template}, status=status)


def fragment_view(name):
    """Wraps a fragment view so a failure answers with an error partial the page can show and retry."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, album_id):
            try:
                return view(request, album_id)
            except Http404:
                return _fragment_error(request, name, album_id, 404, f"Couldn't load {name}: no such album.")
            except DatabaseError:
                log.exception("Could not load the %s of album %s", name, album_id)
                return _fragment_error(request, name, album_id, 503, f"Couldn't load {name}.")

        return wrapped

    return decorate


def _fragment_error(request, name, album_id, status, message):
    context = {"name": name, "album_id": album_id, "message": message, "title": f"Album {name}"}
    response = render_fragment(request, "catalog/_fragment_error.html", context, status=status)
    response["X-Fragment-Error"] = "1"  # fragments.js shows this partial instead of its generic message
    return response


def _album(album_id):
    return get_object_or_404(Album.objects.select_related("artist"), pk=album_id)


@require_GET
def album_detail(request, album_id):
    album = _album(album_id)
    return render(request, "catalog/album_detail.html", {"album": album, "title": str(album)})


@require_GET
@fragment_view("tracklist")
def album_tracklist(request, album_id):
    album = _album(album_id)
    context = {"album": album, "tracks": album.tracks.all(), "title": f"Tracklist · {album}"}
    return render_fragment(request, "catalog/_tracklist.html", context)


@require_GET
@fragment_view("pressings")
def album_pressings(request, album_id):
    album = _album(album_id)
    context = {
        "album": album,
        "pressings": _pressings_with_prices(album, shipping_country(request)),
        "title": f"Pressings · {album}",
    }
    return render_fragment(request, "catalog/_pressings.html", context)


@require_GET
@fragment_view("prices")
def album_offers(request, album_id):
    album = _album(album_id)
    country = shipping_country(request)
    context = {
        "album": album,
        "country": country_name(country),
        "offers": _current_offers(album, country),
        "local_stores": _local_store_links(album),
        "title": f"Prices · {album}",
    }
    return render_fragment(request, "catalog/_offers.html", context)


@login_required
@require_POST
def album_fetch(request, album_id, kind):
    """Enqueue the sync behind a fragment; the fragment then says the fetch is under way."""
    album = _album(album_id)
    if kind not in FETCHERS:
        raise Http404(f"No sync for {kind}")
    argument = _fetch_argument(album, kind)
    if argument is not None:
        FETCHERS[kind].delay(argument)
    if request.htmx:
        return render(request, "catalog/_fetch_queued.html", {"album": album, "kind": kind, "queued": argument})
    return redirect("catalog:album", album_id=album.pk)


def _fetch_argument(album, kind):
    """Album syncs take the album; the tracklist comes from the album's representative pressing."""
    if kind != "tracklist":
        return album.pk
    release = representative_release(album)
    return release.pk if release else None


def _pressings_with_prices(album, country):
    """Every vinyl pressing of the album, each with its cheapest current offer shipping to `country`."""
    cheapest = {}
    for quote in _current_quotes(album, country).filter(release__isnull=False):
        cheapest.setdefault(quote.release_id, quote)
    pressings = list(album.releases.all())
    for pressing in pressings:
        pressing.best_quote = cheapest.get(pressing.pk)
    return pressings


def _current_quotes(album, country):
    quotes = PriceQuote.objects.current().shipping_to(country).filter(album=album, store__is_active=True)
    return quotes.select_related("store", "release").order_by("total_eur", "-fetched_at")


def _current_offers(album, country):
    """Current offers by store kind: eBay listings, Discogs marketplace figures, local stores."""
    offers = {kind: [] for kind in Store.Kind.values}
    for quote in _current_quotes(album, country):
        offers[quote.store.kind].append(quote)
    return offers


def _local_store_links(album):
    stores = Store.objects.filter(kind=Store.Kind.LOCAL, is_active=True).order_by("name")
    return [(store, store.search_url(album.artist.name, album.title)) for store in stores]


@require_GET
def artist_detail(request, artist_id):
    artist = get_object_or_404(Artist, pk=artist_id)
    albums = list(artist.albums.studio().with_release_counts().order_by("first_release_year", "title"))
    best = best_prices_by_album([a.pk for a in albums], shipping_country(request))
    for album in albums:
        album.best_price = best.get(album.pk)
    context = {"artist": artist, "albums": albums, "similar": _similar_artists(artist), "title": artist.name}
    return render(request, "catalog/artist_detail.html", context)


def _similar_artists(artist, limit=12):
    """Most similar artists first, each once even when several sources agree."""
    seen = {}
    for link in artist.similar_to.select_related("to_artist").order_by("-score"):
        seen.setdefault(link.to_artist_id, link.to_artist)
    return list(seen.values())[:limit]


@require_GET
def search(request):
    """Typeahead over the catalog: htmx gets the result list, a plain GET the whole page."""
    query = request.GET.get("q", "").strip()
    context = {"query": query, "artists": [], "albums": []}
    if query:
        context["artists"] = Artist.objects.search(query)[:SEARCH_LIMIT]
        context["albums"] = _albums_titled(query)[:SEARCH_LIMIT]
    template = "catalog/_search_results.html" if request.htmx else "catalog/search.html"
    return render(request, template, context)


def _albums_titled(query):
    return Album.objects.filter(normalized_title__startswith=normalize_title(query)).select_related("artist")
