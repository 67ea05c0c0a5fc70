"""Meetings over JSON. Views stay thin: parse, build a MeetingDraft, call the service, serialize.

Every meeting is fetched through access.py, so what a user may not see answers 404 like what does not exist.
Times are ISO 8601; a time without an offset is Shanghai time, and answers carry the +08:00 offset.
"""

from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import ConfigDict

from huiwu.accounts.models import User
from huiwu.directory.access import can_see_people, organizations_visible_to
from huiwu.directory.models import Contact
from huiwu.lib.api import (
    Count,
    Date,
    DateTime,
    Id,
    InputSchema,
    OrganizationRefOut,
    Page,
    PageIn,
    SmallCount,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    without_defaults,
    xlsx_answered,
)
from huiwu.meetings import services
from huiwu.meetings.access import (
    attendee_choices,
    attendees_visible_to,
    can_name_attendees,
    get_meeting_for_user,
    get_meeting_to_change,
    meetings_busy_for,
    meetings_visible_to,
    require_booker,
    require_meeting_reader,
    visible_meeting_ids,
)
from huiwu.meetings.describe import CONFIDENTIAL_LABEL
from huiwu.meetings.exports import meetings_export
from huiwu.meetings.feeds import FeedLinks, calendar_feed_links
from huiwu.meetings.models import MAX_DURATION, Meeting, MeetingChange, Nature, ServiceItem, Tone
from huiwu.meetings.models import Status as MeetingStatus
from huiwu.meetings.selectors import (
    MeetingFilters,
    Stage,
    When,
    meeting_stage,
    meetings_filtered,
    meetings_when,
    meetings_with_details,
    own_contact,
    rooms_free,
)
from huiwu.meetings.timeline import SLOT, Segment, timeline_of
from huiwu.service.selectors import meeting_progress
from huiwu.venues.access import require_room_reader
from huiwu.venues.api import RoomOut, RoomRefOut
from huiwu.venues.models import Layout, Room

router = Router(tags=["meetings"])


# --- output -------------------------------------------------------------------------------------------


class ContactRefOut(Schema):
    id: int
    name: str


class MeetingArrangementOut(Schema):
    """What a booking asks for (DESIGN §3 item 2): part of the meeting, and of its service record."""

    headcount: int
    nature: Nature
    nature_label: str
    tone: Tone
    tone_label: str
    layout: Layout | None
    layout_label: str
    table_count: int | None
    chair_count: int | None
    restroom_arrangement: str
    smoking_arrangement: str
    notes: str
    confidentiality: int = Field(description="0: ordinary; from 1 on, confidential")
    confidentiality_label: str

    @staticmethod
    def resolve_nature_label(meeting: Meeting) -> str:
        return str(meeting.get_nature_display())

    @staticmethod
    def resolve_tone_label(meeting: Meeting) -> str:
        return str(meeting.get_tone_display())

    @staticmethod
    def resolve_confidentiality_label(meeting: Meeting) -> str:
        return str(meeting.get_confidentiality_display())

    @staticmethod
    def resolve_layout(meeting: Meeting) -> str | None:
        return meeting.layout or None

    @staticmethod
    def resolve_layout_label(meeting: Meeting) -> str:
        return str(meeting.get_layout_display()) if meeting.layout else ""


class MeetingOut(MeetingArrangementOut):
    id: int
    title: str
    status: MeetingStatus
    status_label: str
    status_reason: str
    stage: Stage = Field(
        description="Where the meeting stands, as its client reads it: its status, and once confirmed whether it "
        "is under way (running) or over (ended), as the attendants recorded it or else by the clock"
    )
    stage_label: str = Field(description="The stage in words, e.g. 已提交申请，等待确认, 进行中")
    organizer: OrganizationRefOut
    contact: ContactRefOut | None
    room: RoomRefOut
    start: DateTime
    end: DateTime
    setup_minutes: int
    teardown_minutes: int
    blocked_from: DateTime = Field(description="Start minus setup: from when the room is held")
    blocked_until: DateTime = Field(description="End plus teardown: until when the room is held")
    capacity_override_reason: str
    series_id: int | None
    created_by: UserRefOut
    created_at: DateTime
    updated_at: DateTime

    @staticmethod
    def resolve_status_label(meeting: Meeting) -> str:
        return str(meeting.get_status_display())

    @staticmethod
    def resolve_stage(meeting: Meeting) -> str:
        return meeting_stage(meeting, timezone.now()).value

    @staticmethod
    def resolve_stage_label(meeting: Meeting) -> str:
        return str(meeting_stage(meeting, timezone.now()).label)


