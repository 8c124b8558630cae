"""Project-level pages: the landing page and the health probe."""
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render


def home(request):
    return render(request, "home.html")


def health(request):
    """Liveness for load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks = {"database": "ok"}
        status = 200
    except Exception as exc:  # any database failure means unhealthy
        checks = {"database": f"error: {exc}"}
        status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "checks": checks}, status=status)
