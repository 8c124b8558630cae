"""The API docs (/api/docs) render in chromium under our strict CSP: Swagger UI comes from our
own static files, no CDN, no inline script, no violation reported."""

import pytest

from .conftest import code_from_outside

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_api_docs_render_every_endpoint_under_the_csp(demo_site, new_page, screenshot, outside_requests):
    page = new_page()
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Vinilogy API" in page.inner_text(".swagger-ui .info .title")
    for path in ("/api/recs", "/api/recs/refresh", "/api/basket", "/api/albums/{album_id}/prices"):
        assert page.locator(f".opblock-summary-path[data-path='{path}']").count() == 1, path
    screenshot(page, "api-docs")
    assert code_from_outside(outside_requests) == []