class AttendeeOut(Schema):
    id: int
    name: str
    title: str
    organization: str | None
    precedence: int

    @staticmethod
    def resolve_organization(person) -> str | None:
        return person.organization.name if person.organization else None


class ServiceItemOut(Schema):
    item: ServiceItem
    label: str
    quantity: int
    note: str

    @staticmethod
    def resolve_label(line) -> str:
        return str(line.get_item_display())


class ChangeOut(Schema):
    action: MeetingChange.Action
    action_label: str
    changed_by: UserRefOut
    changed_at: DateTime
    changes: dict[str, list[str]] = Field(description="field → [before, after], as people read them")
    reason: str

    @staticmethod
    def resolve_action_label(change: MeetingChange) -> str:
        return change.get_action_display()

    @staticmethod
    def resolve_changes(change: MeetingChange, context) -> dict:
        # The history names the attendees; who may not see leaders and guests does not read them there either.
        if can_see_people(context["request"].user):
            return change.changes
        return {name: values for name, values in change.changes.items() if name != "attendees"}


class MeetingDetailOut(MeetingOut):
    attendees: list[AttendeeOut] | None = Field(
        description="Leaders and guests in order of precedence: all of them for staff, those of their own "
        "organization for a client contact; null for users who may see none"
    )
    service_items: list[ServiceItemOut]
    history: list[ChangeOut] = Field(description="Oldest first")

    @staticmethod
    def resolve_attendees(meeting: Meeting, context) -> list | None:
        return attendees_visible_to(context["request"].user, meeting)

    @staticmethod
    def resolve_service_items(meeting: Meeting) -> list:
        return list(meeting.service_items.all())

    @staticmethod
    def resolve_history(meeting: Meeting) -> list[MeetingChange]:
        return list(meeting.changes.select_related("changed_by"))


class BusyOut(Schema):
    """A confidential meeting the caller may not see: its room and time, nothing else."""

    label: str
    room: RoomRefOut
    start: DateTime
    end: DateTime
    blocked_from: DateTime
    blocked_until: DateTime

    @staticmethod
    def resolve_label(meeting: Meeting) -> str:
        return str(CONFIDENTIAL_LABEL)


class MeetingPageOut(Page[MeetingOut]):
    busy: list[BusyOut] = Field(
        description="Confidential meetings in the same window the caller may not see (at most `limit`); "
        "never when searching by title (q) or organizer"
    )


class ConflictItemOut(Schema):
    id: int | None = Field(description="null when the meeting is not one the user may see")
    title: str | None = Field(description="null when the meeting is not one the user may see")
    room: str = Field(description="Room code")
    start: DateTime
    end: DateTime
    blocked_from: DateTime
    blocked_until: DateTime


class ConflictOut(Schema):
    code: str = Field(description='"conflict"')
    message: str
    conflicts: list[ConflictItemOut]


# Of a meeting fetched by its id (404); with a JSON body (400); a booking can conflict (409).
_ONE_ERRORS = errors_answered(404, 422)
_CHANGE_ERRORS = errors_answered(400, 404, 422)
_BOOKING_ERRORS = {**_CHANGE_ERRORS, 409: ConflictOut}


# --- input --------------------------------------------------------------------------------------------


class ServiceItemIn(InputSchema):
    item: ServiceItem
    quantity: SmallCount = Field(1, ge=1)
    note: str = Field("", max_length=100)


class MeetingDetailsIn(InputSchema):
    """The optional part of a booking; omitted fields take the defaults (the room's buffers, …)."""

    setup_minutes: SmallCount | None = Field(None, description="null: the room's default")
    teardown_minutes: SmallCount | None = Field(None, description="null: the room's default")
    contact_id: Id | None = Field(
        None, description="Omitted in a client's booking: their own contact record (the directory's, if any)"
    )
    nature: Nature = Nature.WORK_ASSIGNMENT
    tone: Tone = Tone.SOLEMN
    layout: Layout | None = None
    table_count: SmallCount | None = None
    chair_count: SmallCount | None = None
    restroom_arrangement: str = Field("", max_length=200)
    smoking_arrangement: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)
    confidentiality: int = Field(
        0, ge=0, le=32767, description="0: ordinary; 1 and up: confidential (levels as configured)"
    )
    attendee_ids: list[Id] = Field(
        [],
        max_length=500,
        description="Leaders and guests: staff name any, a client contact those of their own organization (a "
        "client's change keeps the others as they are)",
    )
    service_items: list[ServiceItemIn] = Field([], max_length=len(ServiceItem))
    capacity_override_reason: str = Field("", max_length=200)


