from django.contrib import admin
from django.db.models import Q

from huiwu.lib.admin import ReadOnlyAdminMixin
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.models import Meeting, MeetingChange


class ConfidentialMeetingsHiddenMixin:
    """Rows about confidential meetings the administrator may not see are left out of the admin site (its
    lists, searches and pages alike): a system administrator is not cleared by being one.
    `meeting_path` names the row's meeting ("pk" for meetings themselves)."""

    meeting_path = "meeting"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        visible = meetings_visible_to(request.user).values("pk")
        if self.meeting_path == "pk":
            return queryset.filter(pk__in=visible)
        path = self.meeting_path
        return queryset.filter(Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__in": visible}))


class MeetingChangeInline(admin.TabularInline):
    model = MeetingChange
    extra = 0
    fields = ["action", "changed_by", "changed_at", "changes", "reason"]
    readonly_fields = fields
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(ConfidentialMeetingsHiddenMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: bookings change only through the booking pages and API, which apply the rules."""

    meeting_path = "pk"
    list_display = ["title", "room", "start", "end", "organizer", "status"]
    list_filter = ["status", "room__floor__site", "nature"]
    search_fields = ["title", "organizer__name"]
    date_hierarchy = "start"
    list_select_related = ["room", "organizer"]
    inlines = [MeetingChangeInline]
