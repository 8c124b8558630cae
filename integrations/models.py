"""One row per outbound HTTP attempt, written by integrations.http (secrets redacted)."""
from datetime import timedelta

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
