from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_time
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huiwu.delegations.access import tasks_visible_to
from huiwu.delegations.selectors import meeting_tasks_for
from huiwu.directory.access import can_see_people, organizations_visible_to
from huiwu.directory.models import Organization
from huiwu.lib.params import date_param, int_param
from huiwu.lib.rows import rows_html
from huiwu.lib.snapshots import Horizon, Snapshots
from huiwu.lib.urls import id_url
from huiwu.lib.versions import TableVersions
from huiwu.meetings.access import (
    attendees_visible_to,
    can_approve,
    can_book,
    can_change,
    get_meeting_for_user,
    get_meeting_to_change,
    meetings_visible_to,
    require_booker,
    require_meeting_reader,
    visible_meeting_ids,
)
from huiwu.meetings.exports import meetings_export
from huiwu.meetings.forms import (
    ChangeForm,
    FreeRoomsForm,
    MeetingFilterForm,
    MeetingForm,
    ReasonForm,
    RecurrenceForm,
)
from huiwu.meetings.models import Meeting, MeetingChange, Status
from huiwu.meetings.selectors import (
    Stage,
    When,
    meeting_stage,
    meetings_listed,
    meetings_when,
    meetings_with_details,
    own_contact,
    rooms_free,
)
from huiwu.meetings.services import (
    BookingConflict,
    MeetingDraft,
    SeriesConflict,
    following_occurrences,
    meeting_cancel,
    meeting_confirm,
    meeting_conflicts,
    meeting_create,
    meeting_reject,
    meeting_update,
    series_create,
    series_update_following,
)
from huiwu.meetings.timeline import DayRange, RoomRow, timeline_for, timeline_version, timeline_visible_ids
from huiwu.service.access import can_see_service
from huiwu.service.selectors import meeting_progress
from huiwu.surveys.selectors import meeting_survey_for
from huiwu.venues.access import rooms_for
from huiwu.venues.models import Floor, Room, Site


def _day_from(request: HttpRequest) -> date:
    return date_param(request.GET.get("date")) or timezone.localdate()


@dataclass(frozen=True, slots=True)
class _Timeline:
    """The timeline's columns and rooms, as the reader's screen shows them."""

    hours: DayRange
    rows_html: SafeString
    any_rooms: bool


# Booking staff open the timeline between calls all day: it is kept as a snapshot (lib/snapshots.py) for each
# day, language and reader's view (the rooms, the meetings they may open, whether they may book).
_TIMELINE_SNAPSHOTS = Snapshots(size=64)


def _timeline(user, day: date, bookable: bool) -> _Timeline:
    """The timeline from its snapshot while that holds. The snapshot is keyed by the rooms and the meetings the
    reader may see, and built from those alone, so that no reader is shown what only another may see."""
    require_meeting_reader(user)
    room_ids = tuple(rooms_for(user).values_list("pk", flat=True))
    visible_ids = timeline_visible_ids(user, day)
    key = (day, get_language(), timezone.get_current_timezone_name(), bookable, visible_ids, room_ids)
    version = timeline_version(day)  # read before the meetings, as lib/snapshots.py requires
    now = timezone.now()
    timeline = _TIMELINE_SNAPSHOTS.get(key, version, now)
    if timeline is None:
        horizon = Horizon(now)
        kept = set(room_ids)
        rooms = [room for room in rooms_for(user) if room.pk in kept]
        hours, rows = timeline_for(day, rooms=rooms, visible_ids=visible_ids)
        cells = _timeline_cells(rows, day, bookable, horizon)
        timeline = _Timeline(hours, rows_html("meetings/_timeline_room.html", cells), bool(rows))
        _TIMELINE_SNAPSHOTS.put(key, version, horizon, timeline)
    return timeline


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    day = _day_from(request)
    bookable = can_book(request.user)
    context = {
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "timeline": _timeline(request.user, day, bookable),
        "can_book": bookable,
    }
    return render(request, "meetings/timeline.html", context)


class _SegmentCell(NamedTuple):
    """One block of a room's row: free (bookable), past (free, no longer bookable), buffer, meeting (the
    viewer may open it) or hidden (taken by a meeting the viewer may not see)."""

    kind: str
    span: str = "1"  # half-hours
    off_hours: bool = False
    href: str = ""  # a meeting's page (a free half-hour's booking link is made in the template)
    title: str = ""
    slot: str = ""  # a free half-hour's "<room code>-<HH:MM>", which the browser tests click
    hm: str = ""
    times: str = ""
    status: str = ""
    early: bool = False
    late: bool = False
    confidential: bool = False


