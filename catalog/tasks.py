"""Catalog Celery tasks: thin wrappers that take ids and call one service."""
from celery import shared_task

from . import csv_import


@shared_task(name="catalog.import_artists_csv", acks_late=True)
def import_artists_csv(job_id):
    """Import an uploaded CSV of artists; a second delivery finds the job claimed and does nothing."""
    return csv_import.run_import(job_id)
