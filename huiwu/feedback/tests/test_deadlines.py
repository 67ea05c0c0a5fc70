"""The complaint's timed rules with a frozen clock: the minute before, at and after each time."""

from datetime import timedelta

import pytest

from huiwu.feedback.models import RootCause
from huiwu.feedback.services import complaint_close, complaint_return_visit, complaint_step_record
from huiwu.notify.models import Deadline, Kind, Notification
from huiwu.notify.services import deadlines_process
from huiwu.testing import at


def heard(user, event) -> bool:
    return Notification.objects.filter(recipient=user, kind=Kind.COMPLAINT, event=event).exists()


def deadline(complaint, name) -> Deadline:
    return Deadline.objects.get(key=f"complaint:{complaint.pk}:{name}")


def accept(complaint, user):
    for step in ("apology", "investigation", "report", "rectification", "acceptance"):
        complaint_step_record(user=user, complaint=complaint, step=step, note="记录")


def test_it_tells_the_hotline_of_a_new_complaint_at_once(complaint, hotline, team_leader, manager):
    deadlines_process()
    notice = Notification.objects.get(recipient=hotline, kind=Kind.COMPLAINT)
    assert notice.event == Notification.Event.REMINDER
    assert notice.url == f"/feedback/complaints/{complaint.pk}/"
    assert notice.title == "New complaint, apologise by November 26 08:30: 会场水果不足"
    assert not heard(manager, Notification.Event.REMINDER)


def test_it_tells_the_handler_too_when_not_of_the_hotline(receive, team_leader):
    receive(user=team_leader)
    deadlines_process()
    assert heard(team_leader, Notification.Event.REMINDER)


@pytest.mark.parametrize(("minutes", "escalated"), [(29, False), (30, True), (31, True)])
def test_it_escalates_a_missing_apology_to_the_manager_after_30_minutes(
    complaint, hotline, manager, frozen_now, minutes, escalated
):
    deadlines_process()
    frozen_now.shift(timedelta(minutes=minutes))
    deadlines_process()
    assert heard(manager, Notification.Event.ESCALATION) is escalated
    assert (deadline(complaint, "apology").state == Deadline.State.MISSED) is escalated


def test_it_follows_the_apology_setting(receive, manager, frozen_now, settings):
    settings.COMPLAINT_APOLOGY_MINUTES = 10
    complaint = receive()
    assert deadline(complaint, "apology").due_at == at("2026-11-26 08:10")


def test_it_completes_the_apology_deadline_when_the_apology_is_recorded(complaint, hotline, manager, frozen_now):
    frozen_now.shift(timedelta(minutes=29))
    complaint_step_record(user=hotline, complaint=complaint, step="apology", note="致歉")
    frozen_now.shift(timedelta(minutes=2))
    deadlines_process()
    assert deadline(complaint, "apology").state == Deadline.State.DONE
    assert not heard(manager, Notification.Event.ESCALATION)


@pytest.mark.parametrize(("hours", "minutes", "reminded"), [(21, 59, False), (22, 0, True)])
def test_it_reminds_of_the_findings_two_hours_before_they_are_due(
    complaint, hotline, frozen_now, hours, minutes, reminded
):
    complaint_step_record(user=hotline, complaint=complaint, step="apology", note="致歉")
    deadlines_process()
    Notification.objects.all().delete()
    frozen_now.shift(timedelta(hours=hours, minutes=minutes))
    deadlines_process()
    findings = deadline(complaint, "findings")
    assert findings.due_at == at("2026-11-27 08:00")
    assert heard(hotline, Notification.Event.REMINDER) is reminded


@pytest.mark.parametrize(("minutes", "escalated"), [(-1, False), (0, True), (1, True)])
def test_it_escalates_missing_findings_to_the_manager_after_24_hours(
    complaint, hotline, manager, frozen_now, minutes, escalated
):
    complaint_step_record(user=hotline, complaint=complaint, step="apology", note="致歉")
    frozen_now.shift(timedelta(hours=23))
    deadlines_process()
    frozen_now.shift(timedelta(hours=1, minutes=minutes))
    deadlines_process()
    assert heard(manager, Notification.Event.ESCALATION) is escalated


