"""Public catalog pages: the album page shell, its tracklist fragment, "Fetch now", search.

Database first: every page and fragment reads only our tables. When the catalog lacks
something, the fragment says so ("not synced yet") and offers signed-in listeners a
"Fetch now" button that enqueues the sync task by name; no page waits on an external API.
The album's pressings and prices fragments and the artist page show prices, so they live in
pricing.views (imports run one way); they share catalog.fragments.
"""

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from integrations.limits import rate_limited
from integrations.queue import enqueue_api_task

from . import seo
from .fragments import FETCHERS, album_or_404, fetch_argument, fetch_state, fragment_view, render_fragment
from .models import Album, Artist
from .normalize import normalize_title
from .sleeve import sleeve_svg

SEARCH_LIMIT = 8
# The sleeve changes only with the album's title, artist or genre: a week in any cache, then
# a revalidation that its ETag usually answers with a 304.
SLEEVE_MAX_AGE = 7 * 24 * 3600


@require_GET
def album_detail(request, album_id):
    # With its pressings counted in the same query: the facts say how many we know.
    album = get_object_or_404(Album.objects.select_related("artist").with_release_counts(), pk=album_id)
    return render(request, "catalog/album_detail.html", {"album": album, "title": str(album), "seo": seo.album_page(album)})


@require_GET
def album_sleeve(request, album_id):
    """The album's designed sleeve as an SVG file: public, cacheable, the same URL for ever
    (what a page shows where no cover loads, and an image for link previews)."""
    album = album_or_404(album_id)
    svg = sleeve_svg(album.title, album.artist.name, key=album.pk, genre=album.genre, standalone=True)
    etag = '"' + hashlib.sha256(svg.encode()).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=SLEEVE_MAX_AGE)
    return response


@require_GET
@fragment_view("tracklist")
def album_tracklist(request, album_id):
    album = album_or_404(album_id)
    tracks = list(album.tracks.all())
    context = {"album": album, "tracks": tracks, "title": _("Tracklist · %(album)s") % {"album": album}}
    if not tracks:
        context["fetch"] = fetch_state(album, "tracklist")
    return render_fragment(request, "catalog/_tracklist.html", context)


@login_required
@require_POST
@rate_limited("fetch_now")
def album_fetch(request, album_id, kind):
    """Enqueue the sync behind a fragment; the fragment then says the fetch is under way, and
    asks itself again until the sync is done or has failed (no request waits on the provider)."""
    album = album_or_404(album_id)
    if kind not in FETCHERS:
        raise Http404(f"No sync for {kind}")
    argument = fetch_argument(album, kind)
    if argument is not None:
        enqueue_api_task(FETCHERS[kind], argument)
    if request.htmx:
        return render(request, "catalog/_fetch_queued.html", {"album": album, "kind": kind, "queued": argument})
    return redirect("catalog:album", album_id=album.pk)


@require_GET
def search(request):
    """Typeahead over the catalog: htmx gets the result list, a plain GET the whole page."""
    query = request.GET.get("q", "").strip()
    context = {"query": query, "artists": [], "albums": []}
    if query:
        context["artists"] = Artist.objects.search(query).visible_to(request.user)[:SEARCH_LIMIT]
        context["albums"] = _albums_titled(query)[:SEARCH_LIMIT]
    template = "catalog/_search_results.html" if request.htmx else "catalog/search.html"
    return render(request, template, context)


def _albums_titled(query):
    return Album.objects.filter(normalized_title__startswith=normalize_title(query)).select_related("artist")
