"""The forms of the task pages. They only gather values; the rules live in services.py."""

from datetime import datetime, timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.delegations.access import is_task_client
from huiwu.delegations.describe import state_choices
from huiwu.delegations.models import DelegatedTask, DelegationEvidence, DelegationNotice
from huiwu.delegations.selectors import STATE_FILTERS, StateFilter, TaskFilters, task_doers
from huiwu.directory.models import Contact, Organization
from huiwu.lib.dates import format_slot
from huiwu.lib.forms import StyledFormMixin, date_input, now_initial, text_area, time_input
from huiwu.lib.params import MAX_ID
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.models import ACTIVE_STATUSES, Meeting
from huiwu.meetings.selectors import day_bounds

# How long before its meeting a task is due unless the form says otherwise: time to set the things out.
DUE_BEFORE_MEETING = timedelta(minutes=30)
TEXT_LIMIT = 2000
# Budgets and costs fit their columns: ten digits, two of them decimals.
AMOUNT = {"max_digits": 10, "decimal_places": 2, "min_value": 0}


def _label(name: str, model=DelegatedTask) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _help(name: str) -> str:
    return DelegatedTask._meta.get_field(name).help_text


def _max_length(name: str, model=DelegatedTask) -> int:
    return model._meta.get_field(name).max_length


def _amount_input() -> forms.NumberInput:
    # The phone's number pad with a decimal point; the step lets a browser take fen.
    return forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"})


def _combine(day, clock) -> datetime | None:
    if day is None or clock is None:
        return None
    return timezone.make_aware(datetime.combine(day, clock))


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return f"{format_slot(meeting.start, meeting.end)} {meeting.room.name} · {meeting.title}"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return str(user)


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contact: Contact) -> str:
        return str(contact)


def meetings_offered(user: User, meeting: Meeting | None) -> QuerySet[Meeting]:
    """Meetings a task may serve: those still to take place from today on that the user may see (a client:
    their organization's), and the one the form was opened from."""
    since = day_bounds(timezone.localdate())[0]
    offered = Q(status__in=ACTIVE_STATUSES, end__gte=since)
    if meeting is not None:
        offered |= Q(pk=meeting.pk)
    return meetings_visible_to(user).filter(offered).select_related("room").order_by("start", "room__name")


class DueFieldsForm(StyledFormMixin, forms.Form):
    """The due date and time of the staff's and the client's task forms (a form of its own: the shared rules of
    StyledFormMixin hold for its fields too)."""

    due_date = forms.DateField(label=_("Due date"), widget=date_input())
    due_time = forms.TimeField(label=_("Due time"), widget=time_input(step_minutes=5))

    def due_initial(self, meeting: Meeting | None) -> dict:
        if meeting is None or meeting.start <= timezone.now():
            return {}
        due = timezone.localtime(meeting.start - DUE_BEFORE_MEETING)
        return {"due_date": due.date(), "due_time": due.time().replace(second=0, microsecond=0)}


