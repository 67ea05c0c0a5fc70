from django.contrib import admin

from huiwu.lib.admin import ReadOnlyAdminMixin
from huiwu.meetings.models import Meeting, MeetingChange


class MeetingChangeInline(admin.TabularInline):
    model = MeetingChange
    extra = 0
    fields = ["action", "changed_by", "changed_at", "changes", "reason"]
    readonly_fields = fields
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: bookings change only through the booking pages and API, which apply the rules."""

    list_display = ["title", "room", "start", "end", "organizer", "status"]
    list_filter = ["status", "room__floor__site", "nature"]
    search_fields = ["title", "organizer__name"]
    date_hierarchy = "start"
    list_select_related = ["room", "organizer"]
    inlines = [MeetingChangeInline]