class MeetingIn(MeetingDetailsIn):
    title: str = Field(max_length=120)
    organizer_id: Id
    room: str = Field(max_length=40, description="Room code")
    start: DateTime
    end: DateTime
    headcount: Count


class MeetingPatchIn(MeetingDetailsIn):
    """Only the fields sent change. A field that cannot be empty (title, …) cannot be sent as null either."""

    model_config = ConfigDict(json_schema_extra=without_defaults)

    title: str = Field(None, max_length=120)
    organizer_id: Id = None
    room: str = Field(None, max_length=40, description="Room code")
    start: DateTime = None
    end: DateTime = None
    headcount: Count = None
    reason: str = Field("", max_length=200, description="Kept in the meeting's history")


class RescheduleIn(InputSchema):
    start: DateTime
    end: DateTime
    room: str | None = Field(None, max_length=40, description="Room code; omitted: the same room")
    reason: str = Field("", max_length=200)


class ReasonIn(InputSchema):
    reason: str = Field(max_length=200, description="Required; kept in the meeting's history")


class MeetingFiltersIn(InputSchema):
    """The filters of the meeting list, its page and its export alike."""

    date_from: Date | None = Field(None, description="Meetings starting on or after this day")
    date_to: Date | None = Field(None, description="Meetings starting on or before this day")
    room: str | None = Field(None, max_length=40, description="Room code")
    status: MeetingStatus | None = None
    organizer: Id | None = Field(None, description="Organization id")
    q: str = Field("", max_length=100, description="Part of the title")


class MeetingListIn(PageIn, MeetingFiltersIn):
    when: When | None = Field(
        None,
        description="upcoming: not over yet (before its end, or started and not recorded as ended), soonest "
        "first; past: over, latest first. Omitted: every meeting, by start",
    )


class AvailabilityIn(InputSchema):
    start: DateTime = Field(description="ISO 8601; percent-encode the + of an offset (%2B08:00)")
    end: DateTime = Field(description="ISO 8601; percent-encode the + of an offset (%2B08:00)")
    headcount: Count


# --- helpers ------------------------------------------------------------------------------------------

# The services name the objects; the API's fields name their ids.
_REQUEST_FIELDS = {"organizer": "organizer_id", "contact": "contact_id", "attendees": "attendee_ids"}


def _conflict(user: User, conflict: services.BookingConflict) -> dict:
    visible = visible_meeting_ids(user, conflict.conflicts)
    return {
        "code": "conflict",
        "message": conflict.message_for(user),
        "conflicts": [
            {
                "id": meeting.pk if meeting.pk in visible else None,
                "title": meeting.title if meeting.pk in visible else None,
                "room": meeting.room.code,
                "start": meeting.start,
                "end": meeting.end,
                "blocked_from": meeting.blocked_from,
                "blocked_until": meeting.blocked_until,
            }
            for meeting in conflict.conflicts
        ],
    }


def _answers_booking_errors(view: Callable) -> Callable:
    """A conflict answers 409 with the meetings in the way; a broken rule answers 422 with field messages."""

    @wraps(view)
    @answers_validation_errors(fields=_REQUEST_FIELDS)
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except services.BookingConflict as conflict:
            return Reply(409, _conflict(request.user, conflict))

    return wrapper


def _room_or_none(code: str) -> Room | None:
    # Out-of-service rooms too: the service refuses them with its own message.
    return Room.objects.select_related("floor__site").filter(code=code).first()


def _room(code: str) -> Room:
    room = _room_or_none(code)
    if room is None:
        raise ValidationError({"room": _("There is no room with this code.")})
    return room


