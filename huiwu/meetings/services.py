"""Booking writes: create, change, reschedule, confirm, reject and cancel meetings, and recurring series.

Two active meetings never hold one room at the same time, buffers included. The check below gives people
a friendly message; the guarantee is the database's: on PostgreSQL an exclusion constraint (migration
0002), on SQLite the IMMEDIATE transaction every write runs in, which lets one writer in at a time, so the
check and the insert cannot interleave with another booking's. On PostgreSQL the writers of one room also
wait for each other before the check (an advisory lock on the room): concurrent inserts that each wait on the
other's row while checking the constraint would otherwise deadlock (SQLSTATE 40P01, a 500) instead of one
winning and the others getting the conflict.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.directory.access import can_see_people
from huiwu.directory.models import Contact, Organization, Person
from huiwu.lib.dates import format_slot
from huiwu.lib.db import serialize_writers
from huiwu.lib.i18n import site_language
from huiwu.meetings.access import (
    audit_meeting,
    can_approve,
    require_approver,
    require_booker,
    require_change,
    visible_meeting_ids,
)
from huiwu.meetings.deadlines import meeting_deadlines_sync
from huiwu.meetings.describe import meeting_describe
from huiwu.meetings.models import (
    MAX_BUFFER,
    MAX_DURATION,
    CalendarFeed,
    Meeting,
    MeetingAttendee,
    MeetingChange,
    MeetingSeries,
    MeetingServiceItem,
    Nature,
    ServiceItem,
    Status,
    Tone,
    new_feed_token,
)
from huiwu.notify.models import Kind
from huiwu.notify.services import notify_role, notify_users
from huiwu.security.levels import highest_level
from huiwu.security.models import AuditEntry
from huiwu.service.models import MeetingService
from huiwu.service.services import checks_reopen
from huiwu.venues.models import Room

# SQLSTATE of exclusion_violation: a concurrent booking took the slot between our check and our write.
_EXCLUSION_VIOLATION = "23P01"
MAX_OCCURRENCES = 120


@dataclass
class MeetingDraft:
    """What a booking says, before it is a Meeting. Forms and the API both build one."""

    title: str
    organizer: Organization
    room: Room
    start: datetime
    end: datetime
    headcount: int
    setup_minutes: int | None = None  # None: the room's default
    teardown_minutes: int | None = None
    contact: Contact | None = None
    nature: str = Nature.WORK_ASSIGNMENT
    tone: str = Tone.SOLEMN
    layout: str = ""
    table_count: int | None = None
    chair_count: int | None = None
    restroom_arrangement: str = ""
    smoking_arrangement: str = ""
    notes: str = ""
    confidentiality: int = 0
    attendees: list[Person] = field(default_factory=list)
    # item code → (quantity, note), e.g. {"tea": (20, "龙井")}
    service_items: dict[str, tuple[int, str]] = field(default_factory=dict)
    capacity_override_reason: str = ""

    @classmethod
    def from_meeting(cls, meeting: Meeting) -> "MeetingDraft":
        return cls(
            title=meeting.title,
            organizer=meeting.organizer,
            room=meeting.room,
            start=meeting.start,
            end=meeting.end,
            headcount=meeting.headcount,
            setup_minutes=meeting.setup_minutes,
            teardown_minutes=meeting.teardown_minutes,
            contact=meeting.contact,
            nature=meeting.nature,
            tone=meeting.tone,
            layout=meeting.layout,
            table_count=meeting.table_count,
            chair_count=meeting.chair_count,
            restroom_arrangement=meeting.restroom_arrangement,
            smoking_arrangement=meeting.smoking_arrangement,
            notes=meeting.notes,
            confidentiality=meeting.confidentiality,
            attendees=[link.person for link in meeting.attendee_links.select_related("person")],
            service_items={item.item: (item.quantity, item.note) for item in meeting.service_items.all()},
            capacity_override_reason=meeting.capacity_override_reason,
        )

    @property
    def setup(self) -> timedelta:
        minutes = self.room.default_setup_minutes if self.setup_minutes is None else self.setup_minutes
        return timedelta(minutes=minutes)

    @property
    def teardown(self) -> timedelta:
        minutes = self.room.default_teardown_minutes if self.teardown_minutes is None else self.teardown_minutes
        return timedelta(minutes=minutes)

    @property
    def blocked_from(self) -> datetime:
        return self.start - self.setup

    @property
    def blocked_until(self) -> datetime:
        return self.end + self.teardown

    def moved_to(self, start: datetime, end: datetime, room: Room | None = None) -> "MeetingDraft":
        return replace(self, start=start, end=end, room=room or self.room)


class BookingConflict(Exception):
    """The room is already held (buffers included) by these active meetings."""

    def __init__(self, conflicts: list[Meeting]):
        self.conflicts = conflicts
        super().__init__(", ".join(f"#{meeting.pk}" for meeting in conflicts))

    def message_for(self, user: User) -> str:
        # Another organization's meeting is named only as "another booking".
        visible = visible_meeting_ids(user, self.conflicts)
        slots = []
        for meeting in self.conflicts:
            values = {"room": meeting.room.name, "slot": format_slot(meeting.blocked_from, meeting.blocked_until)}
            if meeting.pk in visible:
                text = _("%(room)s is taken %(slot)s by “%(title)s” (setup and teardown included)")
                values["title"] = meeting.title
            else:
                text = _("%(room)s is taken %(slot)s by another booking (setup and teardown included)")
            slots.append(text % values)
        return _("The room is not free: %(slots)s.") % {"slots": _("; ").join(slots)}


@dataclass
class Occurrence:
    start: datetime
    end: datetime
    conflicts: list[Meeting]


class SeriesConflict(Exception):
    """Some occurrences of a recurring booking collide with other meetings; nothing was saved."""

    def __init__(self, occurrences: list[Occurrence]):
        self.occurrences = occurrences
        super().__init__(
            _("%(count)d of the %(total)d occurrences collide with other meetings.")
            % {"count": sum(1 for o in occurrences if o.conflicts), "total": len(occurrences)}
        )


# --- checks -------------------------------------------------------------------------------------------


def meeting_conflicts(
    *, room: Room, blocked_from: datetime, blocked_until: datetime, exclude_ids: Iterable[int] = ()
) -> list[Meeting]:
    return list(
        Meeting.objects.blocking(room.pk, blocked_from, blocked_until)
        .exclude(pk__in=list(exclude_ids))
        .select_related("room")  # pragma: no mutate (saves a query per conflict named)
        .order_by("blocked_from")
    )


def meeting_check(*, user: User, draft: MeetingDraft, meeting: Meeting | None = None) -> None:
    """Field errors in the user's language; raises ValidationError({field: message}) and saves nothing."""
    errors: dict[str, str] = {}
    if not draft.title.strip():
        errors["title"] = _("Give the meeting a title.")
    if draft.end <= draft.start:
        errors["end"] = _("The end must be later than the start.")
    elif draft.end - draft.start > MAX_DURATION:
        errors["end"] = _("A meeting lasts at most 24 hours; book a multi-day event one day at a time.")
    for name, value in (("setup_minutes", draft.setup), ("teardown_minutes", draft.teardown)):
        if not timedelta(0) <= value <= MAX_BUFFER:
            errors[name] = _("Between 0 and 240 minutes.")
    if draft.headcount < 1:
        errors["headcount"] = _("At least one person must attend.")
    if not 0 <= draft.confidentiality <= highest_level():
        errors["confidentiality"] = _("Choose one of the confidentiality levels.")
    if not (draft.room.is_active and draft.room.floor.site.is_active):
        errors["room"] = _("This room is out of service.")
    elif draft.layout and draft.room.layouts and draft.layout not in draft.room.layouts:
        errors["layout"] = _("%(room)s cannot be set up this way; it supports: %(layouts)s.") % {
            "room": draft.room.name,
            "layouts": _(", ").join(draft.room.get_layouts_display()),
        }
    when_changed = meeting is None or (meeting.start, meeting.end) != (draft.start, draft.end)
    if when_changed and draft.start < timezone.now() and not user.has_perm("meetings.book_in_past"):
        errors["start"] = _("This time has already passed; choose a time in the future.")
    if draft.headcount > draft.room.capacity:
        if not user.has_perm("meetings.override_capacity"):
            errors["headcount"] = _("%(headcount)d people do not fit in %(room)s, which holds %(capacity)d.") % {
                "headcount": draft.headcount,
                "room": draft.room.name,
                "capacity": draft.room.capacity,
            }
        elif not draft.capacity_override_reason.strip():
            errors["capacity_override_reason"] = _(
                "%(headcount)d people exceed the capacity of %(capacity)d: give the reason to book anyway."
            ) % {"headcount": draft.headcount, "capacity": draft.room.capacity}
    if draft.contact and draft.contact.organization_id != draft.organizer.pk:
        errors["contact"] = _("This contact belongs to another organization.")
    if not can_see_people(user):
        # A client names the leaders of their own organization; those the staff named stay as they were.
        named_before = set(meeting.attendee_links.values_list("person_id", flat=True)) if meeting else set()
        if any(
            person.organization_id != user.organization_id and person.pk not in named_before
            for person in draft.attendees
        ):
            errors["attendees"] = _("You can only name leaders and guests of your own organization.")
    if not can_approve(user) and draft.organizer.pk != user.organization_id:
        errors["organizer"] = _("You can only book for your own organization.")
    if errors:
        raise ValidationError(errors)