def _timeline_cells(rows: list[RoomRow], day: date, bookable: bool, horizon: Horizon) -> list[tuple]:
    """Each room's row of the timeline as cells for lib/rows.py: times formatted and words translated once
    here, so that a room whose day has not changed since the last view is not rendered again. A free
    half-hour is bookable until it starts: the horizon notes when."""
    now = horizon.now
    zone = timezone.get_current_timezone()
    meeting_url = id_url("meetings:detail")
    new_url = reverse("meetings:new")
    book = _("Book %(room)s at %(time)s")
    cells = []
    for row in rows:
        room = row.room
        segments = []
        for segment in row.segments:
            span = str(segment.slots)
            if segment.kind == "free":
                hm = segment.start.astimezone(zone).strftime("%H:%M")
                horizon.note(segment.start)
                if bookable and segment.start > now:
                    segments.append(
                        _SegmentCell(
                            "free",
                            off_hours=segment.off_hours,
                            title=book % {"room": room.name, "time": hm},
                            slot=f"{room.code}-{hm}",
                            hm=hm,
                        )
                    )
                else:
                    segments.append(_SegmentCell("past", off_hours=segment.off_hours))
            elif segment.kind == "buffer":
                segments.append(_SegmentCell("buffer", span))
            elif segment.visible:
                meeting = segment.meeting
                segments.append(
                    _SegmentCell(
                        "meeting",
                        span,
                        href=meeting_url(meeting.pk),
                        title=meeting.title,
                        times=f"{meeting.start.astimezone(zone):%H:%M}–{meeting.end.astimezone(zone):%H:%M}",
                        status=meeting.status,
                        early=segment.early,
                        late=segment.late,
                    )
                )
            else:
                segments.append(
                    _SegmentCell(
                        "hidden",
                        span,
                        early=segment.early,
                        late=segment.late,
                        confidential=segment.meeting.is_confidential,
                    )
                )
        cells.append(
            (
                ("room_url", reverse("venues:detail", args=[room.code])),
                ("book_url", f"{new_url}?room={room.code}"),
                ("date", f"{day:%Y-%m-%d}"),
                ("room_name", room.name),
                ("site_name", room.floor.site.name),
                ("capacity", str(room.capacity)),
                ("segments", tuple(segments)),
            )
        )
    return cells


def _initial_from_query(request: HttpRequest) -> dict:
    """A click on a free half-hour of the timeline opens the form with the room, day and hour filled in."""
    initial = {}
    room = Room.objects.active().filter(code=request.GET.get("room", "")).first()
    if room:
        initial.update(
            room=room, setup_minutes=room.default_setup_minutes, teardown_minutes=room.default_teardown_minutes
        )
    day = date_param(request.GET.get("date"))
    if day:
        initial["date"] = day
    start = parse_time(request.GET.get("start") or "")
    if start:
        initial["start_time"] = start
        end = parse_time(request.GET.get("end") or "")
        initial["end_time"] = end or (datetime.combine(date.min, start) + timedelta(hours=1)).time()
    headcount = int_param(request.GET.get("headcount"))
    if headcount is not None:
        initial["headcount"] = headcount
    return initial


