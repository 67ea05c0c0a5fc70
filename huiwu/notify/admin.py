from django import forms
from django.apps import apps
from django.contrib import admin
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext, pgettext_lazy
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from huiwu.accounts.roles import Role
from huiwu.lib.admin import ObjectTitleAdminMixin, ReadOnlyAdminMixin
from huiwu.meetings.admin import ConfidentialMeetingsHiddenMixin
from huiwu.notify.models import Deadline, Delivery, Endpoint, Notification
from huiwu.notify.tasks import delivery_enqueue


class EndpointAdminForm(forms.ModelForm):
    # The JSON list of role codes, edited as check boxes; none ticked means everybody's notifications.
    roles = forms.MultipleChoiceField(
        label=_("roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Whose notifications it carries; none ticked: everybody's."),
    )
    # Declared here so that a URL typed without a scheme means https (Django 6's default, taken now).
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The robot's webhook URL; private deployments use their own host."),
    )

    class Meta:
        model = Endpoint
        fields = ["channel", "name", "url", "secret", "roles", "is_active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointAdminForm
    list_display = ["name", "channel", "url", "masked_secret", "role_names", "is_active"]
    list_filter = ["channel", "is_active"]
    search_fields = ["name", "url"]

    @admin.display(description=_("signing secret"))
    def masked_secret(self, endpoint: Endpoint) -> str:
        secret = endpoint.secret
        if not secret:
            return "—"
        # Enough to tell two secrets apart, never enough to use one.
        return secret[:3] + "•" * 6 + (secret[-2:] if len(secret) > 12 else "")

    @admin.display(description=_("roles"))
    def role_names(self, endpoint: Endpoint) -> str:
        labels = dict(Role.choices)
        return "、".join(str(labels.get(code, code)) for code in endpoint.roles) or "—"


@admin.register(Delivery)
class DeliveryAdmin(ConfidentialMeetingsHiddenMixin, admin.ModelAdmin):
    """Read-only, failures first; "retry now" queues failed deliveries again."""

    meeting_path = "notification__meeting"
    list_display = [
        "state",
        "channel",
        "endpoint",
        "recipient",
        "notification",
        "attempts",
        "last_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["state", "channel", "endpoint"]
    search_fields = ["notification__title", "last_error", "event_key"]
    list_select_related = ["endpoint", "notification__recipient"]
    readonly_fields = [
        "notification",
        "channel",
        "endpoint",
        "event_key",
        "mentions",
        "state",
        "attempts",
        "last_attempt_at",
        "sent_at",
        "last_error",
        "created_at",
    ]
    actions = ["retry_now"]

    def get_ordering(self, request):
        # Failures first, then what is still queued, then what was sent; newest first within each.
        failed_first = Case(
            When(state=Delivery.State.FAILED, then=Value(0)),
            When(state=Delivery.State.QUEUED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return [failed_first.asc(), "-created_at"]

    @admin.display(description=_("recipient"), ordering="notification__recipient")
    def recipient(self, delivery: Delivery):
        return delivery.notification.recipient

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_now(self, request, queryset) -> None:
        failed = list(queryset.filter(state=Delivery.State.FAILED))
        for delivery in failed:
            with transaction.atomic():
                # Six fresh attempts; last_attempt_at stays, as the robots' limit counts it.
                if Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.FAILED).update(
                    state=Delivery.State.QUEUED, attempts=0
                ):
                    delivery.attempts = 0
                    transaction.on_commit(lambda delivery=delivery: delivery_enqueue(delivery))
        skipped = queryset.count() - len(failed)
        self.message_user(
            request,
            ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", len(failed))
            % {"count": len(failed)},
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery was not failed and was left alone.",
                    "%(count)d deliveries were not failed and were left alone.",
                    skipped,
                )
                % {"count": skipped},
            )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Deadline)
class DeadlineAdmin(ConfidentialMeetingsHiddenMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: deadlines follow their source data (e.g. a meeting) and the worker."""

    list_display = ["title", "kind", "opens_at", "due_at", "state", "responsible_role", "reminded_at", "note"]
    list_filter = ["state", "kind", "responsible_role"]
    search_fields = ["title", "key"]
    date_hierarchy = "opens_at"


@admin.register(Notification)
class NotificationAdmin(ConfidentialMeetingsHiddenMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "event", "created_at", "read_at"]
    list_filter = ["kind", "event"]
    search_fields = ["title", "recipient__username", "recipient__display_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"


# The deliveries run as django-tasks tasks. django-tasks ships no zh-Hans catalogue: its strings are translated
# in ours, marked here so that the catalogue keeps them (makemessages reads only Huiwu's code).
TASK_STRINGS = (
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
)

# Its app names its admin section in English only, and its admin labels a few columns with plain English
# strings (the id, the task's name, the traceback): ours labels them in the site language.
apps.get_app_config("django_tasks_database").verbose_name = _("Background tasks")
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(ObjectTitleAdminMixin, DBTaskResultAdmin):
    list_display = (
        "task_id",
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        renamed = {"id": "task_id", "formatted_traceback": "error_traceback", "display_run_after": "runs_after"}
        return [renamed.get(name, name) for name in super().get_readonly_fields(request, obj)]

    def object_title(self, result: DBTaskResult) -> str:
        return _("%(task)s (%(status)s)") % {"task": result.task_name, "status": result.get_status_display()}

    @admin.display(description=_("task ID"), ordering="id")
    def task_id(self, result: DBTaskResult) -> str:
        return str(result.id)

    @admin.display(description=_("task"), ordering="task_path")
    def task(self, result: DBTaskResult) -> str:
        return result.task_name

    @admin.display(description=_("traceback"))
    def error_traceback(self, result: DBTaskResult) -> str:
        return self.formatted_traceback(result)

    @admin.display(description=_("run after"))
    def runs_after(self, result: DBTaskResult):
        return self.display_run_after(result)
