"""Service writes: the three-level check, assignments, checklists, the start, refills, requests and the end
of a meeting, and new versions of the standards. Each checks who may do it and what state allows it, writes
in one transaction, and keeps the meeting's deadlines in step (deadlines.py)."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.db import lock_row
from huiwu.lib.i18n import site_language
from huiwu.meetings.access import audit_meeting
from huiwu.meetings.deadlines import meeting_deadlines_sync
from huiwu.meetings.describe import meeting_describe
from huiwu.meetings.models import Meeting, Status
from huiwu.notify.models import Kind
from huiwu.notify.services import deadline_complete, deadlines_cancel, notify_role, notify_users
from huiwu.security.eligibility import missing_for
from huiwu.security.models import AuditEntry
from huiwu.service.access import (
    require_assigner,
    require_level_confirmer,
    require_meeting_server,
    require_standards_editor,
)
from huiwu.service.deadlines import (
    check_key,
    ready_key,
    refill_key,
    refill_sync_deadline,
    service_url,
    serving_users,
)
from huiwu.service.facts import CHECKED_FIELDS, change_labels, clock, level_facts
from huiwu.service.models import (
    LEVEL_ROLES,
    Assignment,
    ChecklistTick,
    CheckRecord,
    EarlyReason,
    Level,
    MeetingCheck,
    MeetingService,
    Phase,
    Refill,
    ServiceLogEntry,
    ServiceStandard,
)
from huiwu.service.standards import (
    confirmable_from,
    level_items,
    phase_items,
    refill_window,
    season_on,
    standard_clean,
    standard_current,
    standard_for,
)

MOVE_FIELDS = frozenset({"room", "start", "end"})
# Refills are at least ten minutes apart: a second one recorded within this is a double tap (or two
# attendants recording the same refill), not a refill.
DOUBLE_TAP = timedelta(minutes=2)


def _moment(at: datetime | None, *, not_before: datetime, what: str) -> datetime:
    """The time something was done: now, or a time given afterwards, which may not be in the future."""
    now = timezone.now()
    at = at or now
    if at > now:
        raise ValidationError({"at": _("The time cannot be in the future.")})
    if at < not_before:
        raise ValidationError(
            {
                "at": _("The time cannot be before %(what)s (%(when)s).")
                % {"what": what, "when": timezone.localtime(not_before).strftime("%Y-%m-%d %H:%M")}
            }
        )
    return at


def _require_confirmed(meeting: Meeting) -> None:
    if meeting.status != Status.CONFIRMED:
        raise ValidationError(_("Only confirmed meetings are checked and served."))


def _lock(meeting: Meeting) -> None:
    """Serialize the service writes of one meeting (two phones tapping at once) and read its service state
    afresh under the lock. Called first thing inside the write's transaction; the checks come after it."""
    lock_row(Meeting, meeting.pk)
    # The reverse one-to-one's cache: None reads as "not started" (hasattr is False), like a fresh fetch.
    meeting._state.fields_cache["service"] = (
        MeetingService.objects.select_related("standard").filter(meeting=meeting).first()
    )


def _audit(user: User, meeting: Meeting) -> None:
    """A change to a confidential meeting's service is a change of the meeting: it goes to the audit log."""
    if meeting.is_confidential:
        audit_meeting(user, meeting, AuditEntry.Action.CHANGE)


# --- the three-level check ----------------------------------------------------------------------------


def _require_answers(items: list[str], results: Mapping[str, bool]) -> None:
    """Every item answered, passed or not, and nothing else: an item left unanswered is not an item passed."""
    unknown = [item for item in results if item not in items]
    missing = [item for item in items if item not in results]
    errors = []
    if unknown:
        errors.append(
            _("Not on this level's checklist: %(unknown)s. Its items are: %(items)s")
            % {"unknown": _(", ").join(unknown), "items": _(", ").join(items)}
        )
    if missing:
        errors.append(_("Answer every item, passed or not. Not answered: %(items)s") % {"items": _(", ").join(missing)})
    if errors:
        raise ValidationError({"results": errors})