def _submitted_message(meeting: Meeting) -> str:
    """A client's booking is a request: say that it waits for confirmation, not that the meeting is booked."""
    if meeting.status == Status.REQUESTED:
        return _("%(submitted)s. You will be notified when it is confirmed or rejected.") % {
            "submitted": MeetingChange.Action.REQUESTED.label
        }
    return _("The meeting was booked.")


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    require_booker(request.user)
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, user=request.user, initial=_initial_from_query(request))
    recurrence_form = RecurrenceForm(data)
    conflict_message = series_conflict = None
    series_visible: set[int] = set()
    if request.method == "POST" and form.is_valid() and recurrence_form.is_valid():
        draft = form.to_draft()
        recurrence = recurrence_form.recurrence()
        try:
            if recurrence is None:
                meeting = meeting_create(user=request.user, draft=draft)
                messages.success(request, _submitted_message(meeting))
                return redirect("meetings:detail", meeting.pk)
            _series, created, skipped = series_create(
                user=request.user,
                draft=draft,
                recurrence=recurrence,
                skip_conflicts=recurrence_form.cleaned_data["skip_conflicts"],
            )
            if created[0].status == Status.REQUESTED:
                message = _(
                    "%(created)d occurrences were requested and await confirmation; "
                    "%(skipped)d colliding ones were skipped."
                )
            else:
                message = _("%(created)d occurrences were booked; %(skipped)d colliding ones were skipped.")
            messages.success(request, message % {"created": len(created), "skipped": len(skipped)})
            return redirect("meetings:detail", created[0].pk)
        except ValidationError as error:
            form.add_service_errors(error)
            recurrence_form.add_service_errors(error)
        except BookingConflict as error:
            conflict_message = error.message_for(request.user)
        except SeriesConflict as error:
            series_conflict = error
            series_visible = visible_meeting_ids(request.user, [m for o in error.occurrences for m in o.conflicts])
    context = {
        "form": form,
        "recurrence_form": recurrence_form,
        "is_request": not can_approve(request.user),
        "conflict_message": conflict_message,
        "series_conflict": series_conflict,
        "series_visible": series_visible,
    }
    return render(request, "meetings/meeting_form.html", context)


@login_required
def contact_options(request: HttpRequest) -> HttpResponse:
    """The booking form's contact list for the organizer just chosen (htmx): that organization's contacts,
    the user's own contact record chosen when it is one of them."""
    require_booker(request.user)
    organizer = organizations_visible_to(request.user).filter(pk=int_param(request.GET.get("organizer"))).first()
    contacts = list(organizer.contacts.select_related("organization")) if organizer else []
    own = own_contact(request.user)
    context = {"contacts": contacts, "selected": own.pk if own and own in contacts else None}
    return render(request, "meetings/_contact_options.html", context)


@login_required
def booking_check(request: HttpRequest) -> HttpResponse:
    """Live conflict check of the booking form (htmx): free, or which meeting holds the room."""
    require_booker(request.user)
    form = MeetingForm(request.POST, user=request.user)
    form.is_valid()
    data = form.cleaned_data
    if (
        not all(data.get(name) for name in ("room", "date", "start_time", "end_time"))
        or data["end_time"] <= data["start_time"]
    ):
        return render(request, "meetings/_check.html", {})
    exclude = []
    meeting_id = int_param(request.POST.get("meeting_id"))
    if meeting_id is not None:
        exclude.append(get_meeting_for_user(request.user, meeting_id).pk)
    room = data["room"]
    draft = MeetingDraft(
        title="",
        organizer=None,
        room=room,
        headcount=1,
        start=timezone.make_aware(datetime.combine(data["date"], data["start_time"])),
        end=timezone.make_aware(datetime.combine(data["date"], data["end_time"])),
        setup_minutes=data.get("setup_minutes"),
        teardown_minutes=data.get("teardown_minutes"),
    )
    conflicts = meeting_conflicts(
        room=room, blocked_from=draft.blocked_from, blocked_until=draft.blocked_until, exclude_ids=exclude
    )
    message = BookingConflict(conflicts).message_for(request.user) if conflicts else ""
    context = {"checked": True, "conflict_message": message, "draft": draft}
    return render(request, "meetings/_check.html", context)


def _history(meeting: Meeting, user) -> list[tuple]:
    """Each change with its fields named as people know them (the stored keys are model field names).
    Who may not see leaders and guests does not read their names in the history either."""
    labels = {field.name: field.verbose_name for field in Meeting._meta.get_fields() if hasattr(field, "verbose_name")}
    labels["service_items"] = _("Service items")
    hidden = set() if can_see_people(user) else {"attendees"}
    return [
        (
            change,
            change.get_action_display(),
            [
                (labels.get(name, name), before, after)
                for name, (before, after) in change.changes.items()
                if name not in hidden
            ],
        )
        for change in meeting.changes.select_related("changed_by")
    ]


