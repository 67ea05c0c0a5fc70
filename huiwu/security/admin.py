from django.contrib import admin

from huiwu.lib.admin import ReadOnlyAdminMixin
from huiwu.security.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the audit log is append-only (on PostgreSQL a trigger refuses changes whoever asks)."""

    list_display = ["at", "user", "action", "subject_type", "subject_id", "summary", "address"]
    list_filter = ["action", "subject_type"]
    search_fields = ["summary", "path", "user__username", "user__display_name"]
    date_hierarchy = "at"
    list_select_related = ["user"]
