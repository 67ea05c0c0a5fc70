"""The tasks' sections of the today page, per role, each list in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huiwu.accounts.roles import Role
from huiwu.delegations.services import task_create, task_done
from huiwu.delegations.today import today_sections
from huiwu.notify.services import deadlines_process
from huiwu.testing import at, login_as


def _section(user, role, title="Delegated tasks"):
    [section] = [s for s in today_sections(user) if s.role == role and str(s.title) == title]
    return section


def _rows(today_list):
    return [(item.title, str(item.status), item.tone) for item in today_list.items]


# --- hotline ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "status", "tone"),
    [
        ("2026-11-26 08:29", "Awaiting client", "waiting"),
        ("2026-11-26 08:30", "Confirmation overdue", "alert"),
        ("2026-11-26 08:31", "Confirmation overdue", "alert"),
    ],
)
def test_it_shows_the_hotline_what_awaits_the_client_red_from_its_reminder(
    hotline, done, frozen_now, now, status, tone
):
    frozen_now.move_to(at(now))
    awaiting = _section(hotline, Role.HOTLINE).lists[0]
    assert _rows(awaiting) == [("代购水果", status, tone)]
    assert awaiting.items[0].url == f"/delegations/{done.pk}/"
    assert awaiting.items[0].at == at("2026-11-26 08:00")
    assert awaiting.items[0].place == "701会议室"
    assert awaiting.items[0].detail == "测试委办局 · 季度工作会"


def test_it_shows_the_hotline_the_requests_to_accept(hotline, client_contact):
    task_create(user=client_contact, title="打印会议材料", due_at=at("2026-11-26 12:00"))
    section = _section(hotline, Role.HOTLINE)
    assert _rows(section.lists[1]) == [("打印会议材料", "Awaiting acceptance", "waiting")]
    assert section.waiting == "1 task to see to"
    assert [(str(count.label), count.value) for count in section.counts] == [
        ("Awaiting client", 0),
        ("Requests to accept", 1),
    ]


def test_it_hides_a_confidential_meetings_task_from_the_uncleared_hotline(hotline, secret_task):
    assert _section(hotline, Role.HOTLINE).lists[0].items == []


# --- team leader --------------------------------------------------------------------------------------


def test_it_shows_the_team_leader_tasks_nobody_is_assigned_to(team_leader, record, frozen_now):
    record(assignee=None)
    assert _rows(_section(team_leader, Role.TEAM_LEADER).lists[0]) == [("代购水果", "Nobody assigned", "waiting")]
    frozen_now.move_to(at("2026-11-26 13:30"))
    assert _rows(_section(team_leader, Role.TEAM_LEADER).lists[0])[0][2] == "alert"


def test_it_shows_the_team_leader_what_was_escalated(team_leader, record, done, attendant):
    late = record(title="制作横幅", due_at=at("2026-11-26 08:30"))
    assert _section(team_leader, Role.TEAM_LEADER).lists[1].items == []
    deadlines_process(now=at("2026-11-26 09:00"))
    escalated = _section(team_leader, Role.TEAM_LEADER).lists[1]
    assert sorted(_rows(escalated)) == [
        ("代购水果", "Confirmation overdue", "alert"),
        ("制作横幅", "Overdue", "alert"),
    ]
    task_done(user=attendant, task=late)
    assert [item.title for item in _section(team_leader, Role.TEAM_LEADER).lists[1].items] == ["代购水果"]


# --- doers --------------------------------------------------------------------------------------------


def test_it_shows_the_attendant_their_tasks_red_once_overdue(attendant, task, frozen_now):
    mine = _section(attendant, Role.ATTENDANT, "My delegated tasks").lists[0]
    assert _rows(mine) == [("代购水果", "Accepted", "waiting")]
    assert mine.items[0].detail == "时令水果 5 公斤 · 测试委办局 · 季度工作会"
    frozen_now.move_to(at("2026-11-26 13:30"))
    assert _rows(_section(attendant, Role.ATTENDANT, "My delegated tasks").lists[0]) == [
        ("代购水果", "Overdue", "alert")
    ]


def test_it_drops_the_doers_section_once_their_tasks_are_done(attendant, done, record):
    assert [str(s.title) for s in today_sections(attendant)] == []
    record(title="制作横幅")
    section = _section(attendant, Role.ATTENDANT, "My delegated tasks")
    assert (section.waiting, section.lists[0].total) == ("1 task to see to", 1)


def test_it_shows_booking_staff_their_own_tasks_only_when_they_have_some(hotline, manager, record):
    assert [str(s.title) for s in today_sections(manager)] == []
    record(assignee=hotline)
    assert [str(s.title) for s in today_sections(hotline)] == ["Delegated tasks", "My delegated tasks"]


def test_it_gives_nothing_to_who_reads_no_tasks(security_officer, outsider):
    assert today_sections(security_officer) == []
    assert today_sections(outsider) == []


# --- client -------------------------------------------------------------------------------------------


def test_it_shows_the_client_what_waits_for_their_confirmation(client_contact, done, other_client):
    section = _section(client_contact, Role.CLIENT)
    assert _rows(section.lists[0]) == [("代购水果", "Awaiting your confirmation", "waiting")]
    assert section.lists[0].items[0].detail == "水果仅在休息时提供，分批摆放以保持新鲜"
    assert section.waiting == "1 task awaits your confirmation"
    assert (section.link_url, str(section.link_label)) == ("/delegations/new/", "Delegate a task")
    assert _section(other_client, Role.CLIENT).lists[0].items == []


def test_it_shows_the_section_on_the_today_page(client, client_contact, done):
    login_as(client, client_contact)
    html = client.get("/").content.decode()
    assert "Waiting for your confirmation" in html
    assert "代购水果" in html


# --- queries ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["hotline", "team_leader", "attendant", "client_contact"])
def test_it_costs_the_same_queries_for_one_task_as_for_many(request, persona, record, attendant):
    user = request.getfixturevalue(persona)

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            task_done(user=attendant, task=record(title=f"事{number}"))
            record(title=f"无人{number}", assignee=None)
            record(title=f"办{number}")
        deadlines_process(now=at("2026-11-26 09:00"))

    def queries() -> int:
        fresh = type(user).objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as captured:
            today_sections(fresh)
        return len(captured)

    # One row in each list, then more than it shows (MAX_ITEMS, 20): each is read, and counted, by one query.
    add(1, 0)
    one = queries()
    add(21, 1)
    assert queries() == one
    assert one <= 12
