from django.contrib import admin

from .models import CollectionImport, CollectionItem, ListeningSnapshot, Profile, SeedArtist, SourceUsername


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "country", "min_tracks_per_album"]
    list_filter = ["country"]
    search_fields = ["user__username", "user__email", "user__source_usernames__username"]
    filter_horizontal = ["blocked_artists"]


@admin.register(SeedArtist)
class SeedArtistAdmin(admin.ModelAdmin):
    list_display = ["user", "artist", "source", "weight", "playcount", "created_at"]
    list_filter = ["source"]
    search_fields = ["user__username", "artist__name"]
    list_select_related = ["user", "artist"]
    raw_id_fields = ["artist"]


@admin.register(ListeningSnapshot)
class ListeningSnapshotAdmin(admin.ModelAdmin):
    list_display = ["user", "source", "period", "payload_hash", "fetched_at"]
    list_filter = ["source", "period"]
    search_fields = ["user__username", "payload_hash"]
    readonly_fields = ["payload_hash", "fetched_at"]


@admin.register(CollectionItem)
class CollectionItemAdmin(admin.ModelAdmin):
    list_display = ["user", "release", "folder", "rating", "source", "added_at"]
    list_filter = ["folder", "source"]
    search_fields = ["user__username", "release__title", "=release__discogs_id"]
    list_select_related = ["user", "release"]
    raw_id_fields = ["release"]


@admin.register(CollectionImport)
class CollectionImportAdmin(admin.ModelAdmin):
    """Listeners' collection CSV imports: what each stored, knew and refused, and its lease."""

    list_display = ["user", "name", "status", "total", "processed", "stored", "taste_only", "known", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "name", "digest"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in CollectionImport._meta.fields]


@admin.register(SourceUsername)
class SourceUsernameAdmin(admin.ModelAdmin):
    list_display = ["user", "source", "username", "connected_at"]
    list_filter = ["source"]
    search_fields = ["user__username", "username"]
    list_select_related = ["user"]
