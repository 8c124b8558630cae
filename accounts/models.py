"""What we know about a listener: profile, seed artists, listening snapshots, Discogs items."""

import hashlib
import json

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from catalog.models import IngestionJob
from pricing.filters import GRADES, SellerRegion


def default_country():
    return settings.DEFAULT_COUNTRY


class ListeningSource(models.TextChoices):
    LASTFM = "lastfm", "Last.fm"
    SPOTIFY = "spotify", "Spotify"
    LISTENBRAINZ = "listenbrainz", "ListenBrainz"
    DISCOGS = "discogs", "Discogs"
    DISCOGS_CSV = "discogs_csv", _("Discogs CSV export")
    MANUAL = "manual", _("Added by hand")
    DEMO = "demo", _("Demo data")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    country = CountryField(default=default_country, help_text=_("Where records ship to"))
    min_tracks_per_album = models.PositiveSmallIntegerField(default=6)
    min_playcount = models.PositiveIntegerField(default=0, help_text=_("Ignore artists played fewer times"))
    blocked_artists = models.ManyToManyField("catalog.Artist", blank=True, related_name="blocked_by")
    # Buying filters (accounts.filters.buying_filters turns them into pricing.filters.BuyingFilters).
    min_condition = models.CharField(
        max_length=5,
        blank=True,
        default="",
        choices=[("", "Any condition"), *((g.value, g.label) for g in GRADES)],
        help_text=_("Only offers whose record (media) is graded at least this well"),
    )
    seller_region = models.CharField(max_length=10, choices=SellerRegion.choices, default=SellerRegion.ANYWHERE)
    max_shipping_eur = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, help_text=_("Leave out offers whose shipping costs more")
    )
    # Price sources the listener switched off (names of the optional ones, pricing.sources).
    excluded_sources = models.JSONField(default=list, blank=True)
    min_seller_rating = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Leave out sellers whose positive feedback is lower (per cent); empty: any"),
    )
    min_seller_ratings = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Leave out sellers with fewer ratings; empty: any")
    )
    # The listener's language (accounts.language) for their emails and digests: the one they chose
    # with the switcher, which their pages follow after each sign-in; until they choose, the one
    # they last signed in with (their browser's), which leaves their pages to the browser.
    language = models.CharField(
        max_length=8, blank=True, default="", choices=settings.LANGUAGES, help_text=_("Pages and emails in this language")
    )
    language_chosen = models.BooleanField(default=False, help_text=_("Chosen with the language switcher"))
    catalog_requested_at = models.DateTimeField(
        null=True, blank=True, help_text="When the catalog chain for this listener's taste was last started; cleared once built"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Profile of {self.user}"


def active_countries():
    """Where our active listeners want records shipped (pricing.destinations asks)."""
    return Profile.objects.filter(user__is_active=True).values_list("country", flat=True).distinct()


def user_country(user):
    return user.profile.country


class SeedArtist(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seed_artists")
    artist = models.ForeignKey("catalog.Artist", on_delete=models.CASCADE, related_name="seeded_by")
    source = models.CharField(max_length=20, choices=ListeningSource.choices, default=ListeningSource.MANUAL)
    weight = models.FloatField(default=1.0)
    playcount = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-weight"]
        constraints = [models.UniqueConstraint(fields=["user", "artist", "source"], name="seed_unique_per_source")]

    def __str__(self):
        return f"{self.user} ← {self.artist} ({self.source})"


class SourceUsername(models.Model):
    """A listener's username on a listening source connected by username (accounts/sources):
    the one place they are kept, for every such source, so adding one needs no migration."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="source_usernames")
    source = models.CharField(max_length=20)
    username = models.CharField(max_length=100)
    connected_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "source"], name="source_username_unique")]

    def __str__(self):
        return f"{self.user} · {self.source} · {self.username}"


def payload_hash(payload):
    """Stable hash of a JSON payload: same data, same hash, whatever the key order."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class ListeningSnapshot(models.Model):
    """The latest raw listening data of one user, source and period."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="snapshots")
    source = models.CharField(max_length=20, choices=ListeningSource.choices)
    period = models.CharField(max_length=20, help_text="overall, 12month, 6month, long_term…")
    payload = models.JSONField(default=dict)
    payload_hash = models.CharField(max_length=64)
    fetched_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "source", "period"]
        constraints = [models.UniqueConstraint(fields=["user", "source", "period"], name="snapshot_unique_user_source_period")]

    def __str__(self):
        return f"{self.user} · {self.source} · {self.period}"


class CollectionItem(models.Model):
    class Folder(models.TextChoices):
        COLLECTION = "collection", _("Collection")
        WANTLIST = "wantlist", _("Wantlist")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collection_items")
    release = models.ForeignKey("catalog.Release", on_delete=models.CASCADE, related_name="collected_by")
    folder = models.CharField(max_length=10, choices=Folder.choices)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=ListeningSource.choices, default=ListeningSource.DISCOGS)
    added_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "release", "folder"], name="collection_unique_item")]

    def __str__(self):
        return f"{self.user} · {self.folder} · {self.release_id}"


class CollectionImport(models.Model):
    """A listener's Discogs collection CSV, imported by a task under a lease (catalog.job_lease).

    Every record of the file is counted once, in order: stored (a vinyl record written to the
    collection, or another format kept as taste only), known (already in the collection as the
    file says, or repeated in the file) or refused (in `errors`, with its line). The counts are
    committed with the rows they count, so what the page says is what the database holds, and a
    run that died resumes after `processed` records.
    """

    Status = IngestionJob.Status

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collection_imports")
    upload = models.FileField(upload_to="collection-csv/%Y/%m/")
    name = models.CharField(max_length=300, help_text="The uploaded file's name")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the file")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    total = models.PositiveIntegerField(null=True, blank=True, help_text="Records in the file, once counted")
    processed = models.PositiveIntegerField(default=0)
    stored = models.PositiveIntegerField(default=0, help_text="Vinyl records written to the collection")
    taste_only = models.PositiveIntegerField(default=0, help_text="Other formats, kept as taste only")
    known = models.PositiveIntegerField(default=0, help_text="Already in the collection, or repeated in the file")
    errors = models.JSONField(default=list, blank=True, help_text='[{"line": 3, "reason": "..."}]')
    removed = models.PositiveIntegerField(default=0, help_text="Records of an earlier file no longer in this one")
    changed = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.name} ({self.status})"

    @property
    def refused(self) -> int:
        return len(self.errors)

    @property
    def accounted(self) -> int:
        """Records with an outcome: equals `processed`, and `total` once the job is done."""
        return self.stored + self.taste_only + self.known + self.refused

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0
