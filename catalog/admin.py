from django.contrib import admin
from django.db.models import Count

from .models import Album, Artist, ArtistSimilarity, ArtistTag, IngestionJob, Release, Tag, Track


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
    list_display = ["title", "artist", "first_release_year", "is_studio", "track_count", "pressings", "releases_refreshed_at"]
    list_filter = ["is_studio", "source", ("discogs_master_id", admin.EmptyFieldListFilter), "genre"]
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
    list_display = ["discogs_id", "title", "album", "country", "year", "format_summary", "label", "catalog_number", "rating_average", "have", "want"]
    list_filter = ["is_official", "source", ("album", admin.EmptyFieldListFilter), "country"]
    search_fields = ["title", "=discogs_id", "=discogs_master_id", "catalog_number", "label", "album__title"]
    list_select_related = ["album", "album__artist"]
    raw_id_fields = ["album"]


@admin.register(IngestionJob)
class IngestionJobAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "progress", "processed", "total", "created", "updated", "error_count", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "message"]
    readonly_fields = [f.name for f in IngestionJob._meta.fields]

    @admin.display(description="errors")
    def error_count(self, obj):
        return len(obj.errors or [])