def check_confirm(
    *, user: User, meeting: Meeting, level: int, results: Mapping[str, bool], notes: str = ""
) -> CheckRecord:
    """Confirm one level with an answer to each item of its checklist, the system's facts verified (facts.py).
    A failed item, or a fact that does not hold, reports a problem instead, with a note: the level stays
    unconfirmed (blocking the levels above) and the manager is alerted. Passing is possible only from
    confirm_early_minutes before the level is due; a problem may be reported earlier, as soon as it is seen."""
    if level not in Level.values:
        raise ValidationError({"level": _("The level must be 1, 2 or 3.")})
    require_level_confirmer(user, level)
    _require_confirmed(meeting)
    standard = standard_for(meeting)
    items = level_items(standard, level)
    _require_answers(items, results)
    failed = [item for item in items if not results[item]]
    notes = notes.strip()
    if failed and not notes:
        raise ValidationError({"notes": _("Say what is wrong: the note goes to the manager with the alert.")})
    with transaction.atomic():
        # The meeting's lock keeps its assignments as the facts saw them until this is written.
        _lock(meeting)
        checks = {c.level: c for c in MeetingCheck.objects.select_for_update().filter(meeting=meeting)}
        if level not in checks:
            raise ValidationError(_("This meeting was confirmed after its start: it has no checks."))
        check = checks[level]
        if check.state == MeetingCheck.State.CONFIRMED:
            raise ValidationError(_("This level is already confirmed."))
        if level > Level.ONE and checks[level - 1].state != MeetingCheck.State.CONFIRMED:
            raise ValidationError(_("%(lower)s must be confirmed first.") % {"lower": Level(level - 1).label})
        facts = level_facts(meeting, level, checks=checks)
        untrue = [fact for fact in facts if not fact.holds]
        if untrue and not notes:
            raise ValidationError(
                _(
                    "This level cannot be passed: %(facts)s. Put it right first, or describe the problem in the "
                    "notes to report it."
                )
                % {"facts": _("; ").join(fact.explanation for fact in untrue)}
            )
        now = timezone.now()
        problem = bool(failed or untrue)
        opens = confirmable_from(standard, check)
        if not problem and now < opens:
            raise ValidationError(
                _("It is too early to confirm this level: it can be confirmed from %(time)s.") % {"time": clock(opens)}
            )
        with site_language():
            recorded_facts = [[fact.label, fact.holds] for fact in facts]
            problems = [*failed, *(fact.explanation for fact in untrue)]
        record = CheckRecord.objects.create(
            meeting=meeting,
            level=level,
            action=CheckRecord.Action.FAILED if problem else CheckRecord.Action.CONFIRMED,
            by=user,
            at=now,  # pragma: no mutate (the default, the same moment under a frozen clock)
            results=[[item, bool(results[item])] for item in items],
            facts=recorded_facts,
            notes=notes,
        )
        if problem:
            check.state = MeetingCheck.State.FAILED
            check.save(update_fields=["state"])  # pragma: no mutate (saving more fields saves the same values)
            with site_language():
                title = _("Check problem, %(level)s: %(meeting)s") % {
                    "level": Level(level).label,
                    "meeting": meeting_describe(meeting),
                }
                body = _("%(user)s: %(items)s. %(notes)s") % {
                    "user": user,
                    "items": _(", ").join(problems),
                    "notes": notes,
                }
            notify_role(
                role=Role.MANAGER,
                kind=Kind.CHECK_ALERT,
                title=title,
                body=body,
                url=service_url(meeting),
                meeting=meeting,
            )
            notify_role(
                role=LEVEL_ROLES[level],
                kind=Kind.CHECK_ALERT,
                title=title,
                body=body,
                url=service_url(meeting),
                meeting=meeting,
                exclude=user,
            )
        else:
            check.state = MeetingCheck.State.CONFIRMED
            check.confirmed_by, check.confirmed_at = user, now
            check.save(update_fields=["state", "confirmed_by", "confirmed_at"])  # pragma: no mutate (as above)
            deadline_complete(key=check_key(meeting, level))
    _audit(user, meeting)
    return record


