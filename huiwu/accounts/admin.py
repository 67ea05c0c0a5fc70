from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "phone", "organization", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "organization"]
    search_fields = ["username", "display_name", "phone", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["display_name", "phone", "email", "organization"]}),
        (_("Roles"), {"fields": ["groups", "is_active", "is_staff"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "display_name", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "user__display_name"]
    readonly_fields = ["user", "name", "hint", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        # A token's secret is shown once to its owner; creating one for somebody else would leak it.
        return False