def _draft_fields(user: User, fields: dict[str, Any]) -> dict[str, Any]:
    """MeetingDraft keyword arguments from request fields: ids and codes become the objects `user` may see."""
    values = dict(fields)
    errors: dict[str, str] = {}
    if "organizer_id" in values:
        values["organizer"] = organizations_visible_to(user).filter(pk=values.pop("organizer_id")).first()
        if values["organizer"] is None:
            errors["organizer_id"] = _("There is no organization with this id.")
    if "contact_id" in values:
        contact_id = values.pop("contact_id")
        values["contact"] = None
        if contact_id is not None:
            visible = Contact.objects.filter(organization__in=organizations_visible_to(user))
            values["contact"] = visible.select_related("organization").filter(pk=contact_id).first()
            if values["contact"] is None:
                errors["contact_id"] = _("There is no contact with this id.")
    if "room" in values:
        values["room"] = _room_or_none(values["room"])
        if values["room"] is None:
            errors["room"] = _("There is no room with this code.")
    ids = list(dict.fromkeys(values.pop("attendee_ids", None) or []))
    # Who may name no leader or guest names none, and an empty list from them keeps the staff's choice.
    if ids or ("attendee_ids" in fields and can_name_attendees(user)):
        people = attendee_choices(user).in_bulk(ids)
        if unknown := [str(pk) for pk in ids if pk not in people]:
            errors["attendee_ids"] = _("There are no leaders or guests with these ids: %(ids)s.") % {
                "ids": ", ".join(unknown)
            }
        values["attendees"] = [people[pk] for pk in ids if pk in people]
    if "service_items" in values:
        values["service_items"] = {line["item"]: (line["quantity"], line["note"]) for line in values["service_items"]}
    if "layout" in values:
        values["layout"] = values["layout"] or ""
    if errors:
        raise ValidationError(errors)
    return values


def _filters(filters: MeetingFiltersIn) -> MeetingFilters:
    return MeetingFilters(
        date_from=filters.date_from,
        date_to=filters.date_to,
        room=_room(filters.room) if filters.room else None,
        status=filters.status or "",
        organizer_id=filters.organizer,
        q=filters.q.strip(),
    )


def _meeting_with_details(user: User, meeting_id: int) -> Meeting:
    try:
        return meetings_with_details(meetings_visible_to(user)).get(pk=meeting_id)
    except Meeting.DoesNotExist:
        raise Http404 from None


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/availability",
    response={200: list[RoomOut], **errors_answered(422)},
    summary="Rooms in service that hold the headcount and are free for the window, their own buffers included",
)
@_answers_booking_errors
def availability(request: HttpRequest, window: Query[AvailabilityIn]):
    require_room_reader(request.user)
    errors = {}
    if window.end <= window.start:
        errors["end"] = _("The end must be later than the start.")
    elif window.end - window.start > MAX_DURATION:
        errors["end"] = _("A meeting lasts at most 24 hours; book a multi-day event one day at a time.")
    if window.headcount < 1:
        errors["headcount"] = _("At least one person must attend.")
    if errors:
        raise ValidationError(errors)
    rooms = rooms_free(start=window.start, end=window.end, headcount=window.headcount)
    prefetch_related_objects(rooms, "equipment")
    return rooms


@router.get(
    "/meetings",
    response={200: MeetingPageOut, **errors_answered(422)},
    summary="Meetings the user may see, by start time, filtered and a page at a time",
)
@_answers_booking_errors
def meetings(request: HttpRequest, filters: Query[MeetingListIn]):
    filter_values = _filters(filters)
    found = meetings_filtered(meetings_visible_to(request.user), filter_values)
    busy_found = meetings_filtered(meetings_busy_for(request.user), filter_values).order_by("start")
    if filters.when:
        now = timezone.now()
        found = meetings_when(found, filters.when, now)
        busy_found = meetings_when(busy_found, filters.when, now)
    page = meetings_with_details(found)[filters.offset : filters.offset + filters.limit]
    busy = []
    if not (filter_values.q or filter_values.organizer_id):
        busy = busy_found[: filters.limit]
    return {
        "count": found.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": list(page),
        "busy": list(busy),
    }


@router.post(
    "/meetings",
    response={201: MeetingDetailOut, **errors_answered(400, 422), 409: ConflictOut},
    summary="Book a meeting: confirmed at once for booking staff; for clients a request awaiting confirmation, "
    "and they are notified when it is confirmed or rejected",
)
@_answers_booking_errors
def meeting_create(request: HttpRequest, payload: MeetingIn):
    require_booker(request.user)
    values = _draft_fields(request.user, payload.model_dump())
    own = own_contact(request.user)
    if "contact_id" not in payload.model_fields_set and own and own.organization_id == values["organizer"].pk:
        values["contact"] = own
    meeting = services.meeting_create(user=request.user, draft=services.MeetingDraft(**values))
    return Reply(201, _meeting_with_details(request.user, meeting.pk))


