"""Listening-source Celery tasks: thin wrappers that take ids and call one service.

Transient API errors (rate limits, outages) retry with exponential backoff and jitter;
permanent ones (an unknown username, a revoked token) fail the task and are in the ApiCall
log. Every task is safe to run twice: an unchanged payload writes nothing.
"""
from celery import shared_task
from django.contrib.auth import get_user_model

from integrations.errors import RateLimited, Unavailable

from . import services

RETRYING = {
    "acks_late": True,
    "autoretry_for": (RateLimited, Unavailable),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 6,
}


def _active_user(user_id):
    return get_user_model().objects.filter(pk=user_id, is_active=True).select_related("profile").first()


@shared_task(name="accounts.sync_source", **RETRYING)
def sync_source(user_id, source):
    """One listening source of one user: lastfm, spotify, listenbrainz or discogs."""
    user = _active_user(user_id)
    return services.sync_source(user, source).summary() if user else None


@shared_task(name="accounts.sync_lastfm", **RETRYING)
def sync_lastfm(user_id):
    return sync_source(user_id, "lastfm")


@shared_task(name="accounts.sync_spotify", **RETRYING)
def sync_spotify(user_id):
    return sync_source(user_id, "spotify")


@shared_task(name="accounts.sync_listenbrainz", **RETRYING)
def sync_listenbrainz(user_id):
    return sync_source(user_id, "listenbrainz")


@shared_task(name="accounts.sync_discogs", **RETRYING)
def sync_discogs(user_id):
    return sync_source(user_id, "discogs")


@shared_task(name="accounts.sync_connected_users", acks_late=True)
def sync_connected_users():
    """Daily fan-out: one task per active user and source they connected."""
    queued = 0
    for user_id, source in services.connected_sources():
        sync_source.delay(user_id, source)
        queued += 1
    return queued
