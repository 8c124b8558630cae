from django.contrib import admin

from .models import ApiCall


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ["created_at", "provider", "method", "status_code", "error_kind", "attempt", "duration_ms", "bytes", "endpoint"]
    list_filter = ["provider", "status_code", "error_kind", "replayed", "created_at"]
    search_fields = ["endpoint", "error"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ApiCall._meta.fields]

    def has_add_permission(self, request):
        return False
