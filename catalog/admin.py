from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from . import csv_import
from .models import Album, Artist, ArtistSimilarity, ArtistTag, DeadLetter, IngestionJob, Release, Tag, Track
from .tasks import import_artists_csv


class ArtistTagInline(admin.TabularInline):
    model = ArtistTag
    autocomplete_fields = ["tag"]
    extra = 0


@admin.register(Artist)
class ArtistAdmin(admin.ModelAdmin):
    list_display = ["name", "mbid", "discogs_id", "listeners", "source", "album_count", "refreshed_at"]
    list_filter = ["source", ("mbid", admin.EmptyFieldListFilter), ("refreshed_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "normalized_name", "=mbid", "=discogs_id", "=spotify_id"]
    readonly_fields = ["normalized_name", "created_at"]
    inlines = [ArtistTagInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(album_total=Count("albums", distinct=True))

    @admin.display(ordering="album_total", description="albums")
    def album_count(self, obj):
        return obj.album_total


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ArtistSimilarity)
class ArtistSimilarityAdmin(admin.ModelAdmin):
    list_display = ["from_artist", "to_artist", "score", "source", "updated_at"]
    list_filter = ["source"]
    search_fields = ["from_artist__name", "to_artist__name"]
    list_select_related = ["from_artist", "to_artist"]
    raw_id_fields = ["from_artist", "to_artist"]


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0


@admin.register(Album)
class AlbumAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "artist",
        "first_release_year",
        "year_source",
        "is_studio",
        "track_count",
        "pressings",
        "versions_total",
        "all_versions_read_at",
        "releases_refreshed_at",
    ]
    # Where years come from, and which albums' pressing counts are complete.
    list_filter = [
        "is_studio",
        "source",
        "year_source",
        ("all_versions_read_at", admin.EmptyFieldListFilter),
        ("discogs_master_id", admin.EmptyFieldListFilter),
        "genre",
    ]
    search_fields = ["title", "normalized_title", "artist__name", "=mbid", "=discogs_master_id", "=spotify_id"]
    list_select_related = ["artist"]
    raw_id_fields = ["artist"]
    readonly_fields = ["normalized_title", "created_at"]
    inlines = [TrackInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(pressing_total=Count("releases", distinct=True))

    @admin.display(ordering="pressing_total", description="vinyl pressings")
    def pressings(self, obj):
        return obj.pressing_total


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = [
        "discogs_id",
        "title",
        "album",
        "country",
        "year",
        "format_summary",
        "label",
        "catalog_number",
        "rating_average",
        "have",
        "want",
    ]
    list_filter = ["is_official", "source", ("album", admin.EmptyFieldListFilter), "country"]
    search_fields = ["title", "=discogs_id", "=discogs_master_id", "catalog_number", "label", "album__title"]
    list_select_related = ["album", "album__artist"]
    raw_id_fields = ["album"]


class CsvUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))


@admin.register(IngestionJob)
class IngestionJobAdmin(admin.ModelAdmin):
    """Jobs are made by uploads, commands and tasks, never by hand; each has a live progress panel."""

    list_display = [
        "name",
        "kind",
        "status",
        "progress",
        "processed",
        "total",
        "created",
        "updated",
        "error_count",
        "created_at",
        "panel_link",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["name", "message"]
    list_select_related = ["created_by"]
    readonly_fields = [f.name for f in IngestionJob._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.display(description="errors")
    def error_count(self, obj):
        return len(obj.errors or [])

    @admin.display(description="progress panel")
    def panel_link(self, obj):
        return format_html('<a href="{}">{}%</a>', reverse("admin:catalog_ingestionjob_progress", args=[obj.pk]), obj.progress)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import-csv/", view(self.import_csv_view), name="catalog_ingestionjob_import_csv"),
            path("<int:job_id>/progress/", view(self.progress_view), name="catalog_ingestionjob_progress"),
            path("<int:job_id>/progress/panel/", view(self.progress_panel_view), name="catalog_ingestionjob_progress_panel"),
            *super().get_urls(),
        ]

    def import_csv_view(self, request):
        """Upload → header checked at once → a queued job → its progress page."""
        if not request.user.has_perm("catalog.add_ingestionjob"):
            raise PermissionDenied
        form = CsvUploadForm(request.POST or None, request.FILES or None)
        if form.is_valid():
            job = self._start_import(form, request)
            if job:
                return redirect("admin:catalog_ingestionjob_progress", job.pk)
        return self._render(request, "import_csv.html", form=form, title="Import artists from CSV", **self._csv_format())

    def _start_import(self, form, request):
        """The stored job, with its task queued once the row is committed; None if the file is refused."""
        try:
            job = csv_import.create_job(form.cleaned_data["file"], request.user)
        except csv_import.CsvRejected as exc:
            form.add_error("file", str(exc))
            return None
        transaction.on_commit(lambda: import_artists_csv.delay(job.pk))
        return job

    def _csv_format(self):
        return {"columns": csv_import.COLUMNS, "rating_max": csv_import.RATING_MAX}

    def progress_view(self, request, job_id):
        job = self._job(request, job_id)
        title = f"Ingestion job {job.pk}: {job.name}"
        return self._render(request, "progress.html", title=title, original=job, **self._panel(job))

    def progress_panel_view(self, request, job_id):
        """The panel alone, polled by htmx; once the job is finished it no longer asks to be polled."""
        return self._render(request, "_progress_panel.html", **self._panel(self._job(request, job_id)))

    def _panel(self, job):
        still_moving = job.status in (IngestionJob.Status.QUEUED, IngestionJob.Status.RUNNING)
        return {"job": job, "polling": still_moving}

    def _job(self, request, job_id):
        job = get_object_or_404(IngestionJob.objects.select_related("created_by"), pk=job_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return job

    def _render(self, request, template, **context):
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, **context}
        return TemplateResponse(request, f"admin/catalog/ingestionjob/{template}", context)


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    """Tasks that killed their worker too often: look at the arguments, fix, then requeue or delete."""

    list_display = ["task_name", "task_id", "args", "kwargs", "lost_deliveries", "parked_at"]
    list_filter = ["task_name"]
    search_fields = ["task_id", "task_name"]
    readonly_fields = [f.name for f in DeadLetter._meta.fields]
    actions = ["requeue"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Deliver again (as a new task)")
    def requeue(self, request, queryset):
        from celery import current_app

        for letter in queryset:
            current_app.tasks[letter.task_name].apply_async(args=letter.args, kwargs=letter.kwargs)
        count = queryset.count()
        queryset.delete()
        self.message_user(request, f"{count} task(s) delivered again.")