def is_portal_user(user) -> bool:
    """A client contact, who reads meetings only as their organization's: they get the portal's pages (their
    meetings as cards, each meeting's progress on top), staff keep theirs."""
    return not user.has_perm("meetings.view_meeting")


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id)
    meeting = meetings_with_details(Meeting.objects.filter(pk=meeting.pk)).get()
    portal = is_portal_user(request.user)
    stage = meeting_stage(meeting, timezone.now())
    context = {
        "meeting": meeting,
        "portal": portal,
        "stage": stage,
        "progress": meeting_progress(meeting),
        "meeting_tasks": meeting_tasks_for(request.user, meeting),
        "meeting_survey": meeting_survey_for(request.user, meeting),
        "history": _history(meeting, request.user),
        "attendees": attendees_visible_to(request.user, meeting),
        # A client changes or cancels a meeting still to come; once it runs, the hotline is who to call.
        "can_change": can_change(request.user, meeting) and not (portal and stage in (Stage.RUNNING, Stage.ENDED)),
        "can_approve": can_approve(request.user) and meeting.status == "requested",
        "can_see_service": can_see_service(request.user),
        "reason_form": ReasonForm(),
    }
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_to_change(request.user, meeting_id)
    current = MeetingDraft.from_meeting(meeting)
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, user=request.user, initial=MeetingForm.initial_from_draft(current))
    change_form = ChangeForm(data)
    conflict_message = series_conflict = None
    series_visible: set[int] = set()
    if request.method == "POST" and form.is_valid() and change_form.is_valid():
        draft = form.to_draft(current)
        reason = change_form.cleaned_data["reason"]
        try:
            was_confirmed = meeting.status == Status.CONFIRMED
            if change_form.cleaned_data["scope"] == "following" and meeting.series_id:
                series_update_following(user=request.user, meeting=meeting, draft=draft, reason=reason)
            else:
                meeting_update(user=request.user, meeting=meeting, draft=draft, reason=reason)
            meeting.refresh_from_db(fields=["status"])
            if was_confirmed and meeting.status == Status.REQUESTED:
                messages.success(request, _("The change was submitted: the meeting awaits confirmation again."))
            else:
                messages.success(request, _("The meeting was changed."))
            return redirect("meetings:detail", meeting.pk)
        except ValidationError as error:
            form.add_service_errors(error)
        except BookingConflict as error:
            conflict_message = error.message_for(request.user)
        except SeriesConflict as error:
            series_conflict = error
            series_visible = visible_meeting_ids(request.user, [m for o in error.occurrences for m in o.conflicts])
    context = {
        "form": form,
        "change_form": change_form,
        "meeting": meeting,
        "following": len(following_occurrences(meeting)) if meeting.series_id else 0,
        "conflict_message": conflict_message,
        "series_conflict": series_conflict,
        "series_visible": series_visible,
    }
    return render(request, "meetings/meeting_form.html", context)


