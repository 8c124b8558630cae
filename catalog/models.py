"""Artists, the similar-artist graph, studio albums, tracks and every vinyl pressing.

Rows are upserted on external ids (MBID, Discogs id, Spotify id) and on normalized
names; the conditional unique constraints below make a retried or concurrent task
fail to create a duplicate instead of silently creating one. Whether a row is stale is
catalog.freshness's; is_studio and exclusion_reason hold catalog.studio's verdict.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy

from . import freshness


class Source(models.TextChoices):
    LASTFM = "lastfm", "Last.fm"
    MUSICBRAINZ = "musicbrainz", "MusicBrainz"
    DISCOGS = "discogs", "Discogs"
    DISCOGS_DUMP = "discogs_dump", "Discogs data dump"
    SPOTIFY = "spotify", "Spotify"
    LISTENBRAINZ = "listenbrainz", "ListenBrainz"
    CSV = "csv", "CSV import"
    MANUAL = "manual", "Added by hand"
    ROLLING_STONE = "rolling_stone", "Rolling Stone 500 list"
    COLISTEN = "colisten", "Co-listening across our users"
    # The engine's other neighbour sources (recommendations.engine), stored beside colisten
    # so candidate ranking rebuilds the whole model; "_negative" rows hold negative weights.
    COLISTEN_NEGATIVE = "colisten_negative", "Co-listening (negative weight)"
    RP3BETA = "rp3beta", "Random walk over our users' listening"
    ALS = "als", "Latent factors of our users' listening"
    ALS_NEGATIVE = "als_negative", "Latent factors (negative weight)"
    TAG_NEIGHBOURS = "tags", "Shared tags"


class YearSource(models.TextChoices):
    """Who gave an album its first-release year (catalog.upsert.album_year is the rule)."""

    UNKNOWN = "", "Not recorded (kept from before sources were recorded)"
    DISCOGS_MASTER = "discogs_master", "Discogs master"
    MUSICBRAINZ = "musicbrainz", "MusicBrainz first-release date"
    LIST = "list", "A curated list"
    PRESSINGS = "pressings", "Earliest pressing, every version read"


ENGINE_SOURCES = (
    Source.COLISTEN,
    Source.COLISTEN_NEGATIVE,
    Source.RP3BETA,
    Source.ALS,
    Source.ALS_NEGATIVE,
    Source.TAG_NEIGHBOURS,
)


class ArtistQuerySet(models.QuerySet):
    def stale(self):
        """Artists whose profile (MusicBrainz + Last.fm) is due."""
        return self.filter(freshness.due("refreshed_at", freshness.ARTIST))

    def albums_due(self):
        """Artists whose album list was never fetched or is past its window."""
        return self.filter(freshness.due("albums_refreshed_at", freshness.ARTIST))

    def similars_expired(self):
        """Artists whose similar artists were fetched once and are now past their window:
        the bare rows Last.fm's neighbours create are not refreshed for their own sake."""
        return self.filter(freshness.expired("similars_refreshed_at", freshness.SIMILARS))

    def followed_by_active_users(self):
        return self.filter(seeded_by__user__is_active=True).distinct()

    def search(self, text):
        from .normalize import normalize_name

        return self.filter(normalized_name__startswith=normalize_name(text))

    def confirmed(self, *, own=()):
        """Without the names a listener typed that no lookup confirmed yet (added by hand and
        never refreshed, or refreshed only to learn that no source knows them): those stay
        private to the listeners who typed them (`own`: artist ids shown all the same)."""
        unconfirmed = Q(source=Source.MANUAL) & (Q(refreshed_at__isnull=True) | ~Q(last_error=""))
        return self.exclude(unconfirmed & ~Q(pk__in=own))

    def visible_to(self, user):
        """confirmed(), with the artists this user has among their own (they typed them)."""
        own = self.model.objects.filter(seeded_by__user_id=user.pk).values("pk") if user.is_authenticated else ()
        return self.confirmed(own=own)


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Artist(models.Model):
    name = models.CharField(max_length=300)
    normalized_name = models.CharField(max_length=600, db_index=True)  # keys can outgrow names ("&" → "and")
    mbid = models.UUIDField(null=True, blank=True)
    discogs_id = models.PositiveBigIntegerField(null=True, blank=True)
    spotify_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 NULL, not "", so unique ids allow many unknown
    image_url = models.URLField(max_length=500, blank=True)
    listeners = models.PositiveBigIntegerField(null=True, blank=True, help_text="Last.fm listeners")
    playcount = models.PositiveBigIntegerField(null=True, blank=True, help_text="Last.fm scrobbles")
    popularity = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Spotify 0–100")
    rating = models.FloatField(null=True, blank=True, help_text="Operator rating from CSV import")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    tags = models.ManyToManyField(Tag, through="ArtistTag", related_name="artists", blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    similars_refreshed_at = models.DateTimeField(null=True, blank=True)
    albums_refreshed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArtistQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["mbid"], condition=Q(mbid__isnull=False), name="artist_unique_mbid"),
            models.UniqueConstraint(
                fields=["discogs_id"], condition=Q(discogs_id__isnull=False), name="artist_unique_discogs_id"
            ),
            models.UniqueConstraint(
                fields=["spotify_id"], condition=Q(spotify_id__isnull=False), name="artist_unique_spotify_id"
            ),
            # Two artists may share a name only when MusicBrainz tells them apart.
            models.UniqueConstraint(
                fields=["normalized_name"], condition=Q(mbid__isnull=True), name="artist_unique_name_without_mbid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_stale(self):
        return freshness.is_due(self.refreshed_at, freshness.ARTIST)

    @property
    def similars_stale(self):
        return freshness.is_due(self.similars_refreshed_at, freshness.SIMILARS)

    @property
    def albums_stale(self):
        return freshness.is_due(self.albums_refreshed_at, freshness.ARTIST)


class ArtistTag(models.Model):
    artist = models.ForeignKey(Artist, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)
    weight = models.PositiveSmallIntegerField(default=100, help_text="Last.fm tag count, 0–100")

    def __str__(self):
        return f"artist {self.artist_id} tagged {self.tag_id} ({self.weight})"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["artist", "tag"], name="artisttag_unique_pair")]


