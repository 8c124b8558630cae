"""Listening-source Celery tasks: thin wrappers that take ids and call one service.

One task serves every source (lastfm, spotify, listenbrainz, discogs): the source is an
argument, so the website's "Sync now" and the daily fan-out enqueue the same thing.
Transient API errors (rate limits, outages) retry with the catalog's backoff policy;
permanent ones (an unknown username, a revoked token) fail the task and are in the ApiCall
log. Every task is safe to run twice: an unchanged payload writes nothing.
"""

from celery import shared_task
from django.contrib.auth import get_user_model

from catalog import job_lease
from catalog.tasks import RETRYING

from . import catalog_build, collection_import, collection_value, services
from .filters import buying_filters


@shared_task(name="accounts.sync_source", **RETRYING)
def sync_source(user_id, source):
    """One listening source of one active user."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).select_related("profile").first()
    return services.sync_source(user, source).summary() if user else None


@shared_task(name="accounts.preview_source", **RETRYING)
def preview_source(user_id, source):
    """What a sync of one source would change, kept for the listener's page; writes no row."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).select_related("profile").first()
    return len(services.store_preview(user, source).rows) if user else None


@shared_task(name="accounts.sync_connected_users", acks_late=True)
def sync_connected_users():
    """Daily fan-out: one task per active user and source they connected."""
    pairs = services.connected_sources()
    for user_id, source in pairs:
        sync_source.delay(user_id, source)
    return len(pairs)


@shared_task(name="accounts.finish_catalog_builds", acks_late=True)
def finish_catalog_builds():
    """Every few minutes: listeners whose catalog chain is done get their set regenerated
    (the progress banner does the same while they watch)."""
    user_ids = list(catalog_build.users_building())
    for user_id in user_ids:
        finish_catalog_build.delay(user_id)
    return len(user_ids)


@shared_task(name="accounts.finish_catalog_build", acks_late=True)
def finish_catalog_build(user_id):
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return catalog_build.finish_if_built(user).sentence() if user else None


@shared_task(name="accounts.import_collection_csv", bind=True, acks_late=True, max_retries=10)
def import_collection_csv(self, job_id):
    """A listener's collection CSV job, under its lease: a redelivery after the job finished
    does nothing, one while another runner holds it waits for the lease, one after a dead run
    resumes after its last committed batch (catalog.tasks explains the rule)."""
    try:
        return collection_import.run_import(job_id)
    except job_lease.LeaseHeld as held:
        raise self.retry(countdown=max(1, held.seconds + 1)) from held


@shared_task(name="accounts.resume_abandoned_collection_imports", acks_late=True)
def resume_abandoned_collection_imports():
    """Every five minutes (beat): collection imports whose run died, or that never started,
    run again from their last committed batch."""
    job_ids = list(collection_import.stalled().values_list("pk", flat=True))
    for job_id in job_ids:
        import_collection_csv.delay(job_id)
    return len(job_ids)


@shared_task(name="accounts.record_collection_values", acks_late=True)
def record_collection_values():
    """Weekly fan-out: one task per active listener with a collection."""
    user_ids = collection_value.collectors()
    for user_id in user_ids:
        record_collection_value.delay(user_id)
    return len(user_ids)


@shared_task(name="accounts.record_collection_value", **RETRYING)
def record_collection_value(user_id):
    """This week's point of one listener's collection value (rewritten if run twice in a week)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).select_related("profile").first()
    if user is None:
        return None
    return str(collection_value.record_week(user, buying_filters(user).country).total_eur)
