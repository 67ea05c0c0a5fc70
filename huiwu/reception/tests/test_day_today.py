"""Reception's sections of the today page: the attendant's next items (what is due now first), counted, and
those missed; for the team leader and the manager a section titled 礼仪接待 only when an item of today was
missed. Their queries do not grow with the day. The clock is Thursday 2026-11-26 08:00 unless moved."""

from datetime import date

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huiwu.accounts.roles import Role
from huiwu.core.today import today_sections
from huiwu.reception.models import RoutineItem
from huiwu.reception.services.routine import day_plan_ensure, routine_item_done
from huiwu.testing import at, login_as


def _section(user, role=Role.RECEPTION, title=""):
    found = [section for section in today_sections(user) if section.role == role and str(section.title) == title]
    return found[0] if found else None


def _rows(today_list):
    return [(item.title, item.at, str(item.status)) for item in today_list.items]


def test_it_shows_reception_whats_due_now_first_with_counts(reception, frozen_now):
    frozen_now.move_to(at("2026-11-26 08:50"))
    day_plan_ensure(date(2026, 11, 26))
    routine_item_done(user=reception, item=RoutineItem.objects.get(code="hot_water"))
    section = _section(reception)
    missed, upcoming = section.lists
    assert _rows(missed) == [
        ("仪容仪表自查", at("2026-11-26 08:45"), "已超时"),
        ("打开七楼礼仪接待组办公室门", at("2026-11-26 08:45"), "已超时"),
    ]
    assert _rows(upcoming)[:2] == [
        ("移交已批阅文件", at("2026-11-26 09:30"), "进行中"),
        ("分送报纸", at("2026-11-26 11:00"), "未开始"),
    ]
    assert upcoming.total == 6
    assert [(str(count.label), count.value) for count in section.counts] == [("已完成", 1), ("待办", 1), ("已超时", 2)]
    assert section.waiting == "1 项流程事项待办；2 项超时"
    assert section.link_url == reverse("reception:day")
    assert upcoming.items[0].detail == "08:40–09:30"


def test_it_plans_today_for_reception_when_no_worker_did(reception, frozen_now):
    section = _section(reception)
    assert section.lists[0].total == 9
    assert section.waiting == ""


def test_it_tells_reception_about_a_day_off_and_the_next_working_day(reception):
    with time_machine.travel(at("2026-10-01 09:00"), tick=False):
        section = _section(reception)
    assert str(section.hint) == "今天没有接待流程：国庆节。下一个工作日：10月8日。"
    assert section.lists == []


def test_it_tells_the_team_leader_and_manager_only_of_missed_items(reception, team_leader, manager, frozen_now):
    day_plan_ensure(date(2026, 11, 26))
    frozen_now.move_to(at("2026-11-26 08:44"))
    assert _section(team_leader, Role.TEAM_LEADER, "礼仪接待") is None
    assert _section(manager, Role.MANAGER, "礼仪接待") is None
    frozen_now.move_to(at("2026-11-26 08:45"))
    section = _section(team_leader, Role.TEAM_LEADER, "礼仪接待")
    assert section.waiting == "今天礼仪接待有 2 项流程超时"
    assert [title for title, _at, _status in _rows(section.lists[0])] == ["仪容仪表自查", "打开七楼礼仪接待组办公室门"]
    assert _section(manager, Role.MANAGER, "礼仪接待").counts[0].value == 2


def test_it_shows_the_team_leader_nothing_before_the_day_is_planned(team_leader, frozen_now):
    frozen_now.move_to(at("2026-11-26 10:00"))
    assert _section(team_leader, Role.TEAM_LEADER, "礼仪接待") is None


def test_it_shows_no_reception_section_to_the_others(make_persona, frozen_now):
    day_plan_ensure(date(2026, 11, 26))
    frozen_now.move_to(at("2026-11-26 10:00"))
    for code in ("attendant", "hotline", "outsider"):
        assert not [section for section in today_sections(make_persona(code)) if str(section.title) == "礼仪接待"]


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        today_sections(user)
    return len(captured)


def test_it_costs_the_same_queries_whatever_was_done(reception, team_leader, frozen_now):
    frozen_now.move_to(at("2026-11-26 17:40"))
    day_plan_ensure(date(2026, 11, 26))
    _queries(reception)
    _queries(team_leader)
    before = (_queries(reception), _queries(team_leader))
    RoutineItem.objects.filter(code__in=["door", "hot_water"]).update(done_at=at("2026-11-26 08:42"), done_by=reception)
    assert (_queries(reception), _queries(team_leader)) == before


def test_it_shows_the_section_on_the_today_page(client, reception, frozen_now):
    login_as(client, reception)
    html = client.get(reverse("core:today")).content.decode()
    assert 'data-role="reception"' in html
    assert "今日流程" in html