class ArtistSimilarity(models.Model):
    from_artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="similar_to")
    to_artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="similar_from")
    score = models.FloatField(help_text="0–1, higher is more similar")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.LASTFM)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "artist similarities"
        ordering = ["from_artist_id", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["from_artist", "to_artist", "source"], name="similarity_unique_pair"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="similarity_score_0_1"),
            models.CheckConstraint(condition=~Q(from_artist=models.F("to_artist")), name="similarity_not_self"),
        ]
        indexes = [models.Index(fields=["from_artist", "source", "-score"], name="similarity_from_score")]

    def __str__(self):
        return f"{self.from_artist} → {self.to_artist} ({self.score:.2f}, {self.source})"


class AlbumQuerySet(models.QuerySet):
    def studio(self):
        return self.filter(is_studio=True)

    def with_vinyl(self):
        return self.filter(releases__isnull=False).distinct()

    def with_release_counts(self):
        return self.annotate(release_count=models.Count("releases", distinct=True))

    def releases_due(self, now=None):
        """Albums whose pressings were never synced or are past their window."""
        return self.filter(freshness.due("releases_refreshed_at", freshness.RELEASES, now))

    def prices_due(self):
        return self.filter(freshness.due("prices_refreshed_at", freshness.PRICES))

    def tracklist_due(self):
        """Studio albums with a Discogs master whose standard tracklist was never asked for."""
        return self.filter(is_studio=True, discogs_master_id__isnull=False, tracklist_checked_at__isnull=True)


