"""Project-level pages: the landing page and the health probe."""
import hmac

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .health import run_checks


def home(request):
    return render(request, "home.html")


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
