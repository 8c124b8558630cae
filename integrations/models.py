"""One row per outbound HTTP attempt, written by integrations.http (secrets redacted)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiCallQuerySet(models.QuerySet):
    def recent(self, minutes=60):
        return self.filter(created_at__gte=timezone.now() - timedelta(minutes=minutes))

    def errors(self):
        return self.exclude(error_kind="")

    def older_than(self, days):
        return self.filter(created_at__lt=timezone.now() - timedelta(days=days))


class ApiCall(models.Model):
    provider = models.CharField(max_length=20, db_index=True)
    method = models.CharField(max_length=7, default="GET")
    endpoint = models.CharField(max_length=2000, help_text="URL with every secret redacted")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    attempt = models.PositiveSmallIntegerField(default=1)
    bytes = models.PositiveIntegerField(default=0)
    error_kind = models.CharField(max_length=30, blank=True, help_text="not_found, auth, rate_limited…")
    error = models.TextField(blank=True)
    replayed = models.BooleanField(default=False, help_text="Served by the replay adapter, not the network")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ApiCallQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["provider", "-created_at"], name="apicall_provider_recent")]

    def __str__(self):
        return f"{self.provider} {self.method} {self.status_code or self.error_kind} {self.endpoint[:80]}"


class ThrottleCount(models.Model):
    """How many requests of one listener (or visitor's address) a rate limit refused on one day
    (integrations.limits): one row per party, limit and day, counted up at each refusal."""

    who = models.CharField(max_length=80, help_text="user:<id> for a listener, addr:<address> for a visitor")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    limit = models.CharField(max_length=40)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["who", "limit", "day"], name="throttle_count_once_a_day")]
        indexes = [models.Index(fields=["day", "limit"])]

    def __str__(self):
        return f"{self.who} {self.limit} {self.day}: {self.count}"
