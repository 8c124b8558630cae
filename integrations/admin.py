"""The live API call log (one row per HTTP attempt, newest first, read-only) and the rate limits' refusals per listener and day."""

from django.contrib import admin
from django.utils.html import format_html

from .models import ApiCall, ThrottleCount

# How often the live changelist re-fetches itself (seconds).
LIVE_REFRESH_SECONDS = 5


class StatusClassFilter(admin.SimpleListFilter):
    """Operators ask "what failed?" by class of status, not by exact code."""

    title = "status"
    parameter_name = "status_class"

    def lookups(self, request, model_admin):
        return [("2xx", "2xx success"), ("4xx", "4xx client error"), ("5xx", "5xx server error"), ("none", "no response")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(status_code__isnull=True)
        if self.value() in ("2xx", "4xx", "5xx"):
            low = int(self.value()[0]) * 100
            return queryset.filter(status_code__gte=low, status_code__lt=low + 100)
        return queryset


class RecentFilter(admin.SimpleListFilter):
    """The live log is mostly read for "what just happened"."""

    title = "time"
    parameter_name = "within"

    def lookups(self, request, model_admin):
        return [("15", "last 15 minutes"), ("60", "last hour"), ("1440", "last 24 hours")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.recent(minutes=int(self.value()))
        return queryset


class OutcomeFilter(admin.SimpleListFilter):
    title = "outcome"
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [("ok", "succeeded"), ("error", "failed")]

    def queryset(self, request, queryset):
        if self.value() == "error":
            return queryset.errors()
        if self.value() == "ok":
            return queryset.filter(error_kind="")
        return queryset


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "provider",
        "method",
        "status_code",
        "outcome",
        "attempt",
        "duration_ms",
        "bytes",
        "replayed",
        "short_endpoint",
    ]
    list_filter = ["provider", OutcomeFilter, StatusClassFilter, "error_kind", RecentFilter, "replayed"]
    search_fields = ["endpoint", "error"]
    ordering = ["-created_at"]
    list_per_page = 100
    # The table grows by the thousand per day: skip the unfiltered COUNT(*).
    show_full_result_count = False
    readonly_fields = [f.name for f in ApiCall._meta.fields]

    @admin.display(description="outcome", ordering="error_kind")
    def outcome(self, call):
        if not call.error_kind:
            return "ok"
        return format_html('<span title="{}" style="color:#ba2121">{}</span>', call.error[:500], call.error_kind)

    @admin.display(description="endpoint", ordering="endpoint")
    def short_endpoint(self, call):
        return call.endpoint if len(call.endpoint) <= 120 else f"{call.endpoint[:117]}…"

    def changelist_view(self, request, extra_context=None):
        """`?live=1` makes the list refresh itself; the flag is not a field lookup, so drop it."""
        live = request.GET.get("live") == "1"
        if "live" in request.GET:
            request.GET = request.GET.copy()
            del request.GET["live"]
        context = {"live": live, "live_refresh_seconds": LIVE_REFRESH_SECONDS, **(extra_context or {})}
        return super().changelist_view(request, extra_context=context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ThrottleCount)
class ThrottleCountAdmin(admin.ModelAdmin):
    """Who runs into which rate limit (integrations.limits), per day: one row per listener or
    visitor address, limit and day, with how many requests were refused."""

    list_display = ("day", "who", "user", "limit", "count")
    list_filter = ("limit", "day")
    search_fields = ("who", "user__username", "user__email")
    ordering = ("-day", "-count")
    list_select_related = ("user",)
    readonly_fields = ("who", "user", "limit", "day", "count")

    def has_add_permission(self, request):
        return False
