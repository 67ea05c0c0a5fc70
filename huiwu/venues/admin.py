from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from huiwu.venues.models import Equipment, Floor, Layout, Room, Site


class FloorInline(admin.TabularInline):
    model = Floor
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "address", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
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