class Album(models.Model):
    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="albums")
    title = models.CharField(max_length=500)
    normalized_title = models.CharField(max_length=1000, db_index=True)
    mbid = models.UUIDField(null=True, blank=True, help_text="MusicBrainz release group")
    discogs_master_id = models.PositiveBigIntegerField(null=True, blank=True)
    spotify_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 NULL, not "", so unique ids allow many unknown
    first_release_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Which source stated the year: a stated year (master, MusicBrainz, a list) is never
    # replaced by a pressing's; the earliest pressing's counts only once every version was read.
    year_source = models.CharField(max_length=20, choices=YearSource.choices, blank=True, default=YearSource.UNKNOWN)
    is_studio = models.BooleanField(default=True)
    exclusion_reason = models.CharField(
        max_length=200, blank=True, help_text="Why this album is not recommended (live, compilation…)"
    )
    genre = models.CharField(max_length=100, blank=True)
    track_count = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the master's main release (the standard edition) last gave the tracklist: a count
    # taken from another pressing (a deluxe reissue, a box) is replaced by it once.
    tracklist_checked_at = models.DateTimeField(null=True, blank=True)
    cover_url = models.URLField(max_length=500, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MUSICBRAINZ)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    releases_refreshed_at = models.DateTimeField(null=True, blank=True)
    # What the last versions walk of the master found: Discogs' count of its versions and, when
    # the walk read every one of them, when; pressing counts say "all N" only then.
    versions_total = models.PositiveIntegerField(null=True, blank=True, help_text="Versions of the master (Discogs)")
    all_versions_read_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker syncing this album's pressings (a compare-and-set claim), so a
    # second worker skips it; a claim older than the lease counts as abandoned.
    releases_sync_started_at = models.DateTimeField(null=True, blank=True)
    prices_refreshed_at = models.DateTimeField(null=True, blank=True)
    # When any of its quotes last changed (pricing.best_price stamps it with the album's best
    # prices): what a cached price shown for the album is keyed on, so a new price is never
    # hidden behind an old card.
    prices_changed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AlbumQuerySet.as_manager()

    class Meta:
        ordering = ["artist__name", "first_release_year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["mbid"], condition=Q(mbid__isnull=False), name="album_unique_mbid"),
            models.UniqueConstraint(
                fields=["discogs_master_id"],
                condition=Q(discogs_master_id__isnull=False),
                name="album_unique_discogs_master",
            ),
            models.UniqueConstraint(fields=["spotify_id"], condition=Q(spotify_id__isnull=False), name="album_unique_spotify_id"),
            models.UniqueConstraint(
                fields=["artist", "normalized_title"],
                condition=Q(mbid__isnull=True),
                name="album_unique_title_without_mbid",
            ),
        ]
        indexes = [models.Index(fields=["is_studio", "track_count"], name="album_candidate_filter")]

    def __str__(self):
        return f"{self.artist.name} – {self.title}"

    @property
    def releases_stale(self):
        return freshness.is_due(self.releases_refreshed_at, freshness.RELEASES)

    @property
    def prices_stale(self):
        return freshness.is_due(self.prices_refreshed_at, freshness.PRICES)

    @property
    def spotify_embed_url(self):
        return f"https://open.spotify.com/embed/album/{self.spotify_id}" if self.spotify_id else ""

    @property
    def studio_basis(self):
        """What says this is a studio album, in a few words: whoever made the row judged it one
        (catalog.studio) and no fact learned since said otherwise."""
        if self.mbid:
            return _("MusicBrainz types it as an album")
        if self.source == Source.ROLLING_STONE:
            return _("the Rolling Stone list calls it a studio album")
        if self.source in (Source.DISCOGS, Source.DISCOGS_DUMP):
            return _("Discogs lists it as an album, and nothing we hold says otherwise")
        return _("nothing we hold says otherwise")

    @property
    def discogs_master_url(self):
        return f"https://www.discogs.com/master/{self.discogs_master_id}" if self.discogs_master_id else ""


class Track(models.Model):
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="tracks")
    sequence = models.PositiveSmallIntegerField(help_text="Order on the album, from 1")
    position = models.CharField(max_length=20, blank=True, help_text='As printed, e.g. "A1"')
    title = models.CharField(max_length=500)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["album", "sequence"]
        constraints = [models.UniqueConstraint(fields=["album", "sequence"], name="track_unique_sequence")]

    def __str__(self):
        return f"{self.position or self.sequence}. {self.title}"

    @property
    def duration_display(self):
        if self.duration_seconds is None:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"


class Edition(models.TextChoices):
    """What a pressing is relative to the album's first pressing (catalog.editions is the rule)."""

    ORIGINAL = "original", gettext_lazy("Original")
    REPRESS = "repress", gettext_lazy("Repress")
    REISSUE = "reissue", gettext_lazy("Reissue")
    REMASTER = "remaster", gettext_lazy("Remaster")
    UNKNOWN = "unknown", gettext_lazy("Unknown")


class ReleaseQuerySet(models.QuerySet):
    def linked(self):
        return self.filter(album__isnull=False)