@router.get(
    "/meetings/export.xlsx",
    response=errors_answered(422),
    openapi_extra=xlsx_answered("The meetings as an Excel workbook, in the caller's language"),
    summary="The meeting list as an Excel workbook, filtered as the list is; confidential ones the caller may "
    "not see are busy rows, and each one exported that the caller may see is audited",
)
@_answers_booking_errors
def meetings_export_xlsx(request: HttpRequest, filters: Query[MeetingFiltersIn]):
    require_meeting_reader(request.user)
    return meetings_export(request.user, _filters(filters))


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **_ONE_ERRORS},
    summary="One meeting with its attendees, service items and history",
)
def meeting_detail(request: HttpRequest, meeting_id: int):
    return _meeting_with_details(request.user, meeting_id)


class ProgressStepOut(Schema):
    key: str = Field(
        description="requested, confirmed, rejected, cancelled, assigned, check_1, check_2, check_3, started, "
        "refill_<number>, ended"
    )
    label: str = Field(description="The step in words, e.g. 一级检查已确认, 第 1 次续水")
    at: DateTime | None = Field(
        description="Done: when it was done. To come: when it is planned; null when nothing sets a time yet"
    )
    done: bool
    detail: str = Field(
        description="e.g. who confirmed (by role), who serves (names), how long before the start a check is due, "
        "the reason of a rejection or cancellation"
    )


class ProgressOut(Schema):
    meeting_id: int
    stage: Stage
    stage_label: str
    steps: list[ProgressStepOut] = Field(description="What was done, in time order; then what is to come")


@router.get(
    "/meetings/{meeting_id}/progress",
    response={200: ProgressOut, **_ONE_ERRORS},
    summary="A meeting's service progress as its client follows it (服务进度): request confirmed, service staff "
    "assigned, checks confirmed (never their answers or notes), started, refills, ended; then what is to come",
)
def meeting_progress_read(request: HttpRequest, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    stage = meeting_stage(meeting, timezone.now())
    return {
        "meeting_id": meeting.pk,
        "stage": stage,
        "stage_label": str(stage.label),
        "steps": meeting_progress(meeting),
    }


@router.patch(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **_BOOKING_ERRORS},
    summary="Change the fields sent; a client's change of time or room sends the meeting back for confirmation",
)
@_answers_booking_errors
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingPatchIn):
    meeting = get_meeting_to_change(request.user, meeting_id)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    draft = replace(services.MeetingDraft.from_meeting(meeting), **_draft_fields(request.user, changes))
    services.meeting_update(user=request.user, meeting=meeting, draft=draft, reason=reason)
    return _meeting_with_details(request.user, meeting.pk)


@router.post(
    "/meetings/{meeting_id}/reschedule",
    response={200: MeetingDetailOut, **_BOOKING_ERRORS},
    summary="Move a meeting to another time, and optionally another room",
)
@_answers_booking_errors
def meeting_reschedule(request: HttpRequest, meeting_id: int, payload: RescheduleIn):
    meeting = get_meeting_to_change(request.user, meeting_id)
    room = _room(payload.room) if payload.room else None
    services.meeting_reschedule(
        user=request.user, meeting=meeting, start=payload.start, end=payload.end, room=room, reason=payload.reason
    )
    return _meeting_with_details(request.user, meeting.pk)


@router.post(
    "/meetings/{meeting_id}/cancel",
    response={200: MeetingDetailOut, **_CHANGE_ERRORS},
    summary="Cancel a meeting with a reason; its room is free again",
)
@_answers_booking_errors
def meeting_cancel(request: HttpRequest, meeting_id: int, payload: ReasonIn):
    meeting = get_meeting_for_user(request.user, meeting_id)
    services.meeting_cancel(user=request.user, meeting=meeting, reason=payload.reason)
    return _meeting_with_details(request.user, meeting.pk)


@router.post(
    "/meetings/{meeting_id}/confirm",
    response={200: MeetingDetailOut, **_ONE_ERRORS},
    summary="Confirm a requested meeting (booking staff)",
)
@_answers_booking_errors
def meeting_confirm(request: HttpRequest, meeting_id: int):
    meeting = get_meeting_for_user(request.user, meeting_id)
    services.meeting_confirm(user=request.user, meeting=meeting)
    return _meeting_with_details(request.user, meeting.pk)


