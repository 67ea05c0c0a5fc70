"""The complaint pages' forms. They only gather the values; the rules live in services.py."""

from datetime import datetime, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiwu.accounts.models import User
from huiwu.directory.models import Contact, Organization
from huiwu.feedback.models import Complaint, FollowUp, RootCause
from huiwu.feedback.selectors import SEARCH_MAX_LENGTH, State, root_causes_offered
from huiwu.lib.dates import format_slot
from huiwu.lib.forms import StyledFormMixin, date_input, now_initial, phone_input, search_input, text_area, time_input
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.models import ACTIVE_STATUSES, Meeting
from huiwu.meetings.selectors import day_bounds
from huiwu.venues.models import Room

# The form offers the meetings of the last days (complaints come during a meeting or soon after) and today's.
RECENT_MEETING_DAYS = 7
# Long enough for what a client says on the phone; the column is unbounded.
TEXT_MAX_LENGTH = 4000


def _label(name: str, model=Complaint) -> str:
    return capfirst(model._meta.get_field(name).verbose_name)


def _max_length(name: str) -> int:
    return Complaint._meta.get_field(name).max_length


def _combine(day, time) -> datetime:
    return timezone.make_aware(datetime.combine(day, time))


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return f"{format_slot(meeting.start, meeting.end)} {meeting.room.name} · {meeting.title}"


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, room: Room) -> str:
        return f"{room.floor.site.name} {room.floor.name} · {room.name}"


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contact: Contact) -> str:
        return str(contact)


def recent_meetings(user: User, meeting: Meeting | None = None):
    """The meetings a complaint may be about: the user's visible ones of the last days and today, and the one
    the form was opened from however old it is."""
    today = timezone.localdate()
    since = day_bounds(today - timedelta(days=RECENT_MEETING_DAYS))[0]
    offered = Q(status__in=ACTIVE_STATUSES, start__gte=since, start__lt=day_bounds(today)[1])
    if meeting is not None:
        offered |= Q(pk=meeting.pk)
    return meetings_visible_to(user).filter(offered).select_related("room").order_by("-start")


class ComplaintForm(StyledFormMixin, forms.Form):
    """Staff record a complaint received by phone, on site, by WeCom or from the portal."""

    SERVICE_FIELDS = {"received_at": "received_time"}

    channel = forms.ChoiceField(label=_label("channel"), choices=Complaint.Channel.choices)
    complainant_name = forms.CharField(label=_label("complainant_name"), max_length=_max_length("complainant_name"))
    complainant_phone = forms.CharField(
        label=_label("complainant_phone"),
        max_length=_max_length("complainant_phone"),
        required=False,
        widget=phone_input(),
    )
    organization = forms.ModelChoiceField(
        label=_label("organization"), queryset=Organization.objects.order_by("name"), required=False
    )
    complainant_contact = ContactChoiceField(
        label=_label("complainant_contact"),
        queryset=Contact.objects.select_related("organization").order_by("organization__name", "name"),
        required=False,
        help_text=_("When the complainant is a client contact: they follow the complaint in the client portal."),
    )
    meeting = MeetingChoiceField(label=_label("meeting"), queryset=Meeting.objects.none(), required=False)
    room = RoomChoiceField(
        label=_label("room"),
        queryset=Room.objects.active().select_related("floor__site").order_by("floor__site__name", "name"),
        required=False,
        help_text=_("Empty: the meeting's room."),
    )
    # Not the model's verbose name: its msgid "subject" is shared with the audit log's subjects (对象).
    summary = forms.CharField(label=pgettext_lazy("complaint", "Subject"), max_length=_max_length("summary"))
    statement = forms.CharField(label=_label("statement"), max_length=TEXT_MAX_LENGTH, widget=text_area(rows=4))
    received_date = forms.DateField(label=_("Date received"), widget=date_input())
    received_time = forms.TimeField(label=_("Time received"), widget=time_input())

    def __init__(self, *args, user: User, meeting: Meeting | None = None, **kwargs) -> None:
        initial = {"channel": Complaint.Channel.HOTLINE, **now_initial("received_")}
        if meeting is not None:
            initial.update(meeting=meeting, room=meeting.room, organization=meeting.organizer)
        kwargs["initial"] = initial | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.fields["summary"].widget.attrs["placeholder"] = Complaint._meta.get_field("summary").help_text
        self.fields["meeting"].queryset = recent_meetings(user, meeting)

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "complainant_name": data["complainant_name"],
            "complainant_phone": data["complainant_phone"],
            "complainant_contact": data["complainant_contact"],
            "organization": data["organization"],
            "meeting": data["meeting"],
            "room": data["room"],
            "summary": data["summary"],
            "statement": data["statement"],
            "received_at": _combine(data["received_date"], data["received_time"]),
        }


