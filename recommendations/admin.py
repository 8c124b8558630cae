from django.contrib import admin

from .models import Feedback, RecommendationItem, RecommendationSet


class RecommendationItemInline(admin.TabularInline):
    model = RecommendationItem
    fields = ["position", "album", "score", "breakdown", "explanation", "suggested_release"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(RecommendationSet)
class RecommendationSetAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "status", "progress", "size", "generated_at", "expires_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "input_hash"]
    inlines = [RecommendationItemInline]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["user", "album", "kind", "reason", "at"]
    list_filter = ["kind", "at"]
    search_fields = ["user__username", "album__title", "album__artist__name", "reason"]
    list_select_related = ["user", "album", "album__artist"]
    raw_id_fields = ["album"]
