"""Celery tasks of the HTTP layer: keeping the ApiCall log small."""

from celery import shared_task
from django.conf import settings

from .models import ApiCall

# Deleting in slices keeps each statement short on a busy PostgreSQL table.
PRUNE_BATCH_SIZE = 5000


@shared_task(name="integrations.prune_api_calls", acks_late=True)
def prune_api_calls(days=None):
    """Delete ApiCall rows older than `days` (default settings.API_CALL_RETENTION_DAYS); return the count.

    Safe to run twice: a second run finds nothing left to delete.
    """
    days = settings.API_CALL_RETENTION_DAYS if days is None else days
    deleted = 0
    while True:
        batch = list(ApiCall.objects.older_than(days).values_list("pk", flat=True)[:PRUNE_BATCH_SIZE])
        if not batch:
            return deleted
        deleted += ApiCall.objects.filter(pk__in=batch).delete()[0]
