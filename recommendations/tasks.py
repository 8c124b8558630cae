"""Recommendation Celery tasks: thin wrappers that take ids and call one service."""

from celery import shared_task

from . import colisten, services


@shared_task(name="recommendations.generate_set", acks_late=True)
def generate_set(set_id):
    """Generate one set. A second delivery finds it claimed (no longer PENDING) and does nothing."""
    return services.generate_set(set_id).status


@shared_task(name="recommendations.refresh_colisten", queue="model", acks_late=True)
def refresh_colisten():
    """Daily (beat schedule in catalog/migrations/0004), on its own `model` queue so set
    generation never waits behind it: refit the co-listening model over every listener,
    publish it as a new model version and refresh the artist page's similar artists."""
    return colisten.rebuild_colisten_similarities().summary()
