from django.contrib import admin

from huiwu.feedback.models import RootCause


@admin.register(RootCause)
class RootCauseAdmin(admin.ModelAdmin):
    """The list complaints are closed under. Retire a cause (not in use) rather than delete it: closed cases
    keep theirs."""

    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