def _status_change(request: HttpRequest, meeting_id: int, action, success: str, needs_reason: bool) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id)
    form = ReasonForm(request.POST)
    if needs_reason and not form.is_valid():
        messages.error(request, _("Give a reason; it is kept in the meeting's history."))
        return redirect("meetings:detail", meeting.pk)
    try:
        if needs_reason:
            action(user=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        else:
            action(user=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def meeting_cancel_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _status_change(request, meeting_id, meeting_cancel, _("The meeting was cancelled."), needs_reason=True)


@login_required
@require_POST
def meeting_confirm_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _status_change(request, meeting_id, meeting_confirm, _("The meeting was confirmed."), needs_reason=False)


@login_required
@require_POST
def meeting_reject_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _status_change(request, meeting_id, meeting_reject, _("The request was rejected."), needs_reason=True)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    require_meeting_reader(request.user)
    form = MeetingFilterForm(request.GET or None, user=request.user)
    if request.GET.get("export") == "xlsx":
        return meetings_export(request.user, form.filters())
    if is_portal_user(request.user):
        return _portal_list(request)
    meetings = meetings_listed(request.user, form.filters()).values_list(*_LISTED, named=True)
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = rows_html("meetings/_meeting_list_row.html", _list_cells(page))
    context = {
        "form": form,
        "filter_fields": _filter_fields(form),
        "page": page,
        "rows_html": rows,
        "query": query.urlencode(),
    }
    return render(request, "meetings/meeting_list.html", context)


# The list's filter fields, kept rendered: their choices are every room and every organization, and Django's
# widget templates cost more than the rest of the list. They change with the rooms, floors, sites and
# organizations (one query), and with what the filter was given.
_FILTER_CHOICES_VERSION = TableVersions(Room, Floor, Site, Organization)
_FILTER_FIELDS = Snapshots(size=64)


def _filter_fields(form: MeetingFilterForm) -> SafeString:
    """The form's fields as the list shows them, the errors of what it was given included."""
    given = tuple((name, tuple(form.data.getlist(name))) for name in form.fields) if form.is_bound else ()
    key = (given, form.organization_only, get_language())
    now = timezone.now()
    version = _FILTER_CHOICES_VERSION()  # read before the fields, as lib/snapshots.py requires
    html = _FILTER_FIELDS.get(key, version, now)
    if html is None:
        html = render_to_string("meetings/_filter_fields.html", {"form": form})
        _FILTER_FIELDS.put(key, version, Horizon(now), html)  # nothing in them depends on the clock
    return html


# What a row of the list shows, read as plain values rather than as meetings with their rooms and organizers.
_LISTED = (
    "pk",
    "hidden",
    "title",
    "start",
    "end",
    "headcount",
    "status",
    "room__name",
    "organizer__name",
    "organizer__short_name",
)


def _list_cells(meetings) -> list[tuple]:
    """Each meeting of the list (values of _LISTED) as cells for lib/rows.py, its day and times formatted here
    once: a row whose meeting has not changed since it was last listed is not rendered again."""
    detail_url = id_url("meetings:detail")
    labels = {value: str(label) for value, label in Status.choices}
    days: dict[date, str] = {}
    cells = []
    for meeting in meetings:
        start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
        day = days.get(start.date())
        if day is None:
            day = days[start.date()] = dateformat.format(start, "Y-m-d D")
        shown = (
            ("hidden", meeting.hidden),
            ("when", f"{day} {start:%H:%M}–{end:%H:%M}"),
            ("room", meeting.room__name),
        )
        if not meeting.hidden:
            shown += (
                ("url", detail_url(meeting.pk)),
                ("title", meeting.title),
                ("organizer", meeting.organizer__short_name or meeting.organizer__name),
                ("headcount", str(meeting.headcount)),
                ("status", meeting.status),
                ("status_label", labels[meeting.status]),
            )
        cells.append(shown)
    return cells


@dataclass(frozen=True)
class WaitingBadge:
    """Something a meeting waits for from its client, on the meeting's card: what (with how many) and the link to
    where it is done."""

    label: str
    url: str


def _waiting_for_client(user, meetings: list[Meeting]) -> dict[int, list[WaitingBadge]]:
    """What each meeting waits for from the client, by meeting id: one query per kind, whatever the number of
    meetings. Each app whose work waits for the client adds its kind here."""
    ids = [meeting.pk for meeting in meetings]
    waiting: dict[int, list[WaitingBadge]] = {}
    awaiting = (
        tasks_visible_to(user)
        .awaiting_client()
        .filter(meeting_id__in=ids)
        .order_by()
        .values("meeting_id")
        .annotate(count=Count("pk"))
    )
    for row in awaiting:
        waiting.setdefault(row["meeting_id"], []).append(
            WaitingBadge(
                label=_("Delegated tasks to confirm: %(count)d") % {"count": row["count"]},
                url=reverse("meetings:detail", args=[row["meeting_id"]]) + "#tasks",
            )
        )
    return waiting


def _portal_list(request: HttpRequest) -> HttpResponse:
    """A client's meetings as cards on two tabs, upcoming (soonest first) and past (latest first)."""
    when = When.PAST if request.GET.get("when") == When.PAST else When.UPCOMING
    now = timezone.now()
    meetings = meetings_when(meetings_visible_to(request.user).select_related("service"), when, now)
    page = Paginator(meetings, 20).get_page(request.GET.get("page"))
    waiting = _waiting_for_client(request.user, page.object_list)
    cards = [(meeting, meeting_stage(meeting, now), waiting.get(meeting.pk, [])) for meeting in page]
    today = timezone.localdate(now)
    context = {
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "portal": True,
        "when": when,
        "when_tabs": When,
        "page": page,
        "cards": cards,
        "query": f"when={when}",
        "can_book": can_book(request.user),
    }
    return render(request, "meetings/meeting_list.html", context)


@login_required
def free_rooms(request: HttpRequest) -> HttpResponse:
    require_meeting_reader(request.user)
    form = FreeRoomsForm(request.GET or None)
    rooms = None
    if form.is_valid():
        start, end = form.window()
        rooms = rooms_free(start=start, end=end, headcount=form.cleaned_data["headcount"])
    return render(
        request, "meetings/free_rooms.html", {"form": form, "rooms": rooms, "can_book": can_book(request.user)}
    )
