"""Project-level pages: the landing page, the admin's way in and the health probe."""

import hmac

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache

from accounts import sources as listening_sources

from .health import run_checks


def home(request):
    lastfm = listening_sources.get("lastfm")
    return render(
        request, "home.html", {"lastfm_username": lastfm.username(request.user) if request.user.is_authenticated else ""}
    )


def admin_login(request):
    """/admin/login/ (GET or POST): to allauth's sign-in, never Django's unthrottled admin form.

    A signed-in listener who is not staff is refused here: sending them to sign in again would
    bounce them between the admin and the sign-in page."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
    if not request.user.is_staff:
        raise PermissionDenied("Your account has no access to the operators' console.")
    return redirect(next_url)


@never_cache
def health(request):
    """Readiness for load balancers: 200 {"status": "ok"} or 503 {"status": "degraded"}.

    Which check failed, worker state and provider error rates are for staff and for monitors
    that send the HEALTH_TOKEN from the environment as "Authorization: Bearer <token>".
    """
    checks, reasons = run_checks()
    body = {"status": "degraded" if reasons else "ok"}
    if _may_see_health_details(request):
        body.update(reasons=reasons, checks=checks)
    return JsonResponse(body, status=503 if reasons else 200)


def _may_see_health_details(request) -> bool:
    if request.user.is_authenticated and request.user.is_staff:
        return True
    token = settings.HEALTH_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(sent.encode(), token.encode())
