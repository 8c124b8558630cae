"""Rate limits on what a listener's (or a visitor's) requests cost the whole site.

One table (LIMITS: name → how many per window, counted per listener or per address) and one
way to apply it: `@rate_limited(name)` on a view, or `refusal(request, name)` inside one where
only some requests count (a seed typed by name counts only when it would add a new artist).
A signed-in listener is counted under their id; a visitor under their client address
(integrations.client_address, which knows our proxies). The counts live in Django's cache with
an atomic increment: Redis when REDIS_URL is set, so every web process counts the same
requests. A window is fixed (the current hour or day): simple, atomic, and at worst twice the
rate across a window's edge.

Over a limit the request is refused with 429, a plain sentence and `Retry-After` (the seconds
left in the window): a page, an htmx fragment shown in place (templates/_htmx_config.html), or JSON
for the API. Every refusal adds one to the day's ThrottleCount of that listener or address, so
operators see in the admin who runs into which limit.

Settings.ACTION_LIMITS ({name: count}) changes a limit's count; tests that are not about
limits raise them so, and say why.
"""

import math
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from .client_address import client_address

HOUR = 3600
DAY = 86400


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int
    what: str  # what is limited, in words: "adding new artists by name"
    methods: tuple = ("POST",)  # requests of other methods are neither counted nor refused
    per_kwarg: str = ""  # a view argument counted apart (sync: one count per source)


# Chosen from what a person does (README, "Rate limits"): comfortably above one person's use,
# far below what a script sends.
LIMITS = {
    "new_artist": Limit(30, HOUR, gettext_lazy("new artists added by name")),
    "regenerate": Limit(10, HOUR, gettext_lazy("new recommendation sets")),
    "sync": Limit(6, HOUR, gettext_lazy("syncs or previews of one source"), per_kwarg="source"),
    "fetch_now": Limit(30, HOUR, gettext_lazy("“Fetch now” requests")),
    "basket": Limit(60, HOUR, gettext_lazy("basket computations"), methods=("GET",)),
    "watch": Limit(30, HOUR, gettext_lazy("watches set")),
    "channel_test": Limit(20, HOUR, gettext_lazy("test messages to your alert channels")),
    "csv_upload": Limit(10, DAY, gettext_lazy("collection CSV uploads")),
    "signup": Limit(5, HOUR, gettext_lazy("new accounts from one address")),
}


def limit_for(name) -> Limit:
    limit = LIMITS[name]
    count = getattr(settings, "ACTION_LIMITS", {}).get(name)
    return limit if count is None else Limit(count, limit.seconds, limit.what, limit.methods, limit.per_kwarg)


def who(request) -> str:
    """The counted party: the signed-in listener, else the client address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"addr:{client_address(request)}"


def consume(request, name, part="") -> int:
    """Count this request against limit `name`; 0 if it is allowed, else the seconds to wait."""
    limit = limit_for(name)
    if request.method not in limit.methods:
        return 0
    now = time.time()
    window = int(now // limit.seconds)
    key = f"limit:{name}:{who(request)}:{part}:{window}"
    cache.add(key, 0, limit.seconds + 60)
    try:
        used = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, used := 1, limit.seconds + 60)
    if used <= limit.count:
        return 0
    return max(1, math.ceil((window + 1) * limit.seconds - now))


def refusal(request, name, part=""):
    """None when the request is within limit `name`; else the 429 response (the refusal counted)."""
    wait = consume(request, name, part)
    if not wait:
        return None
    record_refusal(request, name)
    return refused_response(request, sentence(limit_for(name), wait), wait)


def rate_limited(name):
    """View decorator: refuse with 429 past limit `name` (one line per limited view)."""

    def decorate(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            part = str(kwargs.get(LIMITS[name].per_kwarg, "")) if LIMITS[name].per_kwarg else ""
            return refusal(request, name, part) or view(request, *args, **kwargs)

        return limited

    return decorate


def sentence(limit, wait) -> str:
    """ "You have reached the limit of 30 new artists added by name per hour. Please try again in 12 minutes." """
    period = _("per hour") if limit.seconds == HOUR else _("per day")
    reached = _("You have reached the limit of %(count)s %(what)s %(period)s.") % {
        "count": limit.count,
        "what": limit.what,
        "period": period,
    }
    return f"{reached} {try_again(wait)}"


def try_again(wait) -> str:
    if wait > 90 * 60:
        hours = math.ceil(wait / HOUR)
        return ngettext("Please try again in %(n)s hour.", "Please try again in %(n)s hours.", hours) % {"n": hours}
    minutes = math.ceil(wait / 60)
    return ngettext("Please try again in %(n)s minute.", "Please try again in %(n)s minutes.", minutes) % {"n": minutes}


def refused_response(request, message, wait):
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    elif request.headers.get("HX-Request"):
        response = render(request, "limit_refused_fragment.html", {"message": message}, status=429)
        response["HX-Reswap"] = "beforebegin"  # the sentence goes just before what was to be updated
    else:
        response = render(request, "input_refused.html", {"message": message, "title": _("Too many requests")}, status=429)
    response["Retry-After"] = str(wait)
    return response


def record_refusal(request, name):
    """One more refusal of `name` today for this listener or address (the admin's count)."""
    from .models import ThrottleCount

    party = who(request)
    user_id = int(party.split(":", 1)[1]) if party.startswith("user:") else None
    row, _created = ThrottleCount.objects.get_or_create(
        who=party, limit=name, day=timezone.localdate(), defaults={"user_id": user_id}
    )
    ThrottleCount.objects.filter(pk=row.pk).update(count=F("count") + 1)
