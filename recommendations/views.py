"""Recommendations: the grid, in-place lock/dismiss/wantlist, the progress banner, the JSON API.

Every view here is the listener's own: sets and items are looked up through the signed-in
user, so another listener's set or item id answers 404.
"""

import hashlib
import time
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext as _, gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import sources as listening_sources
from accounts.filters import buying_filters
from integrations.limits import rate_limited
from pricing.countries import country_name
from pricing.destinations import request_filters, shipping_country

from . import basket as baskets, sellers, services
from .models import Feedback, RecommendationItem, RecommendationSet
from .wantlist import wants as wantlist_entries

IN_PROGRESS = {RecommendationSet.Status.PENDING, RecommendationSet.Status.RUNNING}


def _own_set(user, set_id):
    return get_object_or_404(RecommendationSet.objects.for_user(user), pk=set_id)


def _grid_context(request, rec_set):
    ready = rec_set is not None and rec_set.status == RecommendationSet.Status.READY
    filters = request_filters(request)
    return {
        "set": rec_set,
        "items": with_card_html(request, services.items_for_grid(rec_set, filters, prices=False), filters) if ready else [],
        "in_progress": rec_set is not None and rec_set.status in IN_PROGRESS,
    }


# The grid of a ready set is cached whole under the set's `shown_version`, which every change
# to what it shows moves (recommendations.shown): a repeat view reads no item, flag or price.
# Under it, each card's HTML is cached under everything it shows, so a change of any of them
# is a new key and nothing needs invalidating; its price is keyed by when the album's quotes
# last changed (Album.prices_changed_at) and the listener's filters, so a cached card needs no
# price query. Both live until a price they show would read "seen N days ago" differently,
# a day at most for a card; the grid GRID_TTL at most, which bounds how long a catalog
# correction no signal reports (a cover found, a year corrected) takes to reach it.
CARD_TTL = 24 * 3600
GRID_TTL = 10 * 60
CARD_TEMPLATE = "recommendations/_card.html"
GRID_TEMPLATE = "recommendations/_grid.html"


