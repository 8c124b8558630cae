"""How every Celery task runs, set once in settings and applied to every app's tasks.

- `TimeLimits` (CELERY_TASK_ANNOTATIONS) gives each task its family's soft and hard limits.
- `worker_transport_options` gives a worker the visibility timeout and unacked-message keys of
  the class of the queues it serves (CELERY_QUEUE_CLASSES), so a short task lost with its worker
  comes back in minutes while a running import is never handed out twice.
- `GuardedTask` (the app's task class) counts the deliveries of a task whose worker died
  while running it (a kill, the OOM killer, a hard time limit) and parks the task in the
  dead-letter list once it has done so CELERY_MAX_LOST_DELIVERIES times, instead of letting
  reject_on_worker_lost deliver it forever.
"""

import logging

from celery import Task
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


class TimeLimits:
    """Celery annotation: the (soft, hard) limits of the first CELERY_TIME_LIMITS prefix matching."""

    def annotate(self, task):
        for prefix, (soft, hard) in settings.CELERY_TIME_LIMITS:
            if task.name.startswith(prefix):
                return {"soft_time_limit": soft, "time_limit": hard}
        return None


def queue_class(queues):
    """ "short" when every queue served is a short one; otherwise "long" (never a premature redelivery)."""
    short = settings.CELERY_QUEUE_CLASSES["short"]["queues"]
    return "short" if queues and all(queue in short for queue in queues) else "long"


def worker_transport_options(queues):
    """Broker options of a worker serving `queues`. Each class keeps its unacked messages under its
    own keys: kombu restores every message of the index it reads, so a short-timeout worker reading
    the long class's index would hand a running import to a second worker. The long class keeps
    kombu's default keys, which producers' connections (and workers before this split) use."""
    name = queue_class(queues)
    options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": settings.CELERY_QUEUE_CLASSES[name]["visibility_timeout"],
    }
    if name != "long":
        options.update({key: f"{key[:-4]}:{name}" for key in ("unacked_key", "unacked_index_key", "unacked_mutex_key")})
        # kombu sweeps the index every 10 s × this throttle (default 10: ~100 s, a third of the margin).
        options["unacked_restore_throttle"] = 1
    return options


def starts_key(task_id):
    return f"vinilogy:celery:unfinished-starts:{task_id}"


class GuardedTask(Task):
    """A task that remembers, across worker deaths, how often it started without finishing."""

    def __call__(self, *args, **kwargs):
        if not self.request.id:  # called as a plain function
            return super().__call__(*args, **kwargs)
        key = starts_key(self.request.id)
        cache.add(key, 0, timeout=settings.CELERY_VISIBILITY_TIMEOUT * 4)
        deaths = cache.incr(key) - 1
        if deaths >= settings.CELERY_MAX_LOST_DELIVERIES:
            self._park(deaths)
            cache.delete(key)
            return None
        try:
            return super().__call__(*args, **kwargs)
        finally:  # finished, failed or retrying: only a dead process skips this
            cache.delete(key)

    def _park(self, deaths):
        from catalog.models import DeadLetter

        logger.error("Task %s[%s] killed its worker %s times: parked", self.name, self.request.id, deaths)
        DeadLetter.objects.update_or_create(
            task_id=self.request.id,
            defaults={
                "task_name": self.name,
                "args": list(self.request.args or ()),
                "kwargs": dict(self.request.kwargs or {}),
                "lost_deliveries": deaths,
            },
        )
