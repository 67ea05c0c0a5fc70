"""Administration of what reception's pages rest on: the calendar's override table and the years entered by
hand (DESIGN.md §4.4), and the leaders' offices, tableware sets and publications. Nothing the team records
(documents, journal, cleanings) is edited here: those change only through their services."""

from django.contrib import admin
from django.utils import timezone

from huiwu.reception.models import CalendarOverride, CalendarYear, LeaderOffice, Publication, TablewareSet


class _ChangedByAdmin(admin.ModelAdmin):
    """Records who changed the row last: the calendar decides every deadline of the team's day."""

    readonly_fields = ["changed_by", "changed_at"]

    def save_model(self, request, obj, form, change) -> None:
        obj.changed_by = request.user
        obj.changed_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_ChangedByAdmin):
    list_display = ["day", "is_workday", "reason", "changed_by", "changed_at"]
    list_filter = ["is_workday"]
    search_fields = ["reason"]
    date_hierarchy = "day"
    fields = ["day", "is_workday", "reason", "changed_by", "changed_at"]


@admin.register(CalendarYear)
class CalendarYearAdmin(_ChangedByAdmin):
    list_display = ["year", "note", "changed_by", "changed_at"]
    fields = ["year", "note", "changed_by", "changed_at"]


@admin.register(LeaderOffice)
class LeaderOfficeAdmin(admin.ModelAdmin):
    """Retire an office (not active) rather than delete it: its cleanings and documents keep it."""

    list_display = ["room", "leader", "is_principal", "is_active"]
    list_filter = ["is_principal", "is_active"]
    search_fields = ["room", "leader__name"]
    autocomplete_fields = ["leader"]
    fields = ["leader", "room", "is_principal", "is_active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TablewareSet)
class TablewareSetAdmin(admin.ModelAdmin):
    list_display = ["number", "leader", "place", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["number", "leader__name"]
    autocomplete_fields = ["leader"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