@router.post(
    "/meetings/{meeting_id}/reject",
    response={200: MeetingDetailOut, **_CHANGE_ERRORS},
    summary="Reject a requested meeting with a reason (booking staff); its room is free again",
)
@_answers_booking_errors
def meeting_reject(request: HttpRequest, meeting_id: int, payload: ReasonIn):
    meeting = get_meeting_for_user(request.user, meeting_id)
    services.meeting_reject(user=request.user, meeting=meeting, reason=payload.reason)
    return _meeting_with_details(request.user, meeting.pk)


# --- calendar feeds -----------------------------------------------------------------------------------


class RoomFeedOut(Schema):
    room: RoomRefOut
    url: str = Field(description="ICS: the room's meetings the caller may see, and busy blocks for the others")


class CalendarFeedsOut(Schema):
    my_meetings: str = Field(
        description="ICS: the meetings the caller booked or serves; for a client contact, their organization's"
    )
    rooms: list[RoomFeedOut] = Field(description="Each room in service, for staff who see meetings; else empty")

    @staticmethod
    def resolve_my_meetings(links: FeedLinks) -> str:
        return links.mine


@router.get(
    "/calendar-feeds",
    response={200: CalendarFeedsOut, **errors_answered()},
    summary="The caller's secret calendar links (ICS) to subscribe to, as on the calendar feeds page",
)
def calendar_feeds(request: HttpRequest):
    return calendar_feed_links(request, request.user)


@router.post(
    "/calendar-feeds/reset",
    response={200: CalendarFeedsOut, **errors_answered()},
    summary="New calendar links for the caller: every link handed out before stops working",
)
def calendar_feeds_reset(request: HttpRequest):
    services.calendar_feed_reset(user=request.user)
    return calendar_feed_links(request, request.user)


# --- the day timeline ---------------------------------------------------------------------------------


class TimelineSegmentOut(Schema):
    kind: Literal["free", "meeting", "buffer"] = Field(description="buffer: a meeting's setup or teardown")
    start: DateTime
    end: DateTime
    meeting_id: int | None = Field(
        description="The meeting, or the one whose setup or teardown it is; null when free or when the caller "
        "may not see the meeting"
    )
    title: str | None = Field(
        description="null when free; for a meeting the caller may not see, 已占用 (taken) or 保密会议 (confidential)"
    )
    early: bool = Field(description="A meeting starting before its site's usual day (早场)")
    late: bool = Field(description="A meeting ending after its site's usual day (晚场)")
    off_hours: bool = Field(description="A free half-hour outside the site's usual day")

    @staticmethod
    def resolve_meeting_id(segment: Segment) -> int | None:
        return segment.meeting.pk if segment.meeting and segment.visible else None

    @staticmethod
    def resolve_title(segment: Segment) -> str | None:
        if segment.meeting is None:
            return None
        if segment.visible:
            return segment.meeting.title
        return str(CONFIDENTIAL_LABEL) if segment.meeting.is_confidential else _("Taken")


class TimelineRoomOut(Schema):
    room: RoomRefOut
    segments: list[TimelineSegmentOut]


class TimelineOut(Schema):
    date: Date
    starts: DateTime = Field(description="The first half-hour shown: the usual day, or earlier for a meeting")
    ends: DateTime = Field(description="The end of the last half-hour shown: the usual day, or later")
    usual_starts: DateTime = Field(description="The usual day of the rooms' sites (venues: day_starts)")
    usual_ends: DateTime = Field(description="The usual day of the rooms' sites (venues: day_ends)")
    slot_minutes: int = Field(description="The length of a column (a segment spans one or more)")
    rooms: list[TimelineRoomOut]


class TimelineIn(InputSchema):
    date: Date | None = Field(None, description="The day (YYYY-MM-DD); today when omitted")


@router.get(
    "/timeline",
    response={200: TimelineOut, **errors_answered(422)},
    summary="A day's room timeline as its page shows it: rooms × half-hours, widened to early and late meetings",
)
def timeline(request: HttpRequest, query: Query[TimelineIn]):
    day = query.date or timezone.localdate()
    hours, rows = timeline_of(request.user, day)
    return {
        "date": day,
        "starts": hours.starts,
        "ends": hours.ends,
        "usual_starts": hours.usual_starts,
        "usual_ends": hours.usual_ends,
        "slot_minutes": int(SLOT.total_seconds() // 60),
        "rooms": [{"room": row.room, "segments": row.segments} for row in rows],
    }