# --- writes -------------------------------------------------------------------------------------------


def _write_booking(
    write: Callable[[], Meeting],
    *,
    draft: MeetingDraft,
    exclude_ids: Iterable[int] = (),
    left_room_id: int | None = None,
) -> Meeting:
    """`left_room_id`: the room a moved meeting leaves. Locking it too means that two meetings trading rooms wait
    for each other here, not in the constraint's check, where each would hold up the other."""
    exclude_ids = list(exclude_ids)
    try:
        with transaction.atomic():
            serialize_writers(Room, [draft.room.pk] if left_room_id is None else [draft.room.pk, left_room_id])
            conflicts = meeting_conflicts(
                room=draft.room,
                blocked_from=draft.blocked_from,
                blocked_until=draft.blocked_until,
                exclude_ids=exclude_ids,
            )
            if conflicts:
                raise BookingConflict(conflicts)
            return write()
    except IntegrityError as error:
        if getattr(error.__cause__, "sqlstate", None) != _EXCLUSION_VIOLATION:
            raise
        conflicts = meeting_conflicts(
            room=draft.room, blocked_from=draft.blocked_from, blocked_until=draft.blocked_until, exclude_ids=exclude_ids
        )
        raise BookingConflict(conflicts) from error


def _apply(meeting: Meeting, draft: MeetingDraft) -> None:
    for name in (
        "title",
        "organizer",
        "room",
        "start",
        "end",
        "headcount",
        "contact",
        "nature",
        "tone",
        "layout",
        "table_count",
        "chair_count",
        "restroom_arrangement",
        "smoking_arrangement",
        "notes",
        "confidentiality",
        "capacity_override_reason",
    ):
        setattr(meeting, name, getattr(draft, name))
    meeting.title = meeting.title.strip()
    meeting.setup_minutes = int(draft.setup.total_seconds() // 60)
    meeting.teardown_minutes = int(draft.teardown.total_seconds() // 60)
    meeting.blocked_from = draft.blocked_from
    meeting.blocked_until = draft.blocked_until
    if draft.headcount <= draft.room.capacity:
        meeting.capacity_override_reason = ""


def _save_details(meeting: Meeting, draft: MeetingDraft, *, replace: bool) -> None:
    # A new meeting has nothing to replace: skipping the DELETEs saves a fifth of a booking's time (bench/).
    if replace:
        meeting.attendee_links.all().delete()
        meeting.service_items.all().delete()
    MeetingAttendee.objects.bulk_create(
        MeetingAttendee(meeting=meeting, person=person) for person in dict.fromkeys(draft.attendees)
    )
    MeetingServiceItem.objects.bulk_create(
        MeetingServiceItem(meeting=meeting, item=item, quantity=quantity, note=note)
        for item, (quantity, note) in draft.service_items.items()
        if quantity > 0 and item in ServiceItem.values
    )


def _snapshot(meeting: Meeting) -> dict[str, str]:
    """The meeting as people read it, for the history (always in the site language, like a paper log)."""

    def when(value: datetime) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    with site_language():
        attendees = sorted(
            (link.person for link in meeting.attendee_links.select_related("person")),
            key=lambda p: (p.precedence, p.name_pinyin),
        )
        items = [
            f"{item.get_item_display()}×{item.quantity}" + (f" ({item.note})" if item.note else "")
            for item in meeting.service_items.all()
        ]
        return {
            "title": meeting.title,
            "organizer": str(meeting.organizer),
            "contact": str(meeting.contact) if meeting.contact else "",
            "room": str(meeting.room),
            "start": when(meeting.start),
            "end": when(meeting.end),
            "setup_minutes": str(meeting.setup_minutes),
            "teardown_minutes": str(meeting.teardown_minutes),
            "headcount": str(meeting.headcount),
            "nature": str(meeting.get_nature_display()),
            "tone": str(meeting.get_tone_display()),
            "layout": str(meeting.get_layout_display()),
            "table_count": "" if meeting.table_count is None else str(meeting.table_count),
            "chair_count": "" if meeting.chair_count is None else str(meeting.chair_count),
            "attendees": _(", ").join(person.name for person in attendees),
            "service_items": _(", ").join(items),
            "restroom_arrangement": meeting.restroom_arrangement,
            "smoking_arrangement": meeting.smoking_arrangement,
            "notes": meeting.notes,
            "confidentiality": str(meeting.get_confidentiality_display()),
            "status": str(meeting.get_status_display()),
        }


def _log(meeting: Meeting, user: User, action: str, changes: dict | None = None, reason: str = "") -> None:
    MeetingChange.objects.create(meeting=meeting, action=action, changed_by=user, changes=changes or {}, reason=reason)
    if meeting.is_confidential or "confidentiality" in (changes or {}):
        audit_meeting(user, meeting, AuditEntry.Action.CHANGE)


def _announce(meeting: Meeting, user: User, action: str, *, created: bool = False) -> None:
    """Every change moves the meeting's deadlines (a confirmation gives it its checks); the hotline hears of
    every booking and change, and of a client's request in the words the client read. `created`: the meeting
    was inserted by this transaction (see meeting_deadlines_sync)."""
    meeting_deadlines_sync(meeting, created=created)
    with site_language():
        title = _("%(action)s: %(meeting)s") % {
            "action": MeetingChange.Action(action).label,
            "meeting": meeting_describe(meeting),
        }
        body = _("By %(user)s.") % {"user": user}
    notify_role(
        role=Role.HOTLINE,
        kind=Kind.MEETING_BOOKED,
        title=title,
        body=body,
        url=reverse("meetings:detail", args=[meeting.pk]),
        exclude=user,
        meeting=meeting,
    )


def meeting_create(*, user: User, draft: MeetingDraft, series: MeetingSeries | None = None) -> Meeting:
    require_booker(user)
    meeting_check(user=user, draft=draft)
    meeting = Meeting(
        series=series, created_by=user, status=Status.CONFIRMED if can_approve(user) else Status.REQUESTED
    )
    _apply(meeting, draft)

    def write() -> Meeting:
        meeting.save()
        _save_details(meeting, draft, replace=False)
        # A client's booking enters the history, and the hotline's notice, as the request it is.
        requested = meeting.status == Status.REQUESTED
        action = MeetingChange.Action.REQUESTED if requested else MeetingChange.Action.CREATED
        _log(meeting, user, action)
        _announce(meeting, user, action, created=True)
        return meeting

    return _write_booking(write, draft=draft)


def meeting_update(
    *, user: User, meeting: Meeting, draft: MeetingDraft, reason: str = "", exclude_ids: Iterable[int] = ()
) -> Meeting:
    """Change a meeting; a client's change of time or room sends a confirmed meeting back for approval. A
    client changes only the attendees of their own organization: the others the staff named are kept."""
    require_change(user, meeting)
    _refuse_client_once_started(user, meeting)
    if not can_see_people(user):
        draft = replace(draft, attendees=_attendees_kept(user, meeting, draft))
    meeting_check(user=user, draft=draft, meeting=meeting)
    before = _snapshot(meeting)
    moved = (meeting.room_id, meeting.start, meeting.end) != (draft.room.pk, draft.start, draft.end)

    def write() -> Meeting:
        _apply(meeting, draft)
        if moved and meeting.status == Status.CONFIRMED and not can_approve(user):
            meeting.status = Status.REQUESTED
        meeting.save()
        _save_details(meeting, draft, replace=True)
        after = _snapshot(meeting)
        changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        if changes:
            _log(meeting, user, MeetingChange.Action.UPDATED, changes, reason)
            checks_reopen(user=user, meeting=meeting, changed=set(changes))
            _announce(meeting, user, MeetingChange.Action.UPDATED)
        return meeting

    return _write_booking(write, draft=draft, exclude_ids=[meeting.pk, *exclude_ids], left_room_id=meeting.room_id)


def _attendees_kept(user: User, meeting: Meeting, draft: MeetingDraft) -> list[Person]:
    """The client's choice among their own organization's people, and every other attendee as it was."""
    others = [
        link.person
        for link in meeting.attendee_links.select_related("person")
        if link.person.organization_id != user.organization_id
    ]
    return list(dict.fromkeys([*draft.attendees, *others]))


def meeting_reschedule(
    *, user: User, meeting: Meeting, start: datetime, end: datetime, room: Room | None = None, reason: str = ""
) -> Meeting:
    draft = MeetingDraft.from_meeting(meeting).moved_to(start, end, room)
    return meeting_update(user=user, meeting=meeting, draft=draft, reason=reason)


def _set_status(
    *, user: User, meeting: Meeting, status: str, action: str, reason: str, allowed_from: Iterable[str]
) -> Meeting:
    if meeting.status not in allowed_from:
        raise ValidationError(
            _("This meeting is %(status)s and cannot be changed that way.") % {"status": meeting.get_status_display()}
        )
    before = meeting.get_status_display()
    meeting.status = status
    meeting.status_reason = reason.strip()
    with transaction.atomic():
        meeting.save(update_fields=["status", "status_reason", "updated_at"])
        _log(meeting, user, action, {"status": [str(before), str(meeting.get_status_display())]}, reason.strip())
        _announce(meeting, user, action)
        if action in (MeetingChange.Action.CONFIRMED, MeetingChange.Action.REJECTED):
            _tell_requester(meeting, user)
    return meeting


def _requesters(meeting: Meeting) -> list[User]:
    """Who waits for the decision on a request: the organization's client contacts, the meeting's contact
    (when the directory links them to an account) and whoever requested it, if not booking staff."""
    clients = User.objects.filter(is_active=True, organization_id=meeting.organizer_id, groups__name=Role.CLIENT.value)
    contact = [meeting.contact.user] if meeting.contact and meeting.contact.user else []
    requester = [] if can_approve(meeting.created_by) else [meeting.created_by]
    return [*requester, *contact, *clients]


def _tell_requester(meeting: Meeting, user: User) -> None:
    with site_language():
        values = {"meeting": meeting_describe(meeting), "user": user}
        if meeting.status == Status.CONFIRMED:
            title = _("Your request was confirmed: %(meeting)s") % values
            body = _("By %(user)s.") % values
        else:
            title = _("Your request was rejected: %(meeting)s") % values
            body = " ".join([_("Reason: %(reason)s") % {"reason": meeting.status_reason}, _("By %(user)s.") % values])
    notify_users(
        recipients=[person for person in _requesters(meeting) if person.pk != user.pk],
        kind=Kind.REQUEST_DECIDED,
        title=title,
        body=body,
        url=reverse("meetings:detail", args=[meeting.pk]),
        meeting=meeting,
    )


def _refuse_client_once_started(user: User, meeting: Meeting) -> None:
    """A client changes or cancels a meeting only before it starts (by the clock or as recorded): after that
    the room and the team are at work, and the hotline takes the call."""
    if user.has_perm("meetings.change_meeting"):
        return
    started = meeting.start <= timezone.now() or MeetingService.objects.filter(meeting=meeting).exists()
    if started:
        raise ValidationError(
            _("The meeting has started and can no longer be changed or cancelled here; call the service hotline.")
        )


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason; it is kept in the meeting's history.")})


def meeting_cancel(*, user: User, meeting: Meeting, reason: str) -> Meeting:
    require_change(user, meeting)
    _refuse_client_once_started(user, meeting)
    _require_reason(reason)
    return _set_status(
        user=user,
        meeting=meeting,
        status=Status.CANCELLED,
        action=MeetingChange.Action.CANCELLED,
        reason=reason,
        allowed_from=[Status.REQUESTED, Status.CONFIRMED],
    )


def meeting_confirm(*, user: User, meeting: Meeting) -> Meeting:
    require_approver(user)
    # A requested meeting already holds its slot, so confirming it cannot create a conflict.
    return _set_status(
        user=user,
        meeting=meeting,
        status=Status.CONFIRMED,
        action=MeetingChange.Action.CONFIRMED,
        reason="",
        allowed_from=[Status.REQUESTED],
    )


def meeting_reject(*, user: User, meeting: Meeting, reason: str) -> Meeting:
    require_approver(user)
    _require_reason(reason)
    return _set_status(
        user=user,
        meeting=meeting,
        status=Status.REJECTED,
        action=MeetingChange.Action.REJECTED,
        reason=reason,
        allowed_from=[Status.REQUESTED],
    )


# --- recurring meetings (例会) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Recurrence:
    frequency: str  # MeetingSeries.Frequency
    interval: int = 1
    until: date | None = None
    count: int | None = None

    def check(self, first_day: date) -> None:
        errors = {}
        if self.frequency not in MeetingSeries.Frequency.values:
            errors["frequency"] = _("Choose daily, weekly or monthly.")
        if not 1 <= self.interval <= 12:
            errors["interval"] = _("Between 1 and 12.")
        if (self.until is None) == (self.count is None):
            errors["until"] = _("Give either an end date or a number of occurrences, not both.")
        elif self.count is not None and not 2 <= self.count <= MAX_OCCURRENCES:
            errors["count"] = _("Between 2 and %(max)d occurrences.") % {"max": MAX_OCCURRENCES}
        elif self.until is not None and self.until <= first_day:
            errors["until"] = _("The end date must be after the first meeting.")
        elif self.until is not None and self.until > first_day + timedelta(days=366):
            errors["until"] = _("A series can run for at most a year.")
        if errors:
            raise ValidationError(errors)

    def starts(self, first: datetime) -> list[datetime]:
        """The start of every occurrence, stepping in local time so that 09:00 stays 09:00."""
        local = timezone.localtime(first)
        frequency = {"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY}[self.frequency]
        until = datetime.combine(self.until, time.max) if self.until else None
        rule = rrule.rrule(
            frequency, dtstart=local.replace(tzinfo=None), interval=self.interval, until=until, count=self.count
        )
        return [timezone.make_aware(moment) for moment in rule[:MAX_OCCURRENCES]]


def _occurrence(draft: MeetingDraft, exclude_ids: Iterable[int] = ()) -> Occurrence:
    conflicts = meeting_conflicts(
        room=draft.room, blocked_from=draft.blocked_from, blocked_until=draft.blocked_until, exclude_ids=exclude_ids
    )
    return Occurrence(start=draft.start, end=draft.end, conflicts=conflicts)


def series_plan(*, draft: MeetingDraft, recurrence: Recurrence) -> list[Occurrence]:
    duration = draft.end - draft.start
    return [_occurrence(draft.moved_to(start, start + duration)) for start in recurrence.starts(draft.start)]


@transaction.atomic
def series_create(
    *, user: User, draft: MeetingDraft, recurrence: Recurrence, skip_conflicts: bool = False
) -> tuple[MeetingSeries, list[Meeting], list[Occurrence]]:
    """Book every occurrence, or none. With skip_conflicts, the colliding ones are left out (and returned)."""
    recurrence.check(timezone.localtime(draft.start).date())
    meeting_check(user=user, draft=draft)
    serialize_writers(Room, [draft.room.pk])  # before the plan, so that what it found free stays free
    plan = series_plan(draft=draft, recurrence=recurrence)
    skipped = [occurrence for occurrence in plan if occurrence.conflicts]
    if skipped and not skip_conflicts:
        raise SeriesConflict(plan)
    series = MeetingSeries.objects.create(
        frequency=recurrence.frequency, interval=recurrence.interval, until=recurrence.until, count=recurrence.count
    )
    created = [
        meeting_create(user=user, draft=draft.moved_to(occurrence.start, occurrence.end), series=series)
        for occurrence in plan
        if not occurrence.conflicts
    ]
    return series, created, skipped


def following_occurrences(meeting: Meeting) -> list[Meeting]:
    if meeting.series_id is None:
        return [meeting]
    return list(
        Meeting.objects.active()
        .filter(series_id=meeting.series_id, start__gte=meeting.start)
        .select_related("room", "organizer", "contact")
        .order_by("start")
    )


@transaction.atomic
def series_update_following(*, user: User, meeting: Meeting, draft: MeetingDraft, reason: str = "") -> list[Meeting]:
    """Apply the change to this occurrence and every later one: the same details, the same shift in time."""
    following = following_occurrences(meeting)
    shift = draft.start - meeting.start
    duration = draft.end - draft.start
    ids = [occurrence.pk for occurrence in following]
    # Every room involved at once, in one order: taken one occurrence at a time, two such series could each
    # hold a room the other waits for.
    serialize_writers(Room, [draft.room.pk, *(occurrence.room_id for occurrence in following)])
    drafts = [
        (occurrence, draft.moved_to(occurrence.start + shift, occurrence.start + shift + duration))
        for occurrence in following
    ]
    # The occurrences move together, so they are not in each other's way.
    plan = [_occurrence(moved, exclude_ids=ids) for _meeting, moved in drafts]
    if any(occurrence.conflicts for occurrence in plan):
        raise SeriesConflict(plan)
    return [
        meeting_update(user=user, meeting=occurrence, draft=moved, reason=reason, exclude_ids=ids)
        for occurrence, moved in drafts
    ]


def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """New secret links for the user's calendar feeds: every link handed out before stops working."""
    feed = CalendarFeed.objects.get_or_create(user=user)[0]
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed
