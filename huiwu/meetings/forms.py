from datetime import datetime

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.directory.access import can_see_people, organizations_visible_to
from huiwu.directory.models import Contact, Organization, Person
from huiwu.lib.forms import StyledFormMixin, date_input, text_area, time_input
from huiwu.lib.params import int_param
from huiwu.meetings.access import attendee_choices, can_approve, can_name_attendees
from huiwu.meetings.models import MeetingSeries, Nature, ServiceItem, Status, Tone
from huiwu.meetings.selectors import MeetingFilters, own_contact
from huiwu.meetings.services import MeetingDraft, Recurrence
from huiwu.security.levels import level_choices
from huiwu.venues.models import Layout, Room


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, room: Room) -> str:
        return _("%(site)s %(floor)s · %(room)s (%(capacity)d people)") % {
            "site": room.floor.site.name,
            "floor": room.floor.name,
            "room": room.name,
            "capacity": room.capacity,
        }


class MeetingForm(StyledFormMixin, forms.Form):
    """The booking form. It only gathers a MeetingDraft; the rules live in services.meeting_check."""

    # Service-layer field names → this form's fields, for the errors the service raises.
    SERVICE_FIELDS = {"start": "start_time", "end": "end_time"}

    title = forms.CharField(label=_("Title"), max_length=120)
    organizer = forms.ModelChoiceField(label=_("Organizer"), queryset=Organization.objects.all())
    contact = forms.ModelChoiceField(
        label=_("Contact"),
        queryset=Contact.objects.none(),  # the organizer's contacts, set in __init__
        required=False,
        error_messages={"invalid_choice": _("Choose one of the organizer's contacts.")},
    )
    room = RoomChoiceField(label=_("Room"), queryset=Room.objects.active().select_related("floor__site"))
    date = forms.DateField(label=_("Date"), widget=date_input())
    start_time = forms.TimeField(label=_("Starts"), widget=time_input(step_minutes=5))
    end_time = forms.TimeField(label=_("Ends"), widget=time_input(step_minutes=5))
    headcount = forms.IntegerField(label=_("Headcount"), min_value=1, max_value=5000)
    setup_minutes = forms.IntegerField(
        label=_("Setup (minutes before)"),
        min_value=0,
        max_value=240,
        required=False,
        help_text=_("Empty: the room's default."),
    )
    teardown_minutes = forms.IntegerField(
        label=_("Teardown (minutes after)"),
        min_value=0,
        max_value=240,
        required=False,
        help_text=_("Empty: the room's default."),
    )
    nature = forms.ChoiceField(label=_("Nature"), choices=Nature.choices, initial=Nature.WORK_ASSIGNMENT)
    tone = forms.ChoiceField(label=_("Tone"), choices=Tone.choices, initial=Tone.SOLEMN)
    layout = forms.ChoiceField(label=_("Layout"), choices=[("", "—"), *Layout.choices], required=False)
    table_count = forms.IntegerField(label=_("Tables"), min_value=0, max_value=1000, required=False)
    chair_count = forms.IntegerField(label=_("Chairs"), min_value=0, max_value=5000, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Leaders and guests"),
        queryset=Person.objects.none(),  # set per user in __init__
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Served in order of precedence."),
    )
    tea_kind = forms.CharField(label=_("Tea kind"), max_length=50, required=False)
    restroom_arrangement = forms.CharField(label=_("Restroom arrangement"), max_length=200, required=False)
    smoking_arrangement = forms.CharField(label=_("Smoking area arrangement"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), widget=text_area(rows=3), required=False)
    confidentiality = forms.TypedChoiceField(
        label=_("Confidentiality"),
        choices=level_choices,
        coerce=int,
        initial=0,
        # Left out (an older client, a partial post): the meeting keeps its level, a new one is ordinary.
        required=False,
        empty_value=None,
        help_text=_("A confidential meeting is served, and seen, only by cleared staff."),
    )
    capacity_override_reason = forms.CharField(label=_("Reason for exceeding capacity"), max_length=200, required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Added after the mixin styled the declared fields, hence their own classes.
        for item in ServiceItem:
            self.fields[f"item_{item.value}"] = forms.IntegerField(
                label=item.label,
                min_value=0,
                max_value=9999,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "placeholder": "0"}),
            )
        if not can_approve(user):
            # Clients book for their own organization.
            self.fields["organizer"].queryset = Organization.objects.filter(pk=user.organization_id)
            self.fields["organizer"].initial = user.organization_id
        # The contact list follows the organizer: choosing another one reloads it (htmx, views.contact_options).
        self.fields["organizer"].widget.attrs.update(
            {"hx-get": reverse("meetings:contacts"), "hx-target": "#id_contact", "hx-trigger": "change"}
        )
        self.fields["contact"].queryset = Contact.objects.select_related("organization").filter(
            organization__in=organizations_visible_to(user), organization_id=self._organizer_id()
        )
        if not self.is_bound and "contact" not in self.initial:
            self.initial["contact"] = own_contact(user)
        if can_name_attendees(user):
            self.fields["attendees"].queryset = attendee_choices(user)
            if not can_see_people(user):
                self.fields["attendees"].help_text = _("Leaders of your organization, served in order of precedence.")
        else:
            del self.fields["attendees"]
        if not user.has_perm("meetings.override_capacity"):
            del self.fields["capacity_override_reason"]

    def _organizer_id(self) -> int | None:
        """The organizer chosen (posted), or the one the form starts with."""
        if self.is_bound:
            return int_param(self.data.get(self.add_prefix("organizer")))
        organizer = self.initial.get("organizer", self.fields["organizer"].initial)
        return organizer.pk if isinstance(organizer, Organization) else int_param(str(organizer or ""))

    @property
    def service_item_fields(self) -> list:
        return [self[f"item_{item.value}"] for item in ServiceItem]

    @property
    def main_fields(self) -> list:
        return [field for field in self.visible_fields() if not field.name.startswith("item_")]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", _("The end must be later than the start."))
        return data

    def _moment(self, time_value) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["date"], time_value))

    def to_draft(self, current: MeetingDraft | None = None) -> MeetingDraft:
        """The booking as filled in; what this user may not see (leaders and guests) is kept from `current`."""
        data = self.cleaned_data
        items = {}
        for item in ServiceItem:
            quantity = data.get(f"item_{item.value}") or 0
            if quantity:
                items[item.value] = (quantity, data["tea_kind"] if item == ServiceItem.TEA else "")
        return MeetingDraft(
            title=data["title"],
            organizer=data["organizer"],
            contact=data["contact"],
            room=data["room"],
            start=self._moment(data["start_time"]),
            end=self._moment(data["end_time"]),
            headcount=data["headcount"],
            setup_minutes=data["setup_minutes"],
            teardown_minutes=data["teardown_minutes"],
            nature=data["nature"],
            tone=data["tone"],
            layout=data["layout"],
            table_count=data["table_count"],
            chair_count=data["chair_count"],
            attendees=list(data["attendees"]) if "attendees" in self.fields else (current.attendees if current else []),
            service_items=items,
            restroom_arrangement=data["restroom_arrangement"],
            smoking_arrangement=data["smoking_arrangement"],
            notes=data["notes"],
            confidentiality=(
                data["confidentiality"]
                if data["confidentiality"] is not None
                else (current.confidentiality if current else 0)
            ),
            capacity_override_reason=data.get("capacity_override_reason", ""),
        )

    @staticmethod
    def initial_from_draft(draft: MeetingDraft) -> dict:
        start, end = timezone.localtime(draft.start), timezone.localtime(draft.end)
        initial = {
            "title": draft.title,
            "organizer": draft.organizer,
            "contact": draft.contact,
            "room": draft.room,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "headcount": draft.headcount,
            "setup_minutes": draft.setup_minutes,
            "teardown_minutes": draft.teardown_minutes,
            "nature": draft.nature,
            "tone": draft.tone,
            "layout": draft.layout,
            "table_count": draft.table_count,
            "chair_count": draft.chair_count,
            "attendees": draft.attendees,
            "restroom_arrangement": draft.restroom_arrangement,
            "smoking_arrangement": draft.smoking_arrangement,
            "notes": draft.notes,
            "confidentiality": draft.confidentiality,
            "capacity_override_reason": draft.capacity_override_reason,
        }
        for item, (quantity, note) in draft.service_items.items():
            initial[f"item_{item}"] = quantity
            if item == ServiceItem.TEA:
                initial["tea_kind"] = note
        return initial


