from django.contrib import admin

from huiwu.lib.admin import ReadOnlyAdminMixin
from huiwu.lostfound.models import LostItem
from huiwu.meetings.admin import ConfidentialMeetingsHiddenMixin


@admin.register(LostItem)
class LostItemAdmin(ConfidentialMeetingsHiddenMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the register changes only through its pages and API, which apply the rules."""

    list_display = ["description", "found_at", "room", "found_where", "stored_where", "returned_at", "returned_to"]
    list_filter = [("returned_at", admin.EmptyFieldListFilter), "room__floor__site"]
    search_fields = ["description", "found_where", "stored_where", "returned_to"]
    date_hierarchy = "found_at"
    list_select_related = ["room"]
