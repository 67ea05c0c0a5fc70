"""Delegated tasks (委托事务): what a client or an internal office hands to the team — buying fruit, flowers,
a banner, printing materials, any other errand — and the proof that it was done.

Seed 篇2: a client delegated a fruit purchase, found too little fruit on the table halfway through the
meeting and complained; the fruit was enough (served in batches at the break), but nobody had asked her to
confirm. So a task marked done by staff is only *awaiting the client*: it is complete once the client
confirmed it, or once a notice to the client (知会) is recorded with how it reached them.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiwu.lib.uploads import private_storage


class DelegatedTaskQuerySet(models.QuerySet):
    def open(self) -> "DelegatedTaskQuerySet":
        """Not complete and not called off: somebody still has to do something."""
        return self.filter(state__in=DelegatedTask.OPEN_STATES)

    def awaiting_client(self) -> "DelegatedTaskQuerySet":
        return self.filter(state=DelegatedTask.State.AWAITING_CLIENT)


class DelegatedTask(models.Model):
    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Purchase")
        ERRAND = "errand", _("Other errand")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        # Done by staff: complete only once the client confirms it or a notice to them is recorded.
        AWAITING_CLIENT = "awaiting_client", _("Awaiting client")
        # The client said 有异议 (disputed it): a follow-up is open, and the task is done again.
        DISPUTED = "disputed", _("Disputed by the client")
        CONFIRMED = "confirmed", _("Confirmed by the client")
        NOTIFIED = "notified", _("Client notified")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATES = (
        State.REQUESTED,
        State.ACCEPTED,
        State.IN_PROGRESS,
        State.AWAITING_CLIENT,
        State.DISPUTED,
    )
    COMPLETE_STATES = (State.CONFIRMED, State.NOTIFIED)
    CLOSED_STATES = (State.REFUSED, State.CANCELLED)
    # States in which staff have marked the work done (the time and the doer are recorded).
    DONE_STATES = (State.AWAITING_CLIENT, State.DISPUTED, State.CONFIRMED, State.NOTIFIED)

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PURCHASE)
    title = models.CharField(
        pgettext_lazy("delegated task", "what"), max_length=200, help_text=_("e.g. 代购水果, 制作横幅, 打印会议材料")
    )
    quantity = models.CharField(
        _("how much"), max_length=200, blank=True, help_text=_("e.g. 时令水果 5 公斤（20 人份）")
    )
    details = models.TextField(_("details"), blank=True)
    # Who asked: a client contact (then their organization sees the task in the portal), or an internal
    # office or leader named in words (e.g. 综合办公室 王主任), which no client sees.
    requester_contact = models.ForeignKey(
        "directory.Contact",
        verbose_name=_("requested by (client contact)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegated_tasks",
    )
    requester_name = models.CharField(
        _("requested by (internal)"),
        max_length=100,
        blank=True,
        help_text=_("An internal department or leader, e.g. 综合办公室 王主任"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegated_tasks",
        help_text=_("The client organization whose contacts follow and confirm the task."),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegated_tasks",
    )
    budget = models.DecimalField(
        _("budget (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    due_at = models.DateTimeField(_("due at"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegated_tasks",
    )
    service_plan = models.TextField(
        _("service plan"),
        blank=True,
        help_text=_("Shown to the client, e.g. 水果仅在休息时提供，分批摆放以保持新鲜"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.REQUESTED)
    actual_cost = models.DecimalField(
        _("actual cost (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    done_note = models.TextField(_("how it was done"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A refusal or a cancellation, with its reason.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = DelegatedTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegated task")
        verbose_name_plural = _("delegated tasks")
        ordering = ["due_at", "id"]
        constraints = [
            # Somebody asked for it: a client contact or an internal office named in words.
            models.CheckConstraint(
                condition=Q(requester_contact__isnull=False) | ~Q(requester_name=""),
                name="delegatedtask_has_requester",
            ),
            models.CheckConstraint(
                condition=(Q(budget__isnull=True) | Q(budget__gte=0))
                & (Q(actual_cost__isnull=True) | Q(actual_cost__gte=0)),
                name="delegatedtask_amounts_not_negative",
            ),
            # Past "in progress" the work was marked done, by whom and when.
            models.CheckConstraint(
                condition=~Q(state__in=["awaiting_client", "disputed", "confirmed", "notified"])
                | (Q(done_at__isnull=False) & Q(done_by__isnull=False)),
                name="delegatedtask_done_recorded",
            ),
            # Confirmed means the client confirmed it: who and when.
            models.CheckConstraint(
                condition=~Q(state="confirmed") | (Q(confirmed_at__isnull=False) & Q(confirmed_by__isnull=False)),
                name="delegatedtask_confirmation_recorded",
            ),
            # A refusal or cancellation says why.
            models.CheckConstraint(
                condition=~Q(state__in=["refused", "cancelled"])
                | (Q(closed_at__isnull=False) & Q(closed_by__isnull=False) & ~Q(closed_reason="")),
                name="delegatedtask_closing_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="delegatedtask_state_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_complete(self) -> bool:
        return self.state in self.COMPLETE_STATES

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class DelegationNotice(models.Model):
    """A notice to the client (知会) that the task was done: how it reached them, when, by whom, and what they
    answered. Recording one completes a task the client has not confirmed themselves."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        WECOM = "wecom", _("WeCom")
        IN_PERSON = "in_person", _("In person")
        PORTAL = "portal", _("Client portal")

    task = models.ForeignKey(
        DelegatedTask, verbose_name=_("delegated task"), on_delete=models.CASCADE, related_name="notices"
    )
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    notified_at = models.DateTimeField(_("notified at"))
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("notified by"), on_delete=models.PROTECT, related_name="+"
    )
    # Whom the notice reached (e.g. 会议主持 李小姐), when not the requesting contact.
    notified_person = models.CharField(_("person notified"), max_length=100, blank=True)
    client_answer = models.TextField(_("client's answer"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("notice to the client")
        verbose_name_plural = _("notices to the client")
        ordering = ["notified_at", "id"]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_method_display()}"


class DelegationEvidence(models.Model):
    """A receipt or a photo proving the work and its cost. Files live in the private storage and are served
    only through the task's access check; images are re-encoded on upload (no metadata, no payload)."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        PHOTO = "photo", _("Photo")

    task = models.ForeignKey(
        DelegatedTask, verbose_name=_("delegated task"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="delegations/%Y/%m/", storage=private_storage, max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class DelegationEvent(models.Model):
    """The task's history: every change of state (and of cost or evidence), who and when, with its note."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        RECORDED = "recorded", _("Recorded by staff")
        CHANGED = "changed", _("Changed")
        ACCEPTED = "accepted", _("Accepted")
        STARTED = "started", _("Started")
        DONE = "done", _("Marked done")
        COST = "cost", _("Cost recorded")
        EVIDENCE = "evidence", _("Evidence added")
        CONFIRMED = "confirmed", _("Confirmed by the client")
        NOTIFIED = "notified", _("Client notified")
        DISPUTED = "disputed", _("Disputed by the client")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    task = models.ForeignKey(
        DelegatedTask, verbose_name=_("delegated task"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("delegated task history entry")
        verbose_name_plural = _("delegated task history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_action_display()}"
