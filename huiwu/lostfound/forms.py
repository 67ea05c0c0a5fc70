from datetime import datetime, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.lib.dates import format_slot
from huiwu.lib.forms import StyledFormMixin, date_input, now_initial, phone_input, search_input, text_area, time_input
from huiwu.lostfound.models import LostItem
from huiwu.lostfound.selectors import SEARCH_MAX_LENGTH, State, handover_staff
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.models import ACTIVE_STATUSES, Meeting
from huiwu.meetings.selectors import day_bounds
from huiwu.venues.models import Room

# The register form offers the meetings of the last few days: items are found when people have left.
RECENT_MEETING_DAYS = 3


def _label(name: str) -> str:
    return capfirst(LostItem._meta.get_field(name).verbose_name)


def _help(name: str) -> str:
    return LostItem._meta.get_field(name).help_text


def _max_length(name: str) -> int:
    return LostItem._meta.get_field(name).max_length


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return f"{format_slot(meeting.start, meeting.end)} {meeting.room.name} · {meeting.title}"


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, room: Room) -> str:
        return f"{room.floor.site.name} {room.floor.name} · {room.name}"


class LostItemForm(StyledFormMixin, forms.Form):
    """Registers a found item. It only gathers the values; the rules live in services.lost_item_register."""

    SERVICE_FIELDS = {"found_at": "found_time"}

    # Not the model's verbose name: its msgid "item" is shared with the meetings' service items (项目).
    description = forms.CharField(label=_("Item"), max_length=_max_length("description"))
    meeting = MeetingChoiceField(label=_label("meeting"), queryset=Meeting.objects.none(), required=False)
    room = RoomChoiceField(
        label=_label("room"),
        queryset=Room.objects.active().select_related("floor__site").order_by("floor__site__name", "name"),
        required=False,
        help_text=_("Empty: the meeting's room."),
    )
    found_where = forms.CharField(label=_label("found_where"), max_length=_max_length("found_where"))
    found_date = forms.DateField(label=_("Date found"), widget=date_input())
    found_time = forms.TimeField(label=_("Time found"), widget=time_input())
    stored_where = forms.CharField(label=_label("stored_where"), max_length=_max_length("stored_where"))
    notes = forms.CharField(label=_label("notes"), max_length=2000, required=False, widget=text_area(rows=2))

    def __init__(self, *args, user: User, meeting: Meeting | None = None, **kwargs) -> None:
        initial = now_initial("found_")
        if meeting is not None:
            initial.update(meeting=meeting, room=meeting.room)
        kwargs["initial"] = initial | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.fields["description"].widget.attrs["placeholder"] = _help("description")
        self.fields["found_where"].widget.attrs["placeholder"] = _help("found_where")
        # Recent meetings the user may see, and the one the form was opened from however old it is.
        today = timezone.localdate()
        since = day_bounds(today - timedelta(days=RECENT_MEETING_DAYS))[0]
        offered = Q(status__in=ACTIVE_STATUSES, start__gte=since, start__lt=day_bounds(today)[1])
        if meeting is not None:
            offered |= Q(pk=meeting.pk)
        self.fields["meeting"].queryset = (
            meetings_visible_to(user).filter(offered).select_related("room").order_by("-start")
        )

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "description": data["description"],
            "meeting": data["meeting"],
            "room": data["room"],
            "found_where": data["found_where"],
            "found_at": timezone.make_aware(datetime.combine(data["found_date"], data["found_time"])),
            "stored_where": data["stored_where"],
            "notes": data["notes"],
        }


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return str(user)


class ReturnForm(StyledFormMixin, forms.Form):
    """Records the return of an item; the rules live in services.lost_item_return."""

    SERVICE_FIELDS = {"returned_at": "returned_time"}

    returned_to = forms.CharField(
        label=_("Received by"),
        max_length=_max_length("returned_to"),
        help_text=_("Name of the person who took the item back."),
    )
    returned_to_phone = forms.CharField(
        label=_label("returned_to_phone"),
        max_length=_max_length("returned_to_phone"),
        required=False,
        widget=phone_input(),
    )
    # Preselected: the user. Left out of the request, it is the user too.
    handed_over_by = UserChoiceField(
        label=_label("handed_over_by"), queryset=User.objects.none(), required=False, empty_label=None
    )
    returned_date = forms.DateField(label=_("Date returned"), widget=date_input())
    returned_time = forms.TimeField(label=_("Time returned"), widget=time_input())

    def __init__(self, *args, user: User, **kwargs) -> None:
        kwargs["initial"] = {
            "handed_over_by": user.pk,
            **now_initial("returned_"),
        } | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        self.fields["handed_over_by"].queryset = handover_staff()

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "returned_to": data["returned_to"],
            "returned_to_phone": data["returned_to_phone"],
            "returned_at": timezone.make_aware(datetime.combine(data["returned_date"], data["returned_time"])),
            "handed_over_by": data["handed_over_by"],
        }


class LostItemFilterForm(StyledFormMixin, forms.Form):
    # Offered as links above the list, never rendered as a field.
    state = forms.ChoiceField(choices=State.choices, required=False)
    q = forms.CharField(
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=search_input(placeholder=_("Item, where found or where kept")),
    )

    def filters(self) -> tuple[str, str]:
        """(state, text) to filter by; a value that is not valid falls back to the default (open, any text)."""
        if not self.is_bound:
            return State.OPEN, ""
        self.is_valid()
        return self.cleaned_data.get("state") or State.OPEN, self.cleaned_data.get("q", "").strip()