def _grid(request, rec_set) -> dict:
    """The grid's context: `grid_html` from the cache (or rendered and cached) for a ready
    set, the items to render for any other."""
    if rec_set is None or rec_set.status != RecommendationSet.Status.READY:
        return _grid_context(request, rec_set)
    get_token(request)  # the secret the cards' forms carry, before it is keyed on
    shown = (
        rec_set.pk,
        rec_set.shown_version,
        rec_set.size,
        request_filters(request),
        get_language(),
        request.META.get("CSRF_COOKIE", ""),
    )
    key = "grid:v1:" + hashlib.sha1(repr(shown).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        context = _grid_context(request, rec_set)
        html = render_to_string(GRID_TEMPLATE, context, request)
        lives = min((item.card_expires for item in context["items"]), default=time.time() + GRID_TTL)
        cache.set(key, html, max(1, min(GRID_TTL, int(lives - time.time()))))
    return {"set": rec_set, "in_progress": False, "grid_html": mark_safe(html)}  # our own template's output


def card_key(request, item, filters) -> str:
    """What the card shows: the item's own fields, its feedback state and pressing count, the
    album's face, its price's version under these filters, and the session's CSRF secret
    its form carries, in the reader's language."""
    album = item.album
    shown = (
        item.pk,
        item.set_id,
        item.score,
        item.reason,
        item.explanation,
        item.breakdown,
        item.is_locked,
        item.is_wantlisted,
        item.pressing_count,
        album.title,
        album.cover_url,
        album.genre,
        album.first_release_year,
        album.artist_id,
        album.artist.name,
        album.prices_changed_at,
        album.all_versions_read_at,
        filters,
        request.META.get("CSRF_COOKIE", ""),
        get_language(),
    )
    return "card:v7:" + hashlib.sha1(repr(shown).encode()).hexdigest()


def with_card_html(request, items, filters):
    """Each item with `card_html` and `card_expires` (when its price's wording would change):
    from the cache (one round trip for the grid); the cards not cached get their prices (one
    lookup for all of them) and are rendered."""
    get_token(request)  # the secret the cards' forms will carry, before it is keyed on
    keys = {item.pk: card_key(request, item, filters) for item in items}
    cached = cache.get_many(list(keys.values()))
    missing = [item for item in items if keys[item.pk] not in cached]
    if missing:
        services.attach_prices(missing, filters)
    rendered = defaultdict(dict)  # TTL → {key: (html, expires)}: one write per lifetime, not one per card
    for item in items:
        html, expires = cached.get(keys[item.pk]) or (None, None)
        if html is None:
            ttl = _card_ttl(item)
            html, expires = render_to_string(CARD_TEMPLATE, {"item": item}, request), time.time() + ttl
            rendered[ttl][keys[item.pk]] = (html, expires)
        item.card_html, item.card_expires = mark_safe(html), expires  # our own template's output
    for ttl, cards in rendered.items():
        cache.set_many(cards, ttl)
    return items


def _card_ttl(item) -> int:
    """Seconds until the price on the card would read differently ("seen today" becomes
    "seen yesterday"), at most CARD_TTL."""
    shown = item.best_price or item.from_price
    if shown is None:
        return CARD_TTL
    age = (timezone.now() - shown.fetched_at).total_seconds()
    return max(1, min(CARD_TTL, int(86400 - age % 86400)))


@login_required
@require_GET
def recommendations_page(request):
    rec_set = _set_to_show(request.user)
    has_taste = _has_taste(request.user)  # first: it loads the profile the grid's filters read
    context = {
        **_grid(request, rec_set),
        "has_taste": has_taste,
        "country_name": country_name(shipping_country(request)),
        "title": _("Recommendations"),
    }
    return render(request, "recommendations/page.html", context)


def _set_to_show(user):
    """The latest set; a new one when there is none or it expired (a failed one shows its error)."""
    rec_set = services.current_set(user)
    if rec_set is None or rec_set.is_expired:
        return services.request_generation(user)
    return rec_set


def _has_taste(user):
    """Any registered listening source connected, or an artist of their own (accounts.sources.
    profile_with_taste: one query; the profile stays loaded on the user)."""
    user.profile = profile = listening_sources.profile_with_taste(user)
    return profile.has_taste


@login_required
@require_GET
def set_progress(request, set_id):
    """The banner, polled every second while the set is generated; once done it also swaps the grid in."""
    return _set_partial(request, set_id, "recommendations/_progress.html")


@login_required
@require_GET
def set_grid(request, set_id):
    return _set_partial(request, set_id, "recommendations/_grid.html")


def _set_partial(request, set_id, template):
    """A partial of one of the listener's own sets, for htmx; a plain request goes to the page."""
    rec_set = _own_set(request.user, set_id)
    if not request.htmx:
        return redirect("recommendations:page")
    return render(request, template, _grid_context(request, rec_set))


@login_required
@require_POST
@rate_limited("regenerate")
def refresh(request):
    services.request_generation(request.user, force=True)
    return redirect("recommendations:page")


# What each button of a card does: (feedback kind, whether it takes the feedback back).
ACTIONS = {
    "lock": (Feedback.Kind.LOCK, False),
    "unlock": (Feedback.Kind.LOCK, True),
    "wantlist": (Feedback.Kind.WANTLIST, False),
    "unwantlist": (Feedback.Kind.WANTLIST, True),
    "dismiss": (Feedback.Kind.DISMISS, False),
}


@login_required
@require_POST
def feedback(request, item_id):
    """A card's Lock / Wantlist / Dismiss button; a pressed toggle sends its undo action."""
    item = get_object_or_404(RecommendationItem.objects.filter(set__user=request.user), pk=item_id)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return HttpResponseBadRequest("Unknown action")
    card = _apply(request, item, *ACTIONS[action])
    if not request.htmx:
        messages.success(request, str(CONFIRMATIONS[action]).format(title=item.album.title))
        return redirect(reverse("recommendations:page") + (f"#item-{card.pk}" if card else ""))
    if card is None:  # nothing left to backfill with: the card simply goes away
        return HttpResponse("")
    # A replacement card takes the keyboard focus, so a keyboard user carries on from it.
    context = {"item": _annotated(request, card), "focus": action == "dismiss"}
    return render(request, "recommendations/_card.html", context)


CONFIRMATIONS = {
    "lock": gettext_lazy("Locked {title}."),
    "unlock": gettext_lazy("Unlocked {title}."),
    "wantlist": gettext_lazy("Added {title} to your wantlist."),
    "unwantlist": gettext_lazy("Removed {title} from your wantlist."),
    "dismiss": gettext_lazy("Dismissed {title}."),
}


def _apply(request, item, kind, undo):
    """The item to show in the card's place afterwards (None when a dismissed card has no replacement)."""
    if undo:
        services.undo_feedback(request.user, item.album_id, kind)
        return item
    result = services.apply_feedback(request.user, item.album_id, kind, reason=request.POST.get("reason", ""))
    return result["replacement"] if kind == Feedback.Kind.DISMISS else result.get("item") or item


def _annotated(request, item):
    """The card's item with the grid's annotations (best price, pressings, flags)."""
    for candidate in services.items_for_grid(item.set, request_filters(request)):
        if candidate.pk == item.pk:
            return candidate
    return item


@login_required
@require_http_methods(["GET", "POST"])
def reset_dismissals(request):
    """GET asks for confirmation (the page without JavaScript); POST brings every dismissed album back."""
    if request.method == "GET":
        dismissed = Feedback.objects.filter(user=request.user, kind=Feedback.Kind.DISMISS).count()
        return render(request, "recommendations/reset_confirm.html", {"dismissed": dismissed, "title": _("Reset dismissals")})
    count = services.reset_dismissals(request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s dismissed album can be recommended again.", "%(count)s dismissed albums can be recommended again.", count
        )
        % {"count": count},
    )
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("recommendations:page")
        return response
    return redirect("recommendations:page")