def checks_reopen(*, user: User, meeting: Meeting, changed: set[str]) -> list[int]:
    """A change of what the checks confirmed re-opens every level confirmed (or failed) so far, and tells
    the people who confirmed them. A move also restarts the clock of the levels still open. Returns the
    levels re-opened."""
    if not changed & CHECKED_FIELDS:
        return []
    now = timezone.now()
    reopened = []
    confirmers = []
    # pragma: no mutate start (row-lock options are PostgreSQL's; select_related only saves queries)
    checks = MeetingCheck.objects.select_for_update(of=("self",)).filter(meeting=meeting).select_related("confirmed_by")
    # pragma: no mutate end
    restarted = []
    for check in checks:
        if check.state != MeetingCheck.State.OPEN:
            reopened.append(check.level)
            if check.confirmed_by:
                confirmers.append(check.confirmed_by)
            check.state = MeetingCheck.State.OPEN
            check.confirmed_by = check.confirmed_at = None
        elif not changed & MOVE_FIELDS:
            continue
        check.since = now
        restarted.append(check)
    # One UPDATE for every level changed; a level that was open gets its (locked) state written back unchanged.
    MeetingCheck.objects.bulk_update(restarted, ["state", "confirmed_by", "confirmed_at", "since"])
    if reopened:
        with site_language():
            what = change_labels(changed & CHECKED_FIELDS)
            CheckRecord.objects.bulk_create(
                CheckRecord(
                    meeting=meeting,
                    level=level,
                    action=CheckRecord.Action.REOPENED,
                    by=user,
                    at=now,  # pragma: no mutate (the default, the same moment under a frozen clock)
                    notes=_("Changed: %(fields)s") % {"fields": what},
                )
                for level in reopened
            )
            title = _("Check re-opened, the meeting changed: %(meeting)s") % {"meeting": meeting_describe(meeting)}
            body = _("%(user)s changed %(fields)s. Confirm again.") % {"user": user, "fields": what}
        notify_users(
            recipients=confirmers,
            kind=Kind.CHECK_ALERT,
            title=title,
            body=body,
            url=service_url(meeting),
            meeting=meeting,
        )
    return reopened


# --- assignments --------------------------------------------------------------------------------------


