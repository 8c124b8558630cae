"""Leases on long IngestionJobs: one live runner at a time, and a dead runner's job resumes.

A runner claims a job with a compare-and-set UPDATE that succeeds only when the job is
queued, or running under a lease that ran out (or under none: jobs from before leases). It
renews the lease in the same transaction as each batch of rows it commits, so the rows a job
has committed and its lease always agree: a runner killed mid-batch loses that batch only,
and the next runner resumes after the last committed row.
"""
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import IngestionJob


class LeaseHeld(Exception):
    """Another runner holds a live lease on the job; it expires in `seconds` (then try again)."""

    def __init__(self, seconds: float):
        super().__init__(f"the job is running elsewhere; its lease expires in {seconds:.0f}s")
        self.seconds = seconds


class LeaseLost(Exception):
    """This runner's lease ran out and another runner took the job: stop without writing."""


def _expiry():
    return timezone.now() + timedelta(seconds=settings.JOB_LEASE_SECONDS)


def claim(job_id, owner: str) -> bool:
    """True when `owner` now runs the job; False when it is finished; LeaseHeld while another runs it."""
    now = timezone.now()
    free = Q(status=IngestionJob.Status.QUEUED) | Q(
        Q(lease_expires_at__lt=now) | Q(lease_expires_at=None), status=IngestionJob.Status.RUNNING
    )
    claimed = IngestionJob.objects.filter(free, pk=job_id).update(
        status=IngestionJob.Status.RUNNING, lease_owner=owner, lease_expires_at=_expiry(),
        started_at=Coalesce("started_at", now),
    )
    if claimed:
        return True
    held = IngestionJob.objects.filter(pk=job_id, status=IngestionJob.Status.RUNNING).first()
    if held is not None:
        raise LeaseHeld((held.lease_expires_at - now).total_seconds())
    return False


def renew(job_id, owner: str, **fields):
    """Extend the lease and write `fields` (progress); LeaseLost when the job is no longer ours.

    Call it inside the transaction that commits the rows `fields` count."""
    if not IngestionJob.objects.filter(pk=job_id, lease_owner=owner).update(lease_expires_at=_expiry(), **fields):
        raise LeaseLost(f"job {job_id} is no longer held by {owner}")


def release(job_id, owner: str, **fields):
    """Finish: write `fields` (status, message…) and drop the lease, if it is still ours."""
    IngestionJob.objects.filter(pk=job_id, lease_owner=owner).update(lease_owner="", lease_expires_at=None, **fields)
