"""The ApiCall admin: a read-only live log, newest first, filtered the way operators ask."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.factories import ApiCallFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:integrations_apicall_changelist")


def listed_endpoints(response):
    return [call.endpoint for call in response.context["cl"].result_list]


def test_the_log_lists_the_newest_calls_first(admin_client):
    now = timezone.now()
    ApiCallFactory(endpoint="https://x.test/old", created_at=now - timedelta(minutes=5))
    ApiCallFactory(endpoint="https://x.test/new", created_at=now)

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert listed_endpoints(response) == ["https://x.test/new", "https://x.test/old"]


def test_operators_can_list_only_the_failures_of_one_provider(admin_client):
    ApiCallFactory(provider="discogs", endpoint="https://x.test/ok")
    ApiCallFactory(provider="discogs", endpoint="https://x.test/429", status_code=429, error_kind="rate_limited")
    ApiCallFactory(provider="lastfm", endpoint="https://x.test/lastfm-503", status_code=503, error_kind="unavailable")

    response = admin_client.get(CHANGELIST, {"provider": "discogs", "outcome": "error"})

    assert listed_endpoints(response) == ["https://x.test/429"]


@pytest.mark.parametrize("status_class, expected", [("5xx", ["https://x.test/503"]), ("none", ["https://x.test/timeout"])])
def test_the_status_class_filter_groups_codes(admin_client, status_class, expected):
    ApiCallFactory(endpoint="https://x.test/200")
    ApiCallFactory(endpoint="https://x.test/503", status_code=503, error_kind="unavailable")
    ApiCallFactory(endpoint="https://x.test/timeout", status_code=None, error_kind="timeout")

    assert listed_endpoints(admin_client.get(CHANGELIST, {"status_class": status_class})) == expected


def test_the_time_filter_keeps_recent_calls(admin_client):
    ApiCallFactory(endpoint="https://x.test/yesterday", created_at=timezone.now() - timedelta(days=1))
    ApiCallFactory(endpoint="https://x.test/now")

    assert listed_endpoints(admin_client.get(CHANGELIST, {"within": "60"})) == ["https://x.test/now"]


def test_live_mode_refreshes_the_list_with_htmx_and_keeps_the_filters(admin_client):
    ApiCallFactory(provider="ebay", endpoint="https://x.test/ebay")

    response = admin_client.get(CHANGELIST, {"provider": "ebay", "live": "1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 5s"' in html
    assert "vendor/htmx.min.js" in html
    assert "live=1" in html and "provider=ebay" in html
    assert listed_endpoints(response) == ["https://x.test/ebay"]


def test_the_log_is_read_only(admin_client):
    call = ApiCallFactory()

    assert "hx-trigger" not in admin_client.get(CHANGELIST).content.decode()
    assert admin_client.get(reverse("admin:integrations_apicall_add")).status_code == 403
    assert admin_client.post(reverse("admin:integrations_apicall_change", args=[call.pk]), {"provider": "x"}).status_code == 403
