"""What one run did: rows created/updated/unchanged, cache hits, errors, and API calls.

A manage.py command, a benchmark or a task opens `collecting_stats()`; the services below it
call `note()` and `note_error()` wherever they touch a row, and the command prints one
summary line. Permanent API errors are kept on the row that owns them
(`record_permanent_error`): shared by every app, so it lives at the bottom layer.
"""

import contextvars
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Count, Max

from .models import ApiCall

logger = logging.getLogger(__name__)

ERROR_MAX_CHARS = 2000


@dataclass
class RunStats:
    """What one command or benchmark run did. API calls are counted from the ApiCall log."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cache_hits: int = 0  # lookups answered by fresh rows
    api_lookups: int = 0  # lookups that had to ask a provider
    errors: list = field(default_factory=list)
    api_call_floor: int = 0

    @classmethod
    def start(cls):
        return cls(api_call_floor=ApiCall.objects.aggregate(last=Max("pk"))["last"] or 0)

    def api_calls(self):
        rows = ApiCall.objects.filter(pk__gt=self.api_call_floor).values("provider").annotate(n=Count("pk"))
        return {row["provider"]: row["n"] for row in rows.order_by("provider")}

    @property
    def cache_hit_ratio(self):
        lookups = self.cache_hits + self.api_lookups
        return self.cache_hits / lookups if lookups else 0.0

    def summary(self):
        calls = self.api_calls()
        per_provider = ", ".join(f"{provider} {n}" for provider, n in calls.items()) or "none"
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}; "
            f"API calls {sum(calls.values())} ({per_provider}); cache hits {self.cache_hits}; "
            f"errors {len(self.errors)}"
        )

    def as_dict(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "cache_hits": self.cache_hits,
            "api_lookups": self.api_lookups,
            "errors": self.errors[:50],
            "api_calls": self.api_calls(),
        }


_current_stats = contextvars.ContextVar("run_stats", default=None)


@contextmanager
def collecting_stats(stats=None):
    """Count what the services do inside the block (the caller's thread only)."""
    stats = stats or RunStats.start()
    token = _current_stats.set(stats)
    try:
        yield stats
    finally:
        _current_stats.reset(token)


def note(outcome, n=1):
    """Count an outcome in the current run: "created", "updated", "unchanged", "cache_hits"
    (a fresh row answered) or "api_lookups" (a provider had to be asked)."""
    stats = _current_stats.get()
    if stats is not None:
        setattr(stats, outcome, getattr(stats, outcome) + n)


def note_error(message):
    stats = _current_stats.get()
    if stats is not None:
        stats.errors.append(message)


def counted(result):
    """The row of an upsert result (`.obj`, `.outcome`), counted as created, updated or unchanged."""
    note(result.outcome)
    return result.obj


def stamp(row, **fields):
    """Write fields straight to the row (no signals, no other column touched)."""
    type(row).objects.filter(pk=row.pk).update(**fields)
    for name, value in fields.items():
        setattr(row, name, value)


def record_permanent_error(row, error, **stamps):
    """Keep a permanent API error on its row and stamp it refreshed; re-raise a transient one."""
    if not error.permanent:
        raise error
    message = str(error)[:ERROR_MAX_CHARS]
    stamp(row, last_error=message, **stamps)
    note_error(f"{type(row).__name__} {row.pk} ({row}): {message}")
    logger.warning("Skipping %s %s: %s", type(row).__name__, row.pk, message)
