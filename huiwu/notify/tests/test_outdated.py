"""An old notification of something that has changed since says so: "已过时：会议已改期", in the inbox and the API.

It is computed when the inbox is read, from what happened after the notification was written: its meeting
was moved (time or room), cancelled or rejected, or the deadline it reminded of opened again or was called off.
"""

import re
from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huiwu.meetings.services import meeting_cancel, meeting_confirm, meeting_reject, meeting_reschedule, meeting_update
from huiwu.notify.models import Deadline, Kind, Notification
from huiwu.notify.services import deadline_upsert, deadlines_cancel, deadlines_process
from huiwu.testing import at, login_as


def _entry(html: str, notification: Notification) -> str:
    """The inbox entry of one notification."""
    match = re.search(rf'<li [^>]*id="notification-{notification.pk}".*?</li>', html, re.DOTALL)
    assert match, f"notification {notification.pk} not in the inbox"
    return match.group(0)


def _inbox_entry(client, user, notification) -> str:
    login_as(client, user)
    return _entry(client.get("/notifications/").content.decode(), notification)


def _note(user, meeting, created_at, **extra):
    return Notification.objects.create(
        recipient=user,
        kind=Kind.MEETING_REMINDER,
        event=Notification.Event.REMINDER,
        title=f"会议提醒：{meeting.title}",
        url=f"/meetings/{meeting.pk}/",
        meeting=meeting,
        created_at=created_at,
        **extra,
    )


def test_it_marks_the_reminder_of_a_meeting_moved_since_outdated(client, book, hotline):
    meeting = book("2026-11-27 09:00", "10:00", title="党组会")
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        deadlines_process()
    [reminder] = hotline.notifications.filter(event=Notification.Event.REMINDER)
    assert 'data-testid="outdated"' not in _inbox_entry(client, hotline, reminder)

    with time_machine.travel(at("2026-11-26 09:30"), tick=False):
        meeting_reschedule(user=hotline, meeting=meeting, start=at("2026-11-27 15:00"), end=at("2026-11-27 16:00"))

    entry = _inbox_entry(client, hotline, reminder)
    assert 'data-testid="outdated">已过时：会议已改期<' in entry
    assert "hw-note-outdated" in entry


