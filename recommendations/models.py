"""Recommendation sets (with a TTL and progress), their scored items, and user feedback."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RecommendationSetQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def live(self):
        return self.filter(status=RecommendationSet.Status.READY, expires_at__gt=timezone.now())


class RecommendationSet(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendation_sets")
    input_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0–100")
    size = models.PositiveSmallIntegerField(default=24)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(
        max_length=10,
        blank=True,
        help_text="The language its items' sentences were written in; read in another, they are written again from their facts",
    )
    shown_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Moves whenever what the set's grid shows changes (recommendations.shown): the cached grid is keyed on it",
    )

    objects = RecommendationSetQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="recset_user_latest")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="recset_progress_max_100"),
        ]

    def __str__(self):
        return f"Set {self.pk} for {self.user} ({self.status}, {self.progress}%)"

    def save(self, *args, **kwargs):
        """A save of a loaded set never writes `shown_version` back: only the bumps move it, and
        a copy loaded before a bump must not undo it (the grid would be served from before)."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            skipped = {"shown_version", *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                field.attname for field in self._meta.concrete_fields if not field.primary_key and field.attname not in skipped
            ]
        super().save(*args, **kwargs)

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()


class RecommendationItem(models.Model):
    set = models.ForeignKey(RecommendationSet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    breakdown = models.JSONField(default=dict, help_text="Component → points; the points sum to the score")
    explanation = models.TextField()
    reason = models.CharField(max_length=300, blank=True, help_text="The link to the listener's taste, in a few words")
    via = models.JSONField(default=list, blank=True, help_text="The listener's artists the card comes through")
    facts = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="What the reason and explanation were written from (recommendations.scoring.facts_to_data)",
    )
    suggested_release = models.ForeignKey("catalog.Release", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["set", "position"], name="recitem_unique_position"),
            models.UniqueConstraint(fields=["set", "album"], name="recitem_unique_album"),
        ]

    def __str__(self):
        return f"#{self.position} {self.album_id} ({self.score:.1f})"


class Feedback(models.Model):
    class Kind(models.TextChoices):
        LOCK = "lock", "Lock"
        DISMISS = "dismiss", "Dismiss"
        WANTLIST = "wantlist", "Wantlist"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback")
    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "feedback"
        constraints = [models.UniqueConstraint(fields=["user", "album", "kind"], name="feedback_one_per_kind")]
        indexes = [models.Index(fields=["user", "kind"], name="feedback_user_kind")]

    def __str__(self):
        return f"{self.user} {self.kind} {self.album_id}"


class ModelVersion(models.Model):
    """One fitted co-listening model: its .npz in settings.MODEL_DIR and how it was made.

    The newest row is the current model (recommendations.artifact); its file is complete
    before the row exists, so a reader never finds a row without its file.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    data_at = models.DateTimeField(help_text="When the fit read the listening and Last.fm edges")
    filename = models.CharField(max_length=200, unique=True)
    trainer = models.CharField(max_length=20)
    listeners = models.PositiveIntegerField()
    artists = models.PositiveIntegerField()
    edges = models.PositiveBigIntegerField(help_text="Neighbour entries in the model")
    size_bytes = models.PositiveBigIntegerField()
    fit_seconds = models.FloatField()
    ndcg_at_20 = models.FloatField(null=True, blank=True, help_text="On held-out artists of our own listeners")
    quality_listeners = models.PositiveIntegerField(default=0, help_text="Listeners the NDCG was measured on")

    class Meta:
        ordering = ["-pk"]
        get_latest_by = "pk"

    def __str__(self):
        return f"Model {self.pk} ({self.trainer}, {self.listeners} listeners, {self.artists} artists)"
