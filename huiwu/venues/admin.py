from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from huiwu.lib.forms import time_input
from huiwu.venues.models import Equipment, Floor, Layout, Room, Site


class FloorInline(admin.TabularInline):
    model = Floor
    extra = 0


class SiteAdminForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = ["name", "code", "address", "is_active", "day_starts", "day_ends"]
        widgets = {"day_starts": time_input(step_minutes=30), "day_ends": time_input(step_minutes=30)}
        help_texts = {
            "day_starts": _("On the hour or the half-hour. A meeting earlier than this widens its day's timeline."),
            "day_ends": _("On the hour or the half-hour. A meeting later than this widens its day's timeline."),
        }

    def clean(self) -> dict:
        # The timeline's columns are half-hours: its day begins and ends at one.
        cleaned = super().clean()
        for name in ("day_starts", "day_ends"):
            moment = cleaned.get(name)
            if moment and (moment.minute % 30 or moment.second or moment.microsecond):
                self.add_error(name, _("Choose a time on the hour or the half-hour, e.g. 07:00 or 21:30."))
        starts, ends = cleaned.get("day_starts"), cleaned.get("day_ends")
        if starts and ends and ends <= starts and "day_ends" not in self.errors:
            self.add_error("day_ends", _("The day must end after it starts."))
        return cleaned


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    form = SiteAdminForm
    list_display = ["name", "code", "address", "day_starts", "day_ends", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "code", "address", "is_active"]}),
        (_("Room timeline"), {"fields": ["day_starts", "day_ends"]}),
    ]
    inlines = [FloorInline]


@admin.register(Floor)
class FloorAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "level"]
    list_filter = ["site"]


class RoomAdminForm(forms.ModelForm):
    # The JSON list of layouts, edited as check boxes.
    layouts = forms.MultipleChoiceField(
        label=_("supported layouts"), choices=Layout.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Room
        fields = [
            "floor",
            "name",
            "code",
            "capacity",
            "layouts",
            "equipment",
            "default_setup_minutes",
            "default_teardown_minutes",
            "is_active",
            "notes",
        ]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    form = RoomAdminForm
    list_display = [
        "name",
        "code",
        "floor",
        "capacity",
        "default_setup_minutes",
        "default_teardown_minutes",
        "is_active",
    ]
    list_filter = ["floor__site", "is_active"]
    search_fields = ["name", "code"]
    filter_horizontal = ["equipment"]
    list_select_related = ["floor__site"]


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    search_fields = ["name"]
