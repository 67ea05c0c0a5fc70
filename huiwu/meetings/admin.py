from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
    """The meeting's history. Its fields have no verbose names of their own: labelled columns instead."""

    model = MeetingChange
    verbose_name = _("change")
    verbose_name_plural = _("History")
    extra = 0
    fields = ["change_action", "change_by", "change_at", "change_values", "change_reason"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("action"))
    def change_action(self, change: MeetingChange) -> str:
        return change.get_action_display()

    @admin.display(description=_("changed by"))
    def change_by(self, change: MeetingChange):
        return change.changed_by

    @admin.display(description=_("When"))
    def change_at(self, change: MeetingChange):
        return change.changed_at

    @admin.display(description=_("before → after"))
    def change_values(self, change: MeetingChange) -> str:
        # The stored keys are field names: named as the meeting page names them.
        labels = {
            field.name: field.verbose_name for field in Meeting._meta.get_fields() if hasattr(field, "verbose_name")
        }
        labels["service_items"] = _("Service items")
        return "；".join(
            f"{labels.get(name, name)}：{before or '—'} → {after or '—'}"
            for name, (before, after) in change.changes.items()
        )

    @admin.display(description=_("reason"))
    def change_reason(self, change: MeetingChange) -> str:
        return change.reason


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