class Release(models.Model):
    """One vinyl pressing on Discogs. `album` stays empty until its master is known."""

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="releases", null=True, blank=True)
    discogs_id = models.PositiveBigIntegerField(unique=True)
    discogs_master_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    title = models.CharField(max_length=500)
    artist_credit = models.CharField(max_length=500, blank=True)
    country = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    released = models.CharField(max_length=20, blank=True, help_text='As Discogs gives it, e.g. "1997-06-16"')
    formats = models.JSONField(default=list, blank=True, help_text="Discogs format objects")
    format_summary = models.CharField(max_length=300, blank=True, help_text='e.g. "2xLP, Album, RE"')
    label = models.CharField(max_length=300, blank=True)
    catalog_number = models.CharField(max_length=200, blank=True)
    is_official = models.BooleanField(default=True, help_text="False for unofficial releases (bootlegs)")
    is_main_release = models.BooleanField(default=False)
    styles = models.JSONField(default=list, blank=True, help_text="Discogs genres and styles of this pressing")
    rating_average = models.FloatField(null=True, blank=True)
    rating_count = models.PositiveIntegerField(null=True, blank=True)
    have = models.PositiveIntegerField(null=True, blank=True)
    want = models.PositiveIntegerField(null=True, blank=True)
    image_url = models.URLField(max_length=500, blank=True)
    thumb_url = models.URLField(max_length=500, blank=True)
    # Pressing facts (issue 23), from the release JSON, the monthly dump or the versions walk;
    # a weaker source never empties one a stronger source filled (catalog.upsert).
    descriptions = models.JSONField(
        default=list, blank=True, help_text='Format descriptions, e.g. ["LP", "Album", "Reissue", "180 Gram"]'
    )
    weight_grams = models.PositiveSmallIntegerField(null=True, blank=True, help_text="From '180 Gram' or the format text")
    colour = models.CharField(max_length=100, blank=True, help_text="Vinyl colour as the format text states it")
    is_limited = models.BooleanField(default=False, help_text="A format description says Limited Edition")
    credits = models.JSONField(
        default=list, blank=True, help_text='Sound credits: [{"role": "Mastered By", "name": "Bernie Grundman"}]'
    )
    companies = models.JSONField(
        default=list, blank=True, help_text='[{"role": "Pressed By", "name": "EMI Records Ltd"}] (mastering, lacquer, plant)'
    )
    identifiers = models.JSONField(
        default=list, blank=True, help_text='[{"type": "Matrix / Runout", "value": "...", "description": "Side A"}]'
    )
    barcode = models.CharField(max_length=100, blank=True)
    note_flags = models.JSONField(
        default=list,
        blank=True,
        help_text='What the notes state of source or method: "analogue", "aaa", "half_speed", "remastered"',
    )
    edition = models.CharField(max_length=12, choices=Edition.choices, blank=True, default="")
    edition_reason = models.TextField(blank=True, help_text="Why, in the language it was written in (catalog.editions)")
    edition_confidence = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.DISCOGS)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    details_refreshed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["year", "country", "discogs_id"]
        indexes = [
            models.Index(fields=["album", "year"], name="release_album_year"),
            # Set generation sums the community figures of ~1,000 candidate albums' pressings:
            # read from this index alone (PostgreSQL), not from pressings scattered over the table.
            models.Index(
                fields=["album"], include=["want", "have", "rating_average", "rating_count"], name="release_album_community"
            ),
        ]

    def __str__(self):
        bits = [self.title, self.country, str(self.year or "")]
        return " · ".join(b for b in bits if b)

    @property
    def details_stale(self):
        return freshness.is_due(self.details_refreshed_at, freshness.RELEASES)

    @property
    def discogs_url(self):
        return f"https://www.discogs.com/release/{self.discogs_id}"

    @property
    def marketplace_url(self):
        return f"https://www.discogs.com/sell/release/{self.discogs_id}"


class IngestionJob(models.Model):
    """A unit of operator-visible ingestion work: a CSV import, a dump import, a command run."""

    class Kind(models.TextChoices):
        CSV_ARTISTS = "csv_artists", "CSV import of artists"
        DISCOGS_DUMP = "discogs_dump", "Discogs dump import"
        COMMAND = "command", "manage.py command"
        TASK = "task", "Scheduled task"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=300, help_text="File name or command line")
    upload = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text='[{"line": 3, "reason": "..."}]')
    stats = models.JSONField(default=dict, blank=True, help_text="API calls per provider, cache hits…")
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Who runs the job and until when: renewed as rows are committed. A lease that ran out
    # means the worker died, and the next delivery resumes after `processed` rows.
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name} ({self.status})"

    @property
    def progress(self):
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0


class DeadLetter(models.Model):
    """A Celery task parked after its worker died running it too many times (see
    vinilogy.celery_policy): kept for the operator instead of being delivered forever."""

    task_id = models.CharField(max_length=255, unique=True)
    task_name = models.CharField(max_length=255, db_index=True)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    lost_deliveries = models.PositiveSmallIntegerField(help_text="Times its worker died while running it")
    parked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-parked_at"]

    def __str__(self):
        return f"{self.task_name}[{self.task_id}]"