def assignable_users():
    """Who can serve meetings: active attendants and team leaders."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[Role.ATTENDANT.value, Role.TEAM_LEADER.value])
        .distinct()
        .order_by("display_name", "username")
    )


def assignment_add(*, user: User, meeting: Meeting, attendant: User, duty: str) -> Assignment:
    """Assign someone to serve a meeting. Nobody serves two meetings at once, and a meeting has one lead."""
    require_assigner(user)
    if duty not in Assignment.Duty.values:
        raise ValidationError({"duty": _("Choose lead attendant or helper.")})
    if not meeting.is_active or meeting.end <= timezone.now():
        raise ValidationError(_("Only meetings still to come or running can be staffed."))
    if not assignable_users().filter(pk=attendant.pk).exists():
        raise ValidationError({"attendant": _("Only active attendants and team leaders can be assigned.")})
    if meeting.is_confidential:
        missing = missing_for(attendant, level=meeting.confidentiality, start=meeting.start, end=meeting.end)
        if missing:
            raise ValidationError(
                {
                    "attendant": _("%(person)s may not serve this confidential meeting; missing: %(items)s.")
                    % {"person": attendant, "items": _(", ").join(missing)}
                }
            )
    with transaction.atomic():
        # Locking the meeting and the person serializes what could clash: two leads for one meeting, or
        # one person placed in overlapping meetings by two team leaders at once.
        _lock(meeting)
        lock_row(User, attendant.pk)
        if meeting.assignments.filter(attendant=attendant).exists():
            raise ValidationError(
                {"attendant": _("%(person)s is already assigned to this meeting.") % {"person": attendant}}
            )
        if duty == Assignment.Duty.LEAD and meeting.assignments.filter(duty=Assignment.Duty.LEAD).exists():
            raise ValidationError({"duty": _("This meeting already has a lead attendant.")})
        clash = (
            Assignment.objects.filter(
                attendant=attendant,
                meeting__status__in=[Status.REQUESTED, Status.CONFIRMED],
                meeting__start__lt=meeting.end,
                meeting__end__gt=meeting.start,
            )
            .exclude(meeting=meeting)
            .select_related("meeting__room")
            .first()
        )
        if clash:
            raise ValidationError(
                {
                    "attendant": _("%(person)s already serves %(meeting)s at that time.")
                    % {"person": attendant, "meeting": meeting_describe(clash.meeting)}
                }
            )
        assignment = Assignment.objects.create(meeting=meeting, attendant=attendant, duty=duty, assigned_by=user)
        # The reminders, the room-ready item and the open refill go to whoever serves the meeting now.
        meeting_deadlines_sync(meeting)
        with site_language():
            title = _("You serve %(meeting)s (%(duty)s)") % {
                "meeting": meeting_describe(meeting),
                "duty": assignment.get_duty_display(),
            }
            body = _("Assigned by %(user)s.") % {"user": user}
        notify_users(
            recipients=[attendant],
            kind=Kind.ASSIGNMENT,
            title=title,
            body=body,
            url=service_url(meeting),
            meeting=meeting,
        )
    _audit(user, meeting)
    return assignment


def assignment_remove(*, user: User, assignment: Assignment) -> None:
    """Take someone off a meeting still to come or running (who served a past one stays on record)."""
    require_assigner(user)
    meeting = assignment.meeting
    if not meeting.is_active or meeting.end <= timezone.now():
        raise ValidationError(_("Who served a past or cancelled meeting stays on its record."))
    with transaction.atomic():
        _lock(meeting)
        assignment.delete()
        meeting_deadlines_sync(meeting)
        with site_language():
            title = _("You no longer serve %(meeting)s") % {"meeting": meeting_describe(meeting)}
            body = _("Changed by %(user)s.") % {"user": user}
        notify_users(
            recipients=[assignment.attendant],
            kind=Kind.ASSIGNMENT,
            title=title,
            body=body,
            url=service_url(meeting),
            meeting=meeting,
        )
        _audit(user, meeting)


# --- checklists ---------------------------------------------------------------------------------------


def checklist_tick(*, user: User, meeting: Meeting, phase: str, item: str) -> ChecklistTick:
    require_meeting_server(user, meeting)
    _require_confirmed(meeting)
    with transaction.atomic():
        _lock(meeting)
        if phase not in Phase.values or item not in phase_items(standard_for(meeting), meeting, phase):
            raise ValidationError({"item": _("This is not an item of the meeting's checklist.")})
        started = hasattr(meeting, "service")
        if phase == Phase.DURING and not started:
            raise ValidationError(_("Record the start of the meeting first."))
        if phase == Phase.AFTER and not (started and meeting.service.ended_at):
            raise ValidationError(_("Record the end of the meeting first."))
        done = ChecklistTick.objects.filter(meeting=meeting, phase=phase, item=item).select_related("done_by").first()
        if done:
            raise ValidationError(
                _("Already done by %(user)s at %(time)s.")
                % {"user": done.done_by, "time": timezone.localtime(done.done_at).strftime("%H:%M")}
            )
        tick = ChecklistTick.objects.create(meeting=meeting, phase=phase, item=item, done_by=user)
        if phase == Phase.BEFORE and item == standard_for(meeting).ready_item:
            deadline_complete(key=ready_key(meeting))
    _audit(user, meeting)
    return tick


# --- during the meeting -------------------------------------------------------------------------------


def meeting_start(*, user: User, meeting: Meeting, at: datetime | None = None) -> MeetingService:
    """Record the actual start. The meeting is served under the standards in force now, and its first
    refill window is measured from this moment. Levels of the three-level check still unconfirmed do not
    stop it (meetings do start): they are kept as the start's exception (unchecked_levels), the manager is
    alerted, and the board shows the meeting red."""
    require_meeting_server(user, meeting)
    _require_confirmed(meeting)
    at = _moment(at, not_before=meeting.blocked_from, what=_("the room is held for the meeting"))
    with transaction.atomic():
        _lock(meeting)
        if hasattr(meeting, "service"):
            raise ValidationError(_("The start of this meeting is already recorded."))
        standard = standard_current()
        if standard.pk is None:
            standard.save()  # the seed's defaults become version 1, so that the meeting can point to them
        unchecked = list(
            meeting.checks.exclude(state=MeetingCheck.State.CONFIRMED).order_by("level").values_list("level", flat=True)
        )
        service = MeetingService.objects.create(
            meeting=meeting,
            standard=standard,
            season=season_on(standard, meeting.room.floor.site.code, timezone.localdate(at)),
            started_at=at,
            started_by=user,
            unchecked_levels=unchecked,
        )
        meeting.service = service
        _refill_plan(meeting, number=1, previous=at)
        meeting_deadlines_sync(meeting)
        if unchecked:
            _alert_unchecked_start(user=user, meeting=meeting, service=service)
    _audit(user, meeting)
    return service


def _alert_unchecked_start(*, user: User, meeting: Meeting, service: MeetingService) -> None:
    with site_language():
        levels = _(", ").join(str(Level(level).label) for level in service.unchecked_levels)
        title = _("Started with checks unconfirmed (%(levels)s): %(meeting)s") % {
            "levels": levels,
            "meeting": meeting_describe(meeting),
        }
        body = _("%(user)s recorded the start at %(time)s; not confirmed: %(levels)s.") % {
            "user": user,
            "time": timezone.localtime(service.started_at).strftime("%H:%M"),
            "levels": levels,
        }
    notify_role(
        role=Role.MANAGER,
        kind=Kind.SERVICE_EXCEPTION,
        title=title,
        body=body,
        url=service_url(meeting),
        meeting=meeting,
    )


def _refill_plan(meeting: Meeting, *, number: int, previous: datetime) -> Refill:
    service = meeting.service
    opens_at, closes_at = refill_window(service.standard, service.season, number, previous)
    refill = Refill.objects.create(meeting=meeting, number=number, opens_at=opens_at, closes_at=closes_at)
    with site_language():
        refill_sync_deadline(refill, serving_users(meeting))
    return refill


def _running(meeting: Meeting) -> MeetingService:
    if not hasattr(meeting, "service"):
        raise ValidationError(_("Record the start of the meeting first."))
    if meeting.service.ended_at:
        raise ValidationError(_("The meeting is over."))
    return meeting.service


def refill_record(
    *,
    user: User,
    meeting: Meeting,
    at: datetime | None = None,
    early_reason: str = "",
    early_note: str = "",
) -> Refill:
    """Record the refill whose window is open (or coming): the next window is measured from now. Before
    its window opens, a refill needs a reason (EarlyReason; "other" with a note) and stays marked early;
    a reason given for a refill in or after its window is not kept (there is nothing to explain)."""
    require_meeting_server(user, meeting)
    _require_confirmed(meeting)
    if early_reason and early_reason not in EarlyReason.values:
        raise ValidationError({"early_reason": _("Choose why the refill is early: a leader asked, recess, or other.")})
    early_note = early_note.strip()
    with transaction.atomic():
        _lock(meeting)
        service = _running(meeting)
        refill = meeting.refills.filter(done_at__isnull=True).first()
        previous = meeting.refills.filter(done_at__isnull=False).order_by("-number").first()
        at = _moment(
            at,
            not_before=previous.done_at if previous else service.started_at,
            what=_("the previous refill") if previous else _("the start of the meeting"),
        )
        if previous and at - previous.done_at < DOUBLE_TAP:
            raise ValidationError(
                _("Refill %(number)d was recorded at %(time)s by %(user)s, a moment ago.")
                % {
                    "number": previous.number,
                    "time": timezone.localtime(previous.done_at).strftime("%H:%M"),
                    "user": previous.done_by,
                }
            )
        if at < refill.opens_at:
            _explain_early(refill, early_reason=early_reason, early_note=early_note)
        refill.done_at, refill.done_by = at, user
        refill.save(update_fields=["done_at", "done_by", "early_reason", "early_note"])
        deadline_complete(key=refill_key(refill))
        _refill_plan(meeting, number=refill.number + 1, previous=at)
    _audit(user, meeting)
    return refill


def _explain_early(refill: Refill, *, early_reason: str, early_note: str) -> None:
    if not early_reason:
        raise ValidationError(
            {
                "early_reason": _("The window of refill %(number)d opens at %(time)s: say why it is served early.")
                % {"number": refill.number, "time": timezone.localtime(refill.opens_at).strftime("%H:%M")}
            }
        )
    if early_reason == EarlyReason.OTHER and not early_note:
        raise ValidationError({"early_note": _("Say why the refill is served early.")})
    refill.early_reason, refill.early_note = early_reason, early_note[:200]


def service_log_add(*, user: User, meeting: Meeting, kind: str, note: str = "") -> ServiceLogEntry:
    require_meeting_server(user, meeting)
    _require_confirmed(meeting)
    _running(meeting)  # a request log entry cannot clash with anything: no lock needed
    if kind not in ServiceLogEntry.Kind.values:
        raise ValidationError({"kind": _("Choose what was asked for.")})
    note = note.strip()
    if kind == ServiceLogEntry.Kind.OTHER and not note:
        raise ValidationError({"note": _("Say what was asked for.")})
    entry = ServiceLogEntry.objects.create(meeting=meeting, kind=kind, note=note[:200], recorded_by=user)
    _audit(user, meeting)
    return entry


def meeting_end(*, user: User, meeting: Meeting, at: datetime | None = None) -> MeetingService:
    """Record the actual end. A refill window still to come is dropped; one that closed unrecorded stays
    on the record as late."""
    require_meeting_server(user, meeting)
    _require_confirmed(meeting)
    with transaction.atomic():
        _lock(meeting)
        service = _running(meeting)
        at = _moment(at, not_before=service.started_at, what=_("the start of the meeting"))
        service.ended_at, service.ended_by = at, user
        service.save(update_fields=["ended_at", "ended_by"])
        pending = meeting.refills.filter(done_at__isnull=True, closes_at__gt=at)
        deadlines_cancel(meeting.deadlines.filter(key__in=[refill_key(refill) for refill in pending]))
        pending.delete()
    _audit(user, meeting)
    return service


# --- standards ----------------------------------------------------------------------------------------


def standard_create(*, user: User, values: Mapping, reason: str = "") -> ServiceStandard:
    """A new version of the standards. It applies at once to every meeting that has not started (their
    deadlines move); running and past meetings keep the version they started under. The values must keep
    the rules of standards.standard_clean; every broken one is named."""
    require_standards_editor(user)
    standard = ServiceStandard(changed_by=user, reason=reason.strip()[:200], **standard_clean(values))
    now = timezone.now()
    with transaction.atomic():
        standard.save()
        upcoming = Meeting.objects.filter(status=Status.CONFIRMED, end__gt=now, service__isnull=True).select_related(
            "room__floor__site", "organizer"
        )
        for meeting in upcoming.iterator(chunk_size=200):
            meeting_deadlines_sync(meeting)
    return standard