class ClientComplaintForm(StyledFormMixin, forms.Form):
    """A client's complaint or suggestion from the portal: what it is about and, if any, which meeting."""

    meeting = MeetingChoiceField(
        label=_label("meeting"), queryset=Meeting.objects.none(), required=False, empty_label=_("No particular meeting")
    )
    summary = forms.CharField(label=pgettext_lazy("complaint", "Subject"), max_length=_max_length("summary"))
    statement = forms.CharField(label=_("What happened"), max_length=TEXT_MAX_LENGTH, widget=text_area(rows=5))

    def __init__(self, *args, user: User, meeting: Meeting | None = None, **kwargs) -> None:
        if meeting is not None:
            kwargs["initial"] = {"meeting": meeting} | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = recent_meetings(user, meeting)

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "channel": Complaint.Channel.PORTAL,
            "complainant_name": "",
            "meeting": data["meeting"],
            "summary": data["summary"],
            "statement": data["statement"],
        }


class StepForm(StyledFormMixin, forms.Form):
    """One step of the procedure (or the return visit): what was done, and when (default: now)."""

    SERVICE_FIELDS = {"at": "time"}

    note = forms.CharField(label=_("What was done"), max_length=TEXT_MAX_LENGTH, widget=text_area(rows=3))
    date = forms.DateField(label=_("Date"), widget=date_input())
    time = forms.TimeField(label=_("Time"), widget=time_input())

    def __init__(self, *args, label: str = "", **kwargs) -> None:
        kwargs["initial"] = now_initial("") | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        if label:
            self.fields["note"].label = label

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"note": data["note"], "at": _combine(data["date"], data["time"])}


class RootCauseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, cause: RootCause) -> str:
        return cause.name


class CloseForm(StyledFormMixin, forms.Form):
    """Closing: the root cause, the lesson and, for a manager when the client's acceptance is missing, why."""

    root_cause = RootCauseChoiceField(label=_label("root_cause"), queryset=RootCause.objects.none())
    lesson = forms.CharField(
        label=_label("lesson"),
        max_length=TEXT_MAX_LENGTH,
        widget=text_area(rows=3),
        help_text=_("What the team does differently from now on; every member of staff reads it in the case library."),
    )
    close_reason = forms.CharField(
        label=_label("close_reason"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=text_area(rows=2),
        help_text=_("e.g. the client cannot be reached after three attempts"),
    )

    def __init__(self, *args, with_reason: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["root_cause"].queryset = root_causes_offered()
        if with_reason:
            self.fields["close_reason"].required = True
        else:
            del self.fields["close_reason"]

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "root_cause": data["root_cause"],
            "lesson": data["lesson"],
            "close_reason": data.get("close_reason", ""),
        }


class ComplaintFilterForm(StyledFormMixin, forms.Form):
    # Offered as links above the list, never rendered as a field.
    state = forms.ChoiceField(choices=State.choices, required=False)
    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=search_input(placeholder=_("Subject or what was said")),
    )

    def filters(self) -> tuple[str, str]:
        """(state, text); a value that is not valid falls back to the default (open, any text)."""
        if not self.is_bound:
            return State.OPEN, ""
        self.is_valid()
        return self.cleaned_data.get("state") or State.OPEN, self.cleaned_data.get("q", "").strip()


class CaseSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=search_input(placeholder=_("e.g. 水果, 话筒, 预订")),
    )
    cause = RootCauseChoiceField(
        label=_label("root_cause"), queryset=RootCause.objects.all(), required=False, empty_label=_("Any cause")
    )
    room = RoomChoiceField(
        label=_label("room"),
        queryset=Room.objects.select_related("floor__site").order_by("floor__site__name", "name"),
        required=False,
        empty_label=_("Any room"),
    )

    def filters(self) -> dict:
        """q, cause and room to search by; a value that is not valid is left out (and shown as an error)."""
        if not self.is_bound:
            return {"q": "", "cause": None, "room": None}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        room = data.get("room")
        return {"q": data.get("q", "").strip(), "cause": data.get("cause"), "room": room.pk if room else None}


class FollowUpCloseForm(StyledFormMixin, forms.Form):
    resolution = forms.CharField(
        label=_label("resolution", FollowUp),
        max_length=TEXT_MAX_LENGTH,
        widget=text_area(rows=3),
        help_text=_("What the client was told and what was done."),
    )


class EscalateForm(StyledFormMixin, forms.Form):
    """The follow-up turned out to be a complaint."""

    channel = forms.ChoiceField(
        label=_label("channel"), choices=Complaint.Channel.choices, initial=Complaint.Channel.HOTLINE
    )
    statement = forms.CharField(
        label=_label("statement"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=text_area(rows=3),
        help_text=_("Empty: what the client wrote."),
    )
