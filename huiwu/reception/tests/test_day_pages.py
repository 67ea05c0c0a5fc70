"""The day page (今日流程), the reception attendant's home on the phone: today's timeline with each item's
window and state, a tap where the tap does it (htmx swaps the item), a link and what is outstanding where the
work is done in a register; read-only for the team leader and the manager; another day read-only; a day off
says why and when work resumes. The clock is Thursday 2026-11-26 08:00 unless a test moves it."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from huiwu.reception.models import DayPlan, JournalEntry, RoutineItem
from huiwu.reception.selectors import day as day_selectors
from huiwu.reception.services.routine import day_plan_ensure
from huiwu.testing import at, login_as

DAY = reverse("reception:day")
HTMX = {"HX-Request": "true"}


def _states(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-testid="item-(\w+)" data-state="(\w+)"', html))


def _page(client, user, **query):
    login_as(client, user)
    return client.get(DAY, query)


def _tap_url(code: str) -> str:
    item = RoutineItem.objects.get(plan__day=date(2026, 11, 26), code=code)
    return reverse("reception:item_done", args=[item.pk])


def test_it_shows_reception_todays_timeline_with_windows_and_states(client, reception, frozen_now):
    frozen_now.move_to(at("2026-11-26 08:42"))
    response = _page(client, reception)
    html = response.content.decode()
    assert response.status_code == 200
    assert _states(html) == {
        "grooming": "due_soon",
        "door": "due_soon",
        "hot_water": "now",
        "documents": "now",
        "newspapers": "to_come",
        "lunch": "to_come",
        "afternoon_duty": "to_come",
        "cleaning": "to_come",
        "review": "to_come",
    }
    windows = re.findall(r'data-testid="window">([^<]+)<', html)
    assert windows == [
        "08:40–08:45",
        "08:40–08:45",
        "08:40–09:00",
        "08:40–09:30",
        "10:30–11:00",
        "11:00–11:40",
        "13:00",
        "16:30–17:30",
        "16:30–17:30",
    ]
    assert "09:10 前保持敞开" in html
    assert "先备 2 壶热水" in html
    assert 'data-testid="do-door"' in html
    assert 'data-testid="do-newspapers"' not in html  # not before 10:30
    assert "10:30 起可以完成。" in html
    assert f'href="{reverse("reception:newspapers")}"' in html
    assert DayPlan.objects.get().day == date(2026, 11, 26)


def test_it_gives_reception_the_routine_tab(client, reception, frozen_now):
    html = _page(client, reception).content.decode()
    assert re.search(r'class="hw-tab active" href="/reception/" aria-current="page" data-testid="tab-day"', html)


def test_it_ticks_an_item_with_one_tap_and_swaps_it(client, reception, frozen_now):
    frozen_now.move_to(at("2026-11-26 08:42"))
    _page(client, reception)
    response = client.post(_tap_url("door"), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert _states(html) == {"door": "done"}
    assert "已记录：打开七楼礼仪接待组办公室门。" in html
    assert "reception 测试 08:42" in html
    assert 'data-testid="do-door"' not in html
    # The counts at the head of the page follow, out of band.
    assert re.search(r'id="day-counts" data-testid="day-counts" hx-swap-oob="true">\s*<span[^>]*>已完成 1/9<', html)
    assert JournalEntry.objects.get().author == reception


def test_it_ticks_without_javascript_and_comes_back_to_the_day(client, reception, frozen_now):
    frozen_now.move_to(at("2026-11-26 08:42"))
    _page(client, reception)
    response = client.post(_tap_url("door"))
    assert response.status_code == 302
    assert response["Location"] == "/reception/?day=2026-11-26"
    html = client.get(response["Location"]).content.decode()
    assert "已记录：打开七楼礼仪接待组办公室门。" in html
    assert _states(html)["door"] == "done"


def test_it_says_why_a_tap_was_refused_and_changes_nothing(client, reception, frozen_now, monkeypatch):
    frozen_now.move_to(at("2026-11-26 09:00"))
    _page(client, reception)
    monkeypatch.setattr(day_selectors, "documents_outstanding", lambda day: ["京政办发〔2026〕12号 关于…的通知"])
    response = client.post(_tap_url("documents"), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "尚未完成，还有：京政办发〔2026〕12号 关于…的通知。" in html
    assert RoutineItem.objects.get(code="documents").done_at is None
    assert not JournalEntry.objects.exists()


def test_it_shows_what_a_register_still_holds_and_where_to_do_it(client, reception, frozen_now, monkeypatch):
    frozen_now.move_to(at("2026-11-26 10:40"))
    monkeypatch.setattr(day_selectors, "newspapers_outstanding", lambda day: ["7楼 705室 吴晓峰：人民日报×1"])
    html = _page(client, reception).content.decode()
    item = html[html.index('data-testid="item-newspapers"') :]
    item = item[: item.index("</li>\n")]
    assert "7楼 705室 吴晓峰：人民日报×1" in item
    assert 'data-testid="do-newspapers"' not in item
    assert f'href="{reverse("reception:newspapers")}" data-testid="link-newspapers"' in item


def test_it_refuses_a_second_tap_naming_who_did_it(client, reception, frozen_now):
    frozen_now.move_to(at("2026-11-26 08:42"))
    _page(client, reception)
    client.post(_tap_url("door"), headers=HTMX)
    html = client.post(_tap_url("door"), headers=HTMX).content.decode()
    assert "reception 测试已于 08:42 完成。" in html
    assert JournalEntry.objects.count() == 1


def test_it_shows_a_missed_item_and_lets_it_be_done_late_with_a_reason(client, reception, frozen_now):
    _page(client, reception)
    frozen_now.move_to(at("2026-11-26 09:05"))
    html = client.get(DAY).content.decode()
    assert _states(html)["door"] == "missed"
    assert 'name="note"' in html
    html = client.post(_tap_url("door"), {"note": "电梯故障"}, headers=HTMX).content.decode()
    assert _states(html) == {"door": "done_late"}
    assert "备注：电梯故障" in html


@pytest.mark.parametrize("code", ["team_leader", "manager"])
def test_it_shows_the_team_leader_and_manager_the_day_without_buttons(client, make_persona, frozen_now, code):
    frozen_now.move_to(at("2026-11-26 08:42"))
    reader = make_persona(code)
    html = _page(client, reader).content.decode()
    assert _states(html)["door"] == "due_soon"
    assert 'data-testid="do-' not in html
    assert client.post(_tap_url("door"), headers=HTMX).status_code == 403
    assert RoutineItem.objects.get(code="door").done_at is None


@pytest.mark.parametrize("code", ["attendant", "hotline", "client", "outsider"])
def test_it_refuses_the_day_to_who_does_not_read_it(client, make_persona, frozen_now, code):
    assert _page(client, make_persona(code)).status_code == 403
    assert not DayPlan.objects.exists()


def test_it_sends_an_anonymous_visitor_to_sign_in(client, frozen_now):
    assert client.get(DAY).status_code == 302


def test_it_answers_404_for_an_item_that_does_not_exist(client, reception, frozen_now):
    login_as(client, reception)
    assert client.post(reverse("reception:item_done", args=[999]), headers=HTMX).status_code == 404
    assert client.post(f"{DAY}items/{10**30}/done/", headers=HTMX).status_code == 404


def test_it_answers_405_to_a_get_of_the_tap(client, reception, frozen_now):
    _page(client, reception)
    assert client.get(_tap_url("door")).status_code == 405


def test_it_says_why_there_is_no_routine_on_a_holiday_and_when_work_resumes(client, reception):
    with time_machine.travel(at("2026-10-01 09:00"), tick=False):
        html = _page(client, reception).content.decode()
    assert "今天没有接待流程：国庆节。" in html
    assert "下一个工作日：10月8日 星期四。" in html
    assert 'href="?day=2026-10-08"' in html
    assert not DayPlan.objects.exists()


def test_it_shows_the_adjusted_saturday_as_a_working_day(client, reception):
    with time_machine.travel(at("2026-10-10 08:00"), tick=False):
        html = _page(client, reception).content.decode()
    assert "调休上班（国庆节）" in html
    assert len(_states(html)) == 9


def test_it_says_a_weekend_day_is_off(client, reception, frozen_now):
    html = _page(client, reception, day="2026-11-28").content.decode()
    assert "当天没有接待流程：周末。" in html
    assert "下一个工作日：11月30日 星期一。" in html


def test_it_names_the_override_behind_a_day_off(client, reception, frozen_now):
    from huiwu.reception.models import CalendarOverride

    CalendarOverride.objects.create(day=date(2026, 11, 27), is_workday=False, reason="单位调休")
    html = _page(client, reception, day="2026-11-27").content.decode()
    assert "当天没有接待流程：单位调休。" in html
    assert "依据单位调整表。" in html


def test_it_shows_a_day_gone_by_read_only(client, reception, frozen_now):
    with time_machine.travel(at("2026-11-25 09:00"), tick=False):
        day_plan_ensure(date(2026, 11, 25))
    html = _page(client, reception, day="2026-11-25").content.decode()
    assert "往日流程，按当天记录保留，不能再勾选。" in html
    assert set(_states(html).values()) == {"missed"}
    assert 'data-testid="do-' not in html
    assert 'data-testid="link-' not in html


def test_it_says_when_a_day_gone_by_kept_no_timeline(client, reception, frozen_now):
    html = _page(client, reception, day="2026-11-24").content.decode()
    assert "当天没有留下流程记录。" in html


def test_it_previews_a_working_day_to_come_without_planning_it(client, reception, frozen_now):
    html = _page(client, reception, day="2026-11-27").content.decode()
    assert "流程在当天按届时的作息标准生成" in html
    assert set(_states(html).values()) == {"to_come"}
    assert 'data-testid="do-' not in html
    assert not DayPlan.objects.filter(day=date(2026, 11, 27)).exists()


@pytest.mark.parametrize("day", ["2026-02-30", "tomorrow", "0001-01-01", "9999-12-31"])
def test_it_shows_today_for_a_day_it_cannot_read(client, reception, frozen_now, day):
    html = _page(client, reception, day=day).content.decode()
    assert "今日流程" in html
    assert len(_states(html)) == 9


def test_it_warns_the_calendar_keeper_that_the_calendar_data_ends_soon(client, manager, reception, frozen_now):
    warning = 'data-testid="calendar-warning"'
    assert warning in _page(client, manager).content.decode()
    assert warning not in _page(client, reception).content.decode()


def test_it_polls_todays_timeline_and_answers_the_fragment(client, reception, frozen_now):
    html = _page(client, reception).content.decode()
    assert 'hx-get="/reception/" hx-trigger="every 60s"' in html
    fragment = client.get(DAY, headers=HTMX).content.decode()
    assert "<html" not in fragment
    assert len(_states(fragment)) == 9


def test_it_draws_the_day_in_bounded_queries(client, reception, frozen_now, django_assert_max_num_queries):
    _page(client, reception)
    # The session, the user and their permissions, the calendar, the plan with its items, then one read or
    # so per register for what it still holds.
    with django_assert_max_num_queries(20):
        assert client.get(DAY).status_code == 200
