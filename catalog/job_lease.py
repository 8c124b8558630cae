"""Leases on long IngestionJobs: one live runner at a time, and a dead runner's job resumes.

A runner claims a job with a compare-and-set UPDATE that succeeds only when the job is
queued, or running under a lease that ran out (or under none: jobs from before leases). It
renews the lease in the same transaction as each batch of rows it commits, so the rows a job
has committed and its lease always agree: a runner killed mid-batch loses that batch only,
and the next runner resumes after the last committed row.

`run(job_id, work)` is the whole protocol for a runner (the CSV import and the Discogs dump
import both go through it): a fresh owner, the claim, `work(job, owner)`, and a quiet stop
when the lease was lost. `work` renews as it commits and releases when it is done.

Every function takes the job model as `jobs` (IngestionJob by default): a listener's
collection import (accounts.CollectionImport) has the same status and lease fields and runs
under the same rule.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import IngestionJob

logger = logging.getLogger(__name__)


class LeaseHeld(Exception):
    """Another runner holds a live lease on the job; it expires in `seconds` (then try again)."""

    def __init__(self, seconds: float):
        super().__init__(f"the job is running elsewhere; its lease expires in {seconds:.0f}s")
        self.seconds = seconds


class LeaseLost(Exception):
    """This runner's lease ran out and another runner took the job: stop without writing."""


def _expiry():
    return timezone.now() + timedelta(seconds=settings.JOB_LEASE_SECONDS)


def claim(job_id, owner: str, jobs=IngestionJob) -> bool:
    """True when `owner` now runs the job; False when it is finished; LeaseHeld while another runs it."""
    now = timezone.now()
    free = Q(status=IngestionJob.Status.QUEUED) | Q(
        Q(lease_expires_at__lt=now) | Q(lease_expires_at=None), status=IngestionJob.Status.RUNNING
    )
    claimed = jobs.objects.filter(free, pk=job_id).update(
        status=IngestionJob.Status.RUNNING,
        lease_owner=owner,
        lease_expires_at=_expiry(),
        started_at=Coalesce("started_at", now),
    )
    if claimed:
        return True
    held = jobs.objects.filter(pk=job_id, status=IngestionJob.Status.RUNNING).first()
    if held is not None:
        raise LeaseHeld((held.lease_expires_at - now).total_seconds())
    return False


def renew(job_id, owner: str, jobs=IngestionJob, **fields):
    """Extend the lease and write `fields` (progress); LeaseLost when the job is no longer ours.

    Call it inside the transaction that commits the rows `fields` count."""
    if not jobs.objects.filter(pk=job_id, lease_owner=owner).update(lease_expires_at=_expiry(), **fields):
        raise LeaseLost(f"job {job_id} is no longer held by {owner}")


def release(job_id, owner: str, jobs=IngestionJob, **fields):
    """Finish: write `fields` (status, message…) and drop the lease, if it is still ours."""
    jobs.objects.filter(pk=job_id, lease_owner=owner).update(lease_owner="", lease_expires_at=None, **fields)


def run(job_id, work, jobs=IngestionJob) -> bool:
    """Run `work(job, owner)` under a fresh lease on the job. False when there was nothing to
    do (the job is finished) or the lease was lost midway (another runner carries on);
    LeaseHeld while another runner's lease is live."""
    owner = uuid.uuid4().hex
    if not claim(job_id, owner, jobs):
        return False
    try:
        work(jobs.objects.get(pk=job_id), owner)
    except LeaseLost:
        logger.warning("Job %s: lease lost to another runner, stopping", job_id)
        return False
    return True


def running_job_ids(kind) -> list[int]:
    """Jobs of `kind` left running: by a live runner, or by one that died (its lease runs out)."""
    return list(IngestionJob.objects.filter(kind=kind, status=IngestionJob.Status.RUNNING).values_list("pk", flat=True))