class RecurrenceForm(StyledFormMixin, forms.Form):
    """Optional on a new booking: turn it into a recurring meeting (例会), one row per occurrence."""

    repeat = forms.ChoiceField(
        label=_("Repeats"), choices=[("", _("Does not repeat")), *MeetingSeries.Frequency.choices], required=False
    )
    interval = forms.IntegerField(label=_("Every"), min_value=1, max_value=12, initial=1, required=False)
    until = forms.DateField(label=_("Until"), widget=date_input(), required=False)
    count = forms.IntegerField(label=_("Occurrences"), min_value=2, max_value=120, required=False)
    skip_conflicts = forms.BooleanField(
        label=_("Book the free occurrences and skip the ones that collide"), required=False
    )

    def recurrence(self) -> Recurrence | None:
        data = self.cleaned_data
        if not data.get("repeat"):
            return None
        return Recurrence(
            frequency=data["repeat"],
            interval=data.get("interval") or 1,
            until=data.get("until"),
            count=data.get("count"),
        )


class ChangeForm(StyledFormMixin, forms.Form):
    """What an edit of an existing meeting asks besides the meeting itself."""

    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[("this", _("This meeting only")), ("following", _("This and all following occurrences"))],
        initial="this",
        widget=forms.RadioSelect,
        # Offered only for a recurring meeting; absent, the change is to this meeting alone.
        required=False,
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=200, required=False)


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class MeetingFilterForm(StyledFormMixin, forms.Form):
    date_from = forms.DateField(label=_("From"), widget=date_input(), required=False)
    date_to = forms.DateField(label=_("To"), widget=date_input(), required=False)
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.select_related("floor__site"), required=False, to_field_name="code"
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any")), *Status.choices], required=False)
    organizer = forms.ModelChoiceField(label=_("Organizer"), queryset=Organization.objects.all(), required=False)
    q = forms.CharField(label=_("Title contains"), max_length=50, required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The one organization whose meetings the user may list, None for every one: the organizer's choices.
        self.organization_only = None if user.has_perm("meetings.view_meeting") else user.organization_id
        if self.organization_only is not None:
            self.fields["organizer"].queryset = Organization.objects.filter(pk=self.organization_only)

    def filters(self) -> MeetingFilters:
        if not self.is_valid():
            return MeetingFilters()
        data = self.cleaned_data
        return MeetingFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            room=data["room"],
            status=data["status"],
            organizer_id=data["organizer"].pk if data["organizer"] else None,
            q=data["q"],
        )


class FreeRoomsForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=date_input())
    start_time = forms.TimeField(label=_("From"), widget=time_input(step_minutes=5))
    end_time = forms.TimeField(label=_("To"), widget=time_input(step_minutes=5))
    headcount = forms.IntegerField(label=_("People"), min_value=1, max_value=5000)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", _("The end must be later than the start."))
        return data

    def window(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return (
            timezone.make_aware(datetime.combine(data["date"], data["start_time"])),
            timezone.make_aware(datetime.combine(data["date"], data["end_time"])),
        )
