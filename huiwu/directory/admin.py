from django.contrib import admin

from huiwu.directory.models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "phone"]
    search_fields = ["name", "short_name"]
