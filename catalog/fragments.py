"""The album page's htmx fragments: rendered bare for htmx, inside a page otherwise, and a
failure answered with an error partial the page can show and retry. Shared by the catalog's
fragments (tracklist) and pricing's (pressings, prices)."""

import logging
from functools import wraps

from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _, gettext_lazy

from integrations.queue import failure_note, is_pending

from .models import Album
from .services import representative_release

log = logging.getLogger(__name__)

# What a "Fetch now" button enqueues, per fragment (by task name: prices belong to pricing).
FETCHERS = {
    "tracklist": "catalog.sync_release_details",
    "pressings": "catalog.sync_album_releases",
    "prices": "pricing.refresh_album_prices",
}
# Each fragment's name as its error message says it ("Couldn't load the tracklist.").
PART_NAMES = {
    "tracklist": gettext_lazy("tracklist"),
    "guide": gettext_lazy("pressing guide"),
    "pressings": gettext_lazy("pressings"),
    "prices": gettext_lazy("prices"),
}


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
                return _fragment_error(
                    request,
                    name,
                    album_id,
                    404,
                    _("Couldn't load %(part)s: no such album.") % {"part": PART_NAMES.get(name, name)},
                )
            except DatabaseError:
                log.exception("Could not load the %s of album %s", name, album_id)
                return _fragment_error(
                    request, name, album_id, 503, _("Couldn't load %(part)s.") % {"part": PART_NAMES.get(name, name)}
                )

        return wrapped

    return decorate


def _fragment_error(request, name, album_id, status, message):
    context = {
        "name": name,
        "album_id": album_id,
        "message": message,
        "title": _("Album %(part)s") % {"part": PART_NAMES.get(name, name)},
    }
    response = render_fragment(request, "catalog/_fragment_error.html", context, status=status)
    response["X-Fragment-Error"] = "1"  # fragments.js shows this partial instead of its generic message
    return response


def album_or_404(album_id):
    return get_object_or_404(Album.objects.select_related("artist"), pk=album_id)


def fetch_argument(album, kind):
    """Album syncs take the album; the tracklist comes from the album's representative pressing."""
    if kind != "tracklist":
        return album.pk
    release = representative_release(album)
    return release.pk if release else None


def fetch_state(album, kind):
    """What became of the last "Fetch now" of a fragment: {"pending": bool, "failure": None or an
    integrations.failures.Failure, whose `ask_again` the fragment shows}."""
    argument = fetch_argument(album, kind)
    if argument is None:
        return {"pending": False, "failure": None}
    return {"pending": is_pending(FETCHERS[kind], argument), "failure": failure_note(FETCHERS[kind], argument)}