class TaskForm(DueFieldsForm):
    """What staff record: the task, who asked, for which meeting, who does it, the plan shown to the client."""

    SERVICE_FIELDS = {"due_at": "due_time"}

    kind = forms.ChoiceField(
        label=_label("kind"), choices=DelegatedTask.Kind.choices, initial=DelegatedTask.Kind.PURCHASE
    )
    title = forms.CharField(label=_label("title"), max_length=_max_length("title"))
    quantity = forms.CharField(label=_label("quantity"), max_length=_max_length("quantity"), required=False)
    meeting = MeetingChoiceField(label=_label("meeting"), queryset=Meeting.objects.none(), required=False)
    # Labelled within their fieldset "委托人" (templates/delegations/task_form.html).
    requester_contact = ContactChoiceField(
        label=_("Client contact"),
        queryset=Contact.objects.select_related("organization").order_by("organization__name", "name"),
        required=False,
    )
    requester_name = forms.CharField(
        label=_("Or an internal office or leader"),
        max_length=_max_length("requester_name"),
        required=False,
        help_text=_help("requester_name"),
    )
    organization = forms.ModelChoiceField(
        label=_label("organization"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        help_text=_("Empty: the contact's organization, or the meeting's organizer."),
    )
    budget = forms.DecimalField(label=_label("budget"), required=False, widget=_amount_input(), **AMOUNT)
    assignee = UserChoiceField(label=_label("assignee"), queryset=User.objects.none(), required=False)
    service_plan = forms.CharField(
        label=_label("service_plan"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=text_area(rows=2),
        help_text=_help("service_plan"),
    )
    details = forms.CharField(label=_label("details"), max_length=TEXT_LIMIT, required=False, widget=text_area(rows=3))

    # The fields of a change (task_change): who asked and for whom stay as recorded.
    CHANGE_FIELDS = ("kind", "title", "quantity", "meeting", "budget", "assignee", "service_plan", "details")

    def __init__(self, *args, user: User, meeting: Meeting | None = None, task: DelegatedTask | None = None, **kwargs):
        initial = self.due_initial(meeting)
        if meeting is not None:
            initial["meeting"] = meeting
        if task is not None:
            due = timezone.localtime(task.due_at)
            initial = {name: getattr(task, name) for name in self.CHANGE_FIELDS}
            initial.update(due_date=due.date(), due_time=due.time().replace(second=0, microsecond=0))
            meeting = task.meeting
        kwargs["initial"] = initial | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        if task is not None:
            for name in ("requester_contact", "requester_name", "organization"):
                del self.fields[name]
        self.fields["title"].widget.attrs["placeholder"] = _help("title")
        self.fields["quantity"].widget.attrs["placeholder"] = _help("quantity")
        self.fields["meeting"].queryset = meetings_offered(user, meeting)
        self.fields["assignee"].queryset = task_doers()

    def to_kwargs(self) -> dict:
        """The arguments of services.task_create, or of task_change for a form of a recorded task."""
        data = self.cleaned_data
        values = {name: data[name] for name in self.fields if name not in ("due_date", "due_time")}
        values["due_at"] = _combine(data["due_date"], data["due_time"])
        return values


class ClientTaskForm(DueFieldsForm):
    """What a client contact asks for (委托事务): what, how much, budget, by when, for which of their meetings."""

    SERVICE_FIELDS = {"due_at": "due_time"}

    title = forms.CharField(label=_label("title"), max_length=_max_length("title"))
    quantity = forms.CharField(label=_label("quantity"), max_length=_max_length("quantity"), required=False)
    budget = forms.DecimalField(label=_label("budget"), required=False, widget=_amount_input(), **AMOUNT)
    meeting = MeetingChoiceField(label=_label("meeting"), queryset=Meeting.objects.none(), required=False)
    details = forms.CharField(
        label=_label("details"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=text_area(rows=3),
        help_text=_("Anything the team should know, e.g. when and where to set things out."),
    )

    def __init__(self, *args, user: User, meeting: Meeting | None = None, **kwargs):
        initial = self.due_initial(meeting)
        if meeting is not None:
            initial["meeting"] = meeting
        kwargs["initial"] = initial | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["placeholder"] = _help("title")
        self.fields["quantity"].widget.attrs["placeholder"] = _help("quantity")
        self.fields["meeting"].queryset = meetings_offered(user, meeting)

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in ("title", "quantity", "budget", "meeting", "details")}
        values["due_at"] = _combine(data["due_date"], data["due_time"])
        return values


def task_form_for(user: User, *args, **kwargs) -> forms.Form:
    """The client's simpler form for a client contact, the staff's for staff."""
    form_class = ClientTaskForm if is_task_client(user) else TaskForm
    return form_class(*args, user=user, **kwargs)


class AssigneeForm(StyledFormMixin, forms.Form):
    """Accept a request, or give the task to someone."""

    assignee = UserChoiceField(label=_label("assignee"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = task_doers()


class DoneForm(StyledFormMixin, forms.Form):
    actual_cost = forms.DecimalField(label=_label("actual_cost"), required=False, widget=_amount_input(), **AMOUNT)
    note = forms.CharField(
        label=_label("done_note"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=text_area(rows=2),
        help_text=_("What the client should know, e.g. 5 公斤，分三批摆放."),
    )


class CostForm(StyledFormMixin, forms.Form):
    actual_cost = forms.DecimalField(label=_label("actual_cost"), widget=_amount_input(), **AMOUNT)


class NoticeForm(StyledFormMixin, forms.Form):
    """A notice to the client (知会): how, when, to whom, and what they answered."""

    SERVICE_FIELDS = {"notified_at": "notified_time"}

    method = forms.ChoiceField(
        label=_label("method", DelegationNotice), choices=DelegationNotice.Method.choices, widget=forms.RadioSelect
    )
    notified_date = forms.DateField(label=_("Date notified"), widget=date_input())
    notified_time = forms.TimeField(label=_("Time notified"), widget=time_input())
    notified_person = forms.CharField(
        label=_label("notified_person", DelegationNotice),
        max_length=_max_length("notified_person", DelegationNotice),
        required=False,
        help_text=_("Empty: the contact who asked."),
    )
    client_answer = forms.CharField(
        label=_label("client_answer", DelegationNotice), max_length=TEXT_LIMIT, required=False, widget=text_area(rows=2)
    )

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = now_initial("notified_") | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "method": data["method"],
            "notified_at": _combine(data["notified_date"], data["notified_time"]),
            "notified_person": data["notified_person"],
            "client_answer": data["client_answer"],
        }


class DisputeForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What is wrong?"),
        max_length=TEXT_LIMIT,
        widget=text_area(rows=2),
        help_text=_("The service hotline will call you back about it."),
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_LIMIT, widget=text_area(rows=2))


class EvidenceForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_label("kind", DelegationEvidence),
        # Which it is, the uploader says: a photo filed as a receipt would count in the reimbursement.
        choices=DelegationEvidence.Kind.choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_label("file", DelegationEvidence),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/*,application/pdf"}),
        help_text=_("A photo (JPEG, PNG) or a PDF."),
    )


def _state_filters() -> list[tuple[str, str]]:
    # A callable: the labels are read in the language of each request, not of the first import.
    return [(StateFilter.OPEN, StateFilter.OPEN.label), (StateFilter.ALL, StateFilter.ALL.label), *state_choices()]


class TaskFilterForm(StyledFormMixin, forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=_state_filters, required=False)
    mine = forms.BooleanField(label=_("Mine only"), required=False)
    meeting = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    due_from = forms.DateField(label=_("Due from"), widget=date_input(), required=False)
    due_to = forms.DateField(label=_("Due until"), widget=date_input(), required=False)

    def filters(self) -> TaskFilters:
        """The filters asked for; a value that is not valid falls back to its default."""
        if not self.is_bound:
            return TaskFilters()
        self.is_valid()
        data = self.cleaned_data
        state = data.get("state") or StateFilter.OPEN
        return TaskFilters(
            state=state if state in STATE_FILTERS else StateFilter.OPEN,
            mine=bool(data.get("mine")),
            meeting_id=data.get("meeting"),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
        )