def test_it_completes_the_findings_deadline_when_they_are_recorded(complaint, hotline, manager, frozen_now):
    complaint_step_record(user=hotline, complaint=complaint, step="apology", note="致歉")
    frozen_now.shift(timedelta(hours=23, minutes=59))
    complaint_step_record(user=hotline, complaint=complaint, step="investigation", note="查明")
    frozen_now.shift(timedelta(minutes=2))
    deadlines_process()
    assert deadline(complaint, "findings").state == Deadline.State.DONE
    assert not heard(manager, Notification.Event.ESCALATION)


def test_it_cancels_the_open_deadlines_when_a_manager_closes_without_acceptance(complaint, manager, frozen_now):
    complaint_close(
        user=manager,
        complaint=complaint,
        root_cause=RootCause.objects.first(),
        lesson="教训",
        close_reason="客户撤回投诉",
    )
    assert deadline(complaint, "apology").state == Deadline.State.CANCELLED
    assert deadline(complaint, "findings").state == Deadline.State.CANCELLED
    frozen_now.shift(timedelta(days=1))
    deadlines_process()
    assert not heard(manager, Notification.Event.ESCALATION)


@pytest.mark.parametrize(("minutes", "reminded"), [(-1, False), (0, True)])
def test_it_opens_the_return_visit_three_days_after_closing(complaint, hotline, frozen_now, minutes, reminded):
    accept(complaint, hotline)
    complaint_close(user=hotline, complaint=complaint, root_cause=RootCause.objects.first(), lesson="教训")
    deadlines_process()
    Notification.objects.all().delete()
    frozen_now.shift(timedelta(days=3, minutes=minutes))
    deadlines_process()
    visit = deadline(complaint, "return_visit")
    assert (visit.opens_at, visit.due_at) == (at("2026-11-29 08:00"), at("2026-11-30 08:00"))
    assert heard(hotline, Notification.Event.REMINDER) is reminded


@pytest.mark.parametrize(("minutes", "escalated"), [(-1, False), (0, True)])
def test_it_escalates_a_missing_return_visit_a_day_after_it_opened(
    complaint, hotline, manager, frozen_now, minutes, escalated
):
    accept(complaint, hotline)
    complaint_close(user=hotline, complaint=complaint, root_cause=RootCause.objects.first(), lesson="教训")
    frozen_now.shift(timedelta(days=3))
    deadlines_process()
    frozen_now.shift(timedelta(days=1, minutes=minutes))
    deadlines_process()
    assert heard(manager, Notification.Event.ESCALATION) is escalated


def test_it_completes_the_return_visit_deadline_when_it_is_recorded(complaint, hotline, manager, frozen_now):
    accept(complaint, hotline)
    complaint_close(user=hotline, complaint=complaint, root_cause=RootCause.objects.first(), lesson="教训")
    frozen_now.shift(timedelta(days=3, hours=1))
    complaint_return_visit(user=hotline, complaint=complaint, note="满意")
    frozen_now.shift(timedelta(days=1))
    deadlines_process()
    assert deadline(complaint, "return_visit").state == Deadline.State.DONE
    assert not heard(manager, Notification.Event.ESCALATION)


def test_it_names_a_confidential_meeting_s_complaint_only_to_its_audience(receive, book, manager, hotline):
    secret = book("2026-11-27 09:00", "10:00", title="专项保密会议", confidentiality=2, user=manager)
    receive(user=manager, meeting=secret, complainant_contact=None)
    deadlines_process()
    assert Notification.objects.get(recipient=hotline, kind=Kind.COMPLAINT).title.startswith("Confidential meeting")
    assert "会场水果不足" in Notification.objects.get(recipient=manager, kind=Kind.COMPLAINT).title
