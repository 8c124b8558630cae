"""The ApiCall log: one row per attempt, written whatever happens, and pruned after retention."""

import logging
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from integrations.factories import ApiCallFactory
from integrations.http import HttpClient
from integrations.models import ApiCall
from integrations.tasks import prune_api_calls

URL = "https://api.example.test/masters/1"


@pytest.mark.django_db
def test_a_successful_call_is_logged_with_its_size_and_method(http_responses):
    http_responses.get(URL, body='{"id": 1}', content_type="application/json")

    HttpClient("discogs").get_json(URL, params={"page": 2})

    call = ApiCall.objects.get()
    assert (call.provider, call.method, call.status_code, call.attempt) == ("discogs", "GET", 200, 1)
    assert call.endpoint == f"{URL}?page=2"
    assert call.bytes == len('{"id": 1}')
    assert call.error_kind == "" and call.error == ""
    assert call.replayed is False
    assert call.duration_ms >= 0


def test_a_call_still_succeeds_when_its_log_row_cannot_be_written(http_responses, caplog):
    # No django_db mark: pytest-django refuses every query, as a broken database would.
    http_responses.get(URL, json={"id": 1})

    with caplog.at_level(logging.ERROR, logger="integrations.http"):
        assert HttpClient("discogs").get_json(URL) == {"id": 1}

    assert "Could not record ApiCall for discogs" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_logging_inside_a_callers_transaction_leaves_the_transaction_usable(http_responses):
    http_responses.get(URL, json={"id": 1})

    with transaction.atomic():
        HttpClient("discogs").get_json(URL)
        ApiCallFactory(provider="lastfm")
        assert ApiCall.objects.count() == 2

    assert set(ApiCall.objects.values_list("provider", flat=True)) == {"discogs", "lastfm"}


@pytest.mark.django_db
def test_prune_deletes_only_rows_older_than_the_retention(settings):
    settings.API_CALL_RETENTION_DAYS = 14
    old = ApiCallFactory.create_batch(3, created_at=timezone.now() - timedelta(days=15))
    recent = ApiCallFactory(created_at=timezone.now() - timedelta(days=13))

    assert prune_api_calls.delay().get() == len(old)

    assert list(ApiCall.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_prune_twice_deletes_nothing_the_second_time():
    ApiCallFactory(created_at=timezone.now() - timedelta(days=400))

    assert prune_api_calls(days=30) == 1
    assert prune_api_calls(days=30) == 0


def test_prune_task_has_the_dotted_name_and_acks_late():
    assert prune_api_calls.name == "integrations.prune_api_calls"
    assert prune_api_calls.acks_late is True
