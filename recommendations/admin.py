"""Moderation of lock/dismiss/wantlist feedback, and an inspector for recommendation sets."""
from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html, format_html_join

from .models import Feedback, RecommendationItem, RecommendationSet


class RecommendationItemInline(admin.TabularInline):
    model = RecommendationItem
    fields = ["position", "album", "score", "score_breakdown", "explanation", "suggested_release"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("album__artist", "suggested_release")

    @admin.display(description="score breakdown")
    def score_breakdown(self, item):
        return breakdown_table(item.breakdown, item.score)


def breakdown_table(breakdown, score):
    """Component → points, largest contribution first, with the total the points add up to."""
    if not breakdown:
        return "—"
    rows = sorted(breakdown.items(), key=lambda pair: (-_points(pair[1]), pair[0]))
    body = format_html_join("", "<tr><td>{}</td><td class='num'>{}</td></tr>", ((c, _shown(p)) for c, p in rows))
    total = format_html("<tr><th>total</th><th class='num'>{}</th></tr>", _shown(score))
    return format_html("<table class='breakdown'><tbody>{}</tbody><tfoot>{}</tfoot></table>", body, total)


def _points(value):
    return value if isinstance(value, int | float) else 0


def _shown(value):
    return f"{value:+.1f}" if isinstance(value, int | float) else str(value)


@admin.register(RecommendationSet)
class RecommendationSetAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "status", "progress", "size", "generated_at", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["user"]
    search_fields = ["user__username", "input_hash"]
    readonly_fields = ["user", "input_hash", "status", "progress", "size", "error", "created_at", "generated_at", "expires_at"]
    inlines = [RecommendationItemInline]

    class Media:
        css = {"all": ["console/console.css"]}


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Operators clear or re-kind users' feedback; re-kinding onto a kind the user already gave merges."""

    list_display = ["user", "album", "kind", "reason", "at"]
    list_filter = ["kind", ("user", admin.RelatedOnlyFieldListFilter), ("album", admin.RelatedOnlyFieldListFilter), "at"]
    search_fields = ["user__username", "album__title", "album__artist__name", "reason"]
    list_select_related = ["user", "album", "album__artist"]
    raw_id_fields = ["album"]
    actions = ["clear_selected", "convert_to_dismiss", "convert_to_lock", "convert_to_wantlist"]

    def get_actions(self, request):
        # "Clear selected feedback" is the one delete action; the stock one would be a second.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Clear selected feedback", permissions=["delete"])
    def clear_selected(self, request, queryset):
        count = queryset.count()
        queryset.delete()
        self.message_user(request, f"Cleared {count} feedback row(s).", messages.SUCCESS)

    @admin.action(description="Convert selected to dismiss", permissions=["change"])
    def convert_to_dismiss(self, request, queryset):
        self._convert(request, queryset, Feedback.Kind.DISMISS)

    @admin.action(description="Convert selected to lock", permissions=["change"])
    def convert_to_lock(self, request, queryset):
        self._convert(request, queryset, Feedback.Kind.LOCK)

    @admin.action(description="Convert selected to wantlist", permissions=["change"])
    def convert_to_wantlist(self, request, queryset):
        self._convert(request, queryset, Feedback.Kind.WANTLIST)

    def _convert(self, request, queryset, kind):
        converted, merged = convert_feedback(queryset, kind)
        label = Feedback.Kind(kind).label.lower()
        self.message_user(request, f"{converted} converted to {label}, {merged} merged into an existing {label}.")


def convert_feedback(queryset, kind):
    """Give the selected rows this kind; return (converted, merged).

    One row per (user, album, kind) is allowed, so a row whose user already has that kind for
    the album merges into it (the existing row stays, with its reason and date), and of two
    selected rows landing on the same pair the newest is kept. Four queries, whatever the count.
    """
    with transaction.atomic():
        moving = list(queryset.exclude(kind=kind).order_by("-at", "-pk").values_list("pk", "user_id", "album_id"))
        taken = _pairs_with_kind(kind, {user for _, user, _ in moving}, {album for _, _, album in moving})
        keep, merge = [], []
        for pk, user, album in moving:
            (merge if (user, album) in taken else keep).append(pk)
            taken.add((user, album))
        Feedback.objects.filter(pk__in=merge).delete()
        Feedback.objects.filter(pk__in=keep).update(kind=kind)
    return len(keep), len(merge)


def _pairs_with_kind(kind, users, albums):
    rows = Feedback.objects.filter(kind=kind, user_id__in=users, album_id__in=albums)
    return set(rows.values_list("user_id", "album_id"))
