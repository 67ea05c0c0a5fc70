"""The working-day calendar page: a month with each day's kind (working day, weekend, the holiday's name,
调休上班, the override table's entries with their reason and source), where the data ends and the warning when
that is near; the admin's override table and years for those who keep the calendar."""

import re
from datetime import date

import pytest
from django.urls import reverse

from huiwu.reception.models import CalendarOverride, CalendarYear
from huiwu.testing import login_as

CALENDAR = reverse("reception:calendar")


def _kinds(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-day="([\d-]+)" data-kind="(\w+)"', html))


def _page(client, user, **query) -> str:
    login_as(client, user)
    response = client.get(CALENDAR, query)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_national_day_month_with_each_days_kind(client, reception, frozen_now):
    html = _page(client, reception, month="2026-10")
    kinds = _kinds(html)
    assert [kinds[f"2026-10-0{day}"] for day in range(1, 8)] == ["holiday"] * 7
    assert kinds["2026-10-09"] == "workday"
    assert kinds["2026-10-10"] == "adjusted"
    assert kinds["2026-10-11"] == "weekend"
    assert "2026年10月" in html
    assert "10月1日 至 10月7日（7 天）</span>\n      · 休息日：国庆节" in html
    assert "10月10日 星期六</span>\n      · 工作日：调休上班（国庆节）" in html
    assert html.count('data-testid="special-day"') == 2
    # Whole weeks: Monday 2026-09-28 to Sunday 2026-11-01.
    assert (min(kinds), max(kinds)) == ("2026-09-28", "2026-11-01")


def test_it_shows_an_override_with_its_reason_and_source(client, reception, frozen_now):
    CalendarOverride.objects.create(day=date(2026, 11, 27), is_workday=False, reason="单位调休")
    html = _page(client, reception)
    assert _kinds(html)["2026-11-27"] == "off"
    special = html[html.index('data-testid="special-days"') :]
    assert "11月27日 星期五</span>\n      · 休息日：单位调休" in special
    assert "调整表" in special


def test_it_shows_this_month_and_marks_today(client, reception, frozen_now):
    html = _page(client, reception)
    assert 'data-day="2026-11-26" data-kind="workday" aria-current="date"' in html
    assert "2026年11月" in html


@pytest.mark.parametrize("month", ["2026-13", "1999-12", "2101-01", "x", "2026-1", "２０２６-10"])
def test_it_shows_this_month_for_a_month_it_cannot_read(client, reception, frozen_now, month):
    assert "2026年11月" in _page(client, reception, month=month)


def test_it_stops_the_months_at_the_years_the_calendar_may_hold(client, reception, frozen_now):
    html = _page(client, reception, month="2100-12")
    assert 'data-testid="next-month"' not in html
    assert 'data-testid="previous-month"' in html
    assert 'data-testid="previous-month"' not in _page(client, reception, month="2000-01")


def test_it_warns_when_the_official_schedule_ends_within_sixty_days(client, reception, frozen_now):
    html = _page(client, reception)
    assert 'data-testid="calendar-warning"' in html
    assert "2026-12-31" in html
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕1号")
    html = _page(client, reception)
    assert 'data-testid="calendar-warning"' not in html
    assert "国家法定安排已知至 2027-12-31。" in html


def test_it_says_which_days_are_read_as_weekdays_only(client, reception, frozen_now):
    assert "此后的日期暂按周一至周五上班" in _page(client, reception, month="2027-02")
    assert "此后的日期暂按周一至周五上班" not in _page(client, reception, month="2026-11")


def test_it_links_the_administrator_to_the_override_table_and_years(client, sysadmin, frozen_now):
    html = _page(client, sysadmin)
    assert f'href="{reverse("admin:reception_calendaroverride_changelist")}"' in html
    assert f'href="{reverse("admin:reception_calendaryear_changelist")}"' in html
    assert 'href="/reception/?day=' not in html  # the administrator does not read the team's day


def test_it_tells_a_manager_who_keeps_the_calendar_where_it_is_kept(client, manager, frozen_now):
    html = _page(client, manager)
    assert 'data-testid="keeper"' in html
    assert 'data-testid="overrides-link"' not in html
    assert "调整表在系统管理中维护" in html


def test_it_shows_reception_no_keepers_links(client, reception, frozen_now):
    html = _page(client, reception)
    assert 'data-testid="keeper"' not in html
    assert 'href="/reception/?day=2026-11-27"' in html


@pytest.mark.parametrize("code", ["team_leader", "manager", "reception", "admin"])
def test_it_shows_the_calendar_to_who_reads_or_keeps_it(client, make_persona, frozen_now, code):
    login_as(client, make_persona(code))
    assert client.get(CALENDAR).status_code == 200


@pytest.mark.parametrize("code", ["attendant", "hotline", "client", "outsider"])
def test_it_refuses_the_calendar_to_the_others(client, make_persona, frozen_now, code):
    login_as(client, make_persona(code))
    assert client.get(CALENDAR).status_code == 403


def test_it_draws_a_month_in_bounded_queries(client, reception, frozen_now, django_assert_max_num_queries):
    login_as(client, reception)
    client.get(CALENDAR)
    with django_assert_max_num_queries(9):
        client.get(CALENDAR, {"month": "2026-10"})
