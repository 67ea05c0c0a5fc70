"""The routine standard: the version in force and its history for those who read the team's day; a new
version by a manager, refused (nothing saved) when its times are out of the day's order or without a reason.
Days already planned keep their version."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from huiwu.reception.models import DayPlan, RoutineStandard
from huiwu.reception.services.routine import STANDARD_FIELDS, day_plan_ensure, routine_standard_add
from huiwu.reception.services.standard import routine_standard_current
from huiwu.testing import login_as

STANDARD = reverse("reception:standard")
SEED = {
    "door_open_from": "08:40",
    "door_open_by": "08:45",
    "door_open_until": "09:10",
    "hot_water_by": "09:00",
    "documents_by": "09:30",
    "newspapers_from": "10:30",
    "newspapers_until": "11:00",
    "lunch_at": "11:40",
    "afternoon_duty_at": "13:00",
    "cleaning_from": "16:30",
    "work_ends_at": "17:30",
    "hot_water_pots": "2",
    "reminder_minutes": "10",
}


def _times(**changes):
    values = {name: getattr(routine_standard_current(), name) for name in STANDARD_FIELDS}
    return values | changes


def test_it_adds_a_version_in_force_for_the_days_planned_after_it(db, manager, frozen_now):
    today = day_plan_ensure(date(2026, 11, 26))
    added = routine_standard_add(user=manager, reason="冬季作息", **_times(cleaning_from=time(16, 0)))
    assert (added.changed_by, added.reason, added.cleaning_from) == (manager, "冬季作息", time(16, 0))
    assert routine_standard_current() == added
    today.refresh_from_db()
    assert today.standard != added
    assert day_plan_ensure(date(2026, 11, 27)).standard == added


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"door_open_by": time(8, 30)}, "door_open_by", "不能早于“开办公室门（最早）”（08:40）。"),
        ({"newspapers_until": time(10, 30)}, "newspapers_until", "须晚于“报纸送达开始”（10:30）。"),
        ({"lunch_at": time(10, 50)}, "lunch_at", "不能早于“报纸送达截止”（11:00）。"),
        ({"work_ends_at": time(16, 30)}, "work_ends_at", "须晚于“办公室清洁开始”（16:30）。"),
        ({"hot_water_pots": 0}, "hot_water_pots", "请填写 1 到 20 之间的整数。"),
        ({"reminder_minutes": 241}, "reminder_minutes", "请填写 0 到 240 之间的整数。"),
        ({"lunch_at": "11:40"}, "lunch_at", "请按 HH:MM 格式填写时间（北京时间），如 08:40。"),
        ({"lunch_at": time(11, 40, 30)}, "lunch_at", "请按 HH:MM 格式填写时间（北京时间），如 08:40。"),
    ],
)
def test_it_refuses_a_version_whose_times_are_out_of_order(db, manager, frozen_now, changes, field, message):
    routine_standard_current()
    with pytest.raises(ValidationError) as refused:
        routine_standard_add(user=manager, reason="调整", **_times(**changes))
    assert refused.value.message_dict[field] == [message]
    assert RoutineStandard.objects.count() == 1


def test_it_refuses_a_version_without_a_reason_or_a_time(db, manager, frozen_now):
    times = _times()
    del times["lunch_at"]
    with pytest.raises(ValidationError) as refused:
        routine_standard_add(user=manager, reason="  ", **times)
    assert refused.value.message_dict == {"reason": ["请说明调整作息标准的原因。"], "lunch_at": ["这个字段是必填项。"]}


@pytest.mark.parametrize("code", ["reception", "team_leader", "admin", "outsider"])
def test_it_lets_only_a_manager_add_a_version(db, make_persona, frozen_now, code):
    with pytest.raises(PermissionDenied):
        routine_standard_add(user=make_persona(code), reason="调整", **_times())


# --- the page -----------------------------------------------------------------------------------------


def _page(client, user):
    login_as(client, user)
    return client.get(STANDARD)


@pytest.mark.parametrize("code", ["reception", "team_leader"])
def test_it_shows_the_version_in_force_and_its_history_to_readers_without_a_form(
    client, make_persona, frozen_now, code
):
    response = _page(client, make_persona(code))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="standard-form"' not in html
    assert '报纸送达开始</dt><dd class="mb-0 fw-semibold text-nowrap">10:30</dd>' in html
    assert html.count('data-testid="version"') == 1
    assert client.post(STANDARD, SEED | {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("code", ["attendant", "hotline", "admin", "outsider"])
def test_it_refuses_the_page_to_the_others(client, make_persona, frozen_now, code):
    assert _page(client, make_persona(code)).status_code == 403


def test_it_lets_a_manager_add_a_version_from_the_page(client, manager, frozen_now):
    html = _page(client, manager).content.decode()
    assert 'data-testid="standard-form"' in html
    assert 'value="08:40"' in html
    response = client.post(STANDARD, SEED | {"cleaning_from": "16:00", "reason": "冬季作息"}, follow=True)
    assert response.redirect_chain == [(STANDARD, 302)]
    html = response.content.decode()
    assert "新作息标准已生效" in html
    assert html.count('data-testid="version"') == 2
    assert routine_standard_current().cleaning_from == time(16, 0)


def test_it_shows_a_manager_what_is_wrong_and_saves_nothing(client, manager, frozen_now):
    _page(client, manager)
    response = client.post(STANDARD, SEED | {"lunch_at": "10:50", "door_open_by": "25:00", "reason": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "输入一个有效的时间。" in html
    assert "这个字段是必填项。" in html
    assert RoutineStandard.objects.count() == 1
    response = client.post(STANDARD, SEED | {"lunch_at": "10:50", "reason": "调整"})
    assert "不能早于“报纸送达截止”（11:00）。" in response.content.decode()
    assert RoutineStandard.objects.count() == 1


def test_it_counts_the_days_planned_with_each_version(client, manager, frozen_now):
    day_plan_ensure(date(2026, 11, 26))
    assert "已有 1 天按此版本生成" in _page(client, manager).content.decode()
    assert DayPlan.objects.count() == 1
