"""The API describes itself: OpenAPI at /api/openapi.json, Swagger UI at /api/docs from our own
static files under the strict CSP (the browser test renders it in chromium)."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/recs": {"get"},
    "/api/recs/refresh": {"post"},
    "/api/basket": {"get"},
    "/api/albums/{album_id}/prices": {"get"},
    "/api/filters": {"get", "put"},
}


def test_the_openapi_schema_lists_every_json_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Vinilogy API"
    for path, methods in ENDPOINTS.items():
        assert methods <= set(schema["paths"][path]), path
    price = schema["components"]["schemas"]["LandedPriceOut"]["properties"]
    assert set(price) >= {
        "item_eur",
        "shipping_eur",
        "shipping",
        "total_eur",
        "seller_country",
        "condition",
        "store",
        "url",
        "observed_at",
        "sample",
    }
    assert price["shipping"]["enum"] == ["exact", "estimated"]


def test_the_docs_page_loads_only_our_static_scripts_and_keeps_the_csp(client):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    scripts = re.findall(r"<script[^>]*\bsrc=[\"']([^\"']+)", html)
    assert scripts and all(src.startswith("/static/ninja/") for src in scripts)
    assert "<script>" not in html and "cdn" not in html.lower()
    for src in scripts:
        assert finders.find(src.removeprefix("/static/")), f"{src} is not one of our static files"
