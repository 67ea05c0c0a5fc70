from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from huiwu.accounts.models import ApiToken, User
from huiwu.accounts.roles import Role
from huiwu.lib.admin import ObjectTitleAdminMixin


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


# The groups are the roles, named by their codes: each shown with its role's name too.
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(DjangoGroupAdmin):
    list_display = ["name", "role"]

    @admin.display(description=_("Role"))
    def role(self, group: Group) -> str:
        return str(dict(Role.choices).get(group.name, "—"))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    # The owner, hint and digest have no verbose names of their own (the model predates the translated admin):
    # shown through labelled columns, read-only like the rest but the revocation.
    list_display = ["name", "owner", "token_hint", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "user__display_name"]
    fields = ["owner", "name", "token_hint", "token_digest", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["owner", "name", "token_hint", "token_digest", "created_at", "last_used_at"]
    list_select_related = ["user"]

    @admin.display(description=_("user"), ordering="user")
    def owner(self, token: ApiToken) -> User:
        return token.user

    @admin.display(description=_("first characters"))
    def token_hint(self, token: ApiToken) -> str:
        return f"{token.hint}…"

    @admin.display(description=_("SHA-256 digest"))
    def token_digest(self, token: ApiToken) -> str:
        return token.digest

    def has_add_permission(self, request) -> bool:
        # A token's secret is shown once to its owner; creating one for somebody else would leak it.
        return False


# django-axes ships no zh-Hans catalogue. Its strings are translated in ours: marked here so that the catalogue
# keeps them (makemessages reads only Huiwu's code) and the catalogue test counts them as used.
AXES_STRINGS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("Access Attempt"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Access lock out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
)

# Django 5.2's admin index labels its table columns (for screen readers) with strings its zh-Hans catalogue
# lacks yet: translated in ours.
ADMIN_INDEX_STRINGS = (gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"))

# Axes names its admin section after itself, its rows in English (their str()), and leaves two columns
# unlabelled: named here in the site language.
apps.get_app_config("axes").verbose_name = _("Sign-in lockouts")
for model in (AccessAttempt, AccessLog, AccessFailureLog):
    admin.site.unregister(model)


class _SignInTitleMixin(ObjectTitleAdminMixin):
    def object_title(self, obj) -> str:
        return _("%(username)s from %(address)s at %(time)s") % {
            "username": obj.username or "—",
            "address": obj.ip_address or "—",
            "time": timezone.localtime(obj.attempt_time).strftime("%Y-%m-%d %H:%M:%S"),
        }


@admin.register(AccessAttempt)
class AccessAttemptAdmin(_SignInTitleMixin, axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("Expires At"))
    def expiration(self, obj: AccessAttempt):
        return super().expiration(obj)

    @admin.display(description=_("status"))
    def status(self, obj: AccessAttempt):
        return super().status(obj)


@admin.register(AccessLog)
class AccessLogAdmin(_SignInTitleMixin, axes_admin.AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(_SignInTitleMixin, axes_admin.AccessFailureLogAdmin):
    pass
