"""Project-level pages: the landing page and the health probe."""
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .health import run_checks


def home(request):
    return render(request, "home.html")


@never_cache
def health(request):
    """Readiness for load balancers and monitors: 200 when every check passes, 503 naming the failures."""
    checks, reasons = run_checks()
    if reasons:
        return JsonResponse({"status": "error", "reasons": reasons, "checks": checks}, status=503)
    return JsonResponse({"status": "ok", "checks": checks})