def test_it_marks_a_notification_outdated_only_when_the_move_came_after_it(client, book, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    before = _note(hotline, meeting, at("2026-11-26 08:59"))
    same_moment = _note(hotline, meeting, at("2026-11-26 09:00"))
    after = _note(hotline, meeting, at("2026-11-26 09:01"))
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        meeting_reschedule(user=hotline, meeting=meeting, start=at("2026-11-27 15:00"), end=at("2026-11-27 16:00"))

    login_as(client, hotline)
    html = client.get("/notifications/").content.decode()
    assert "已过时：会议已改期" in _entry(html, before)
    assert "已过时" not in _entry(html, same_moment)
    assert "已过时" not in _entry(html, after)


def test_it_counts_a_change_of_room_as_a_move_but_not_a_change_of_headcount(client, book, hotline, draft, other_room):
    moved = book("2026-11-27 09:00", "10:00", title="换会议室")
    resized = book("2026-11-27 14:00", "15:00", title="改人数")
    moved_note = _note(hotline, moved, at("2026-11-26 07:00"))
    resized_note = _note(hotline, resized, at("2026-11-26 07:00"))

    meeting_reschedule(user=hotline, meeting=moved, start=moved.start, end=moved.end, room=other_room)
    meeting_update(user=hotline, meeting=resized, draft=draft("2026-11-27 14:00", "15:00", headcount=18))

    login_as(client, hotline)
    html = client.get("/notifications/").content.decode()
    assert "已过时：会议已改期" in _entry(html, moved_note)
    assert "已过时" not in _entry(html, resized_note)


def test_it_marks_what_came_before_a_cancellation_outdated_but_not_the_cancellation_notice(
    client, book, hotline, manager
):
    meeting = book("2026-11-27 09:00", "10:00", title="党组会")
    reminder = _note(hotline, meeting, at("2026-11-26 07:30"))
    meeting_cancel(user=manager, meeting=meeting, reason="领导出差")
    # The hotline booked it, so it hears only of the manager's cancellation.
    notice = hotline.notifications.get(kind=Kind.MEETING_BOOKED)

    login_as(client, hotline)
    html = client.get("/notifications/").content.decode()
    assert "已过时：会议已取消" in _entry(html, reminder)
    assert "已过时" not in _entry(html, notice)


def test_it_marks_the_notice_of_a_request_rejected_since_outdated(
    client, hotline, manager, client_contact, organization, draft, frozen_now
):
    from huiwu.meetings.services import meeting_create

    client_contact.organization = organization
    client_contact.save(update_fields=["organization"])
    requested = meeting_create(user=client_contact, draft=draft("2026-11-27 09:00", "10:00"))
    confirmed = meeting_create(user=client_contact, draft=draft("2026-11-27 14:00", "15:00"))
    rejected_notice, confirmed_notice = (hotline.notifications.get(meeting=m) for m in (requested, confirmed))
    with time_machine.travel(at("2026-11-26 08:10"), tick=False):
        meeting_reject(user=manager, meeting=requested, reason="会议室另有安排")
        meeting_confirm(user=manager, meeting=confirmed)

    login_as(client, hotline)
    html = client.get("/notifications/").content.decode()
    assert "已过时：会议申请已被拒绝" in _entry(html, rejected_notice)
    assert "已过时" not in _entry(html, confirmed_notice)


def _deadline(**times):
    return deadline_upsert(
        key="test:outdated",
        kind=Kind.CLEARANCE_EXPIRY,
        title="保密协议即将到期",
        url="/security/",
        responsible_role="security_officer",
        awaits_completion=True,
        **times,
    )


def test_it_marks_a_reminder_outdated_when_its_deadline_opens_again_or_is_called_off(client, security_officer):
    _deadline(opens_at=at("2026-11-26 09:00"), due_at=at("2026-11-30 09:00"))
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        deadlines_process()
    reminder = security_officer.notifications.get()
    assert "已过时" not in _inbox_entry(client, security_officer, reminder)

    # Its time moved: the deadline opens again (round 2) and will remind anew.
    deadline = _deadline(opens_at=at("2026-11-27 09:00"), due_at=at("2026-12-01 09:00"))
    assert deadline.round == 2
    assert "已过时：已有更新的提醒" in _inbox_entry(client, security_officer, reminder)

    # Round 2 reminds, then the deadline is called off: that reminder no longer holds either.
    with time_machine.travel(at("2026-11-27 09:00"), tick=False):
        deadlines_process()
    second = security_officer.notifications.exclude(pk=reminder.pk).get()
    assert "已过时" not in _inbox_entry(client, security_officer, second)
    deadlines_cancel(Deadline.objects.filter(pk=deadline.pk))
    assert "已过时：已无需处理" in _inbox_entry(client, security_officer, second)
    assert "已过时：已有更新的提醒" in _inbox_entry(client, security_officer, reminder)


def test_it_leaves_the_reminder_of_a_deadline_done_as_it_was(client, book, hotline):
    book("2026-11-27 09:00", "10:00")
    with time_machine.travel(at("2026-11-26 09:00"), tick=False):
        deadlines_process()
    reminder = hotline.notifications.get(event=Notification.Event.REMINDER)
    assert reminder.deadline.state == Deadline.State.DONE
    assert "已过时" not in _inbox_entry(client, hotline, reminder)


def test_it_gives_the_outdated_reason_in_the_api(api, book, hotline):
    meeting = book("2026-11-27 09:00", "10:00")
    moved = _note(hotline, meeting, at("2026-11-26 07:00"))
    meeting_reschedule(user=hotline, meeting=meeting, start=at("2026-11-27 15:00"), end=at("2026-11-27 16:00"))
    holds = _note(hotline, meeting, at("2026-11-26 08:30"))

    items = {item["id"]: item for item in api(hotline, "get", "/notifications").json()["items"]}
    assert (items[moved.pk]["outdated"], items[moved.pk]["outdated_label"]) == ("moved", "已过时：会议已改期")
    assert (items[holds.pk]["outdated"], items[holds.pk]["outdated_label"]) == ("", "")
    marked = api(hotline, "post", f"/notifications/{moved.pk}/read").json()
    assert (marked["outdated"], marked["outdated_label"]) == ("moved", "已过时：会议已改期")
    english = api(hotline, "get", "/notifications", **{"Accept-Language": "en"}).json()["items"]
    assert {item["outdated_label"] for item in english} == {"", "Outdated: the meeting was rescheduled"}


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_it_reads_the_inbox_in_constant_queries_however_many_meetings_moved(client, book, hotline):
    def add_moved(count: int, first_day: int) -> None:
        for day in range(first_day, first_day + count):
            meeting = book(f"2026-12-{day:02d} 09:00", "09:30")
            _note(hotline, meeting, at("2026-11-26 07:00"))
            later = timedelta(hours=1)
            meeting_reschedule(user=hotline, meeting=meeting, start=meeting.start + later, end=meeting.end + later)

    add_moved(2, first_day=1)
    login_as(client, hotline)
    few_page, few_api = _queries(client, "/notifications/"), _queries(client, "/api/v1/notifications")
    add_moved(10, first_day=10)
    assert client.get("/notifications/").content.decode().count("已过时：会议已改期") == 12
    assert _queries(client, "/notifications/") == few_page
    assert _queries(client, "/api/v1/notifications") == few_api