# --- wantlist ------------------------------------------------------------------------------
# What the listener wants, here and on Discogs, as one list (recommendations.wantlist).


@login_required
@require_GET
def wantlist(request):
    filters = request_filters(request)
    context = {
        "wants": wantlist_entries(request.user, filters),
        "country": country_name(filters.country),
        "title": _("Wantlist"),
        "discogs_username": listening_sources.get("discogs").username(request.user),
    }
    return render(request, "recommendations/wantlist.html", context)


@login_required
@require_POST
def wantlist_remove(request, album_id):
    get_object_or_404(Feedback, user=request.user, album_id=album_id, kind=Feedback.Kind.WANTLIST)
    services.undo_feedback(request.user, album_id, Feedback.Kind.WANTLIST)
    if request.htmx:
        return render(request, "recommendations/_wantlist_removed.html")
    return redirect("recommendations:wantlist")


# --- basket ----------------------------------------------------------------------------------


@login_required
@require_GET
@rate_limited("basket")
def basket(request):
    filters = buying_filters(request.user)
    context = {
        "basket": baskets.cheapest_basket(request.user, filters),
        "country_name": country_name(filters.country),
        "title": _("Basket"),
    }
    return render(request, "recommendations/basket.html", context)


# --- sellers holding the listener's wants ---------------------------------------------------


@login_required
@require_GET
@rate_limited("basket")
def sellers_for_wants(request):
    filters = buying_filters(request.user)
    context = {
        "holdings": sellers.sellers_for_wants(request.user, filters),
        "country_name": country_name(filters.country),
        "title": _("Sellers holding your wants"),
    }
    return render(request, "recommendations/sellers_for_wants.html", context)
