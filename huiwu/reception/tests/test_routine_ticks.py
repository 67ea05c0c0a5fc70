"""Ticking the day's items: one tap by a reception attendant, today's items only, once, not before they can
be done, and never while the register an item stands for still holds something. Each tick is a journal line.
The day (Thursday 2026-11-26) is planned at 08:00; the door can be ticked from 08:35 (its reminder)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huiwu.reception.models import JournalEntry, RoutineItem
from huiwu.reception.selectors import day as day_selectors
from huiwu.reception.services.routine import day_plan_ensure, routine_item_complete, routine_item_done
from huiwu.testing import at

THURSDAY = date(2026, 11, 26)


@pytest.fixture
def plan(db, frozen_now):
    return day_plan_ensure(THURSDAY)


def _item(plan, code) -> RoutineItem:
    return plan.items.get(code=code)


def _refusal(**kwargs) -> str:
    with pytest.raises(ValidationError) as refused:
        routine_item_done(**kwargs)
    return " ".join(refused.value.messages)


def test_it_ticks_an_item_with_one_tap_and_writes_the_journal(plan, reception, frozen_now):
    frozen_now.move_to(at("2026-11-26 08:42"))
    done = routine_item_done(user=reception, item=_item(plan, "door"))
    door = _item(plan, "door")
    assert (door.done_at, door.done_by, door.note) == (at("2026-11-26 08:42"), reception, "")
    assert done == door
    [line] = JournalEntry.objects.all()
    assert (line.author, line.source, line.day, line.at) == (reception, "routine", THURSDAY, at("2026-11-26 08:42"))
    assert line.text == "打开七楼礼仪接待组办公室门：已完成。"
    assert line.url == "/reception/?day=2026-11-26"


def test_it_refuses_an_item_of_a_day_gone_by(reception, frozen_now):
    wednesday = day_plan_ensure(date(2026, 11, 25))
    message = _refusal(user=reception, item=_item(wednesday, "door"))
    assert message == "这是11月25日的事项，当天已过，只能勾选今天的事项。"
    assert not RoutineItem.objects.filter(done_at__isnull=False).exists()
    assert not JournalEntry.objects.exists()


def test_it_refuses_an_item_of_a_day_to_come(reception, frozen_now):
    friday = day_plan_ensure(date(2026, 11, 27))
    assert _refusal(user=reception, item=_item(friday, "door")) == "这是11月27日的事项，到当天才能勾选。"


def test_it_refuses_a_second_tick_naming_who_did_it_and_when(plan, reception, frozen_now):
    frozen_now.move_to(at("2026-11-26 08:42"))
    routine_item_done(user=reception, item=_item(plan, "door"))
    colleague = _colleague()
    frozen_now.move_to(at("2026-11-26 08:50"))
    assert _refusal(user=colleague, item=_item(plan, "door")) == "reception 测试已于 08:42 完成。"
    assert JournalEntry.objects.count() == 1


def _colleague():
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert

    return user_upsert(username="reception2", password="x" * 12, display_name="王芳", roles=[Role.RECEPTION])


@pytest.mark.parametrize(("when", "refused"), [("2026-11-26 08:34", True), ("2026-11-26 08:35", False)])
def test_it_refuses_an_item_before_it_can_be_done(plan, reception, frozen_now, when, refused):
    frozen_now.move_to(at(when))
    if refused:
        assert _refusal(user=reception, item=_item(plan, "door")) == "还不能勾选：08:35 起可以完成。"
    else:
        assert routine_item_done(user=reception, item=_item(plan, "door")).done_at == at(when)


def test_it_lets_the_afternoon_duty_be_ticked_from_its_reminder(plan, reception, frozen_now):
    frozen_now.move_to(at("2026-11-26 12:49"))
    assert "12:50" in _refusal(user=reception, item=_item(plan, "afternoon_duty"))
    frozen_now.move_to(at("2026-11-26 12:50"))
    assert routine_item_done(user=reception, item=_item(plan, "afternoon_duty")).done_at == at("2026-11-26 12:50")


@pytest.mark.parametrize(
    ("code", "selector", "when"),
    [
        ("documents", "documents_outstanding", "2026-11-26 09:00"),
        ("newspapers", "newspapers_outstanding", "2026-11-26 10:40"),
        ("lunch", "lunch_outstanding", "2026-11-26 11:30"),
        ("cleaning", "cleaning_outstanding", "2026-11-26 17:00"),
    ],
)
def test_it_refuses_an_item_while_its_register_holds_something(
    plan, reception, frozen_now, monkeypatch, code, selector, when
):
    asked = []

    def outstanding(day):
        asked.append(day)
        return ["7楼 705室 吴晓峰", "7楼 706室 周国庆"]

    monkeypatch.setattr(day_selectors, selector, outstanding)
    frozen_now.move_to(at(when))
    message = _refusal(user=reception, item=_item(plan, code))
    assert message == "尚未完成，还有：7楼 705室 吴晓峰；7楼 706室 周国庆。"
    assert asked == [THURSDAY]
    assert _item(plan, code).done_at is None
    monkeypatch.setattr(day_selectors, selector, lambda day: [])
    assert routine_item_done(user=reception, item=_item(plan, code)).done_by == reception


def test_it_refuses_the_grooming_item_until_the_attendants_own_self_check(plan, reception, frozen_now, monkeypatch):
    checked = []
    monkeypatch.setattr(
        day_selectors, "grooming_outstanding", lambda day, user: [] if user in checked else ["仪容仪表自查"]
    )
    frozen_now.move_to(at("2026-11-26 08:41"))
    assert _refusal(user=reception, item=_item(plan, "grooming")) == "尚未完成，还有：仪容仪表自查。"
    checked.append(reception)
    assert routine_item_done(user=reception, item=_item(plan, "grooming")).done_at == at("2026-11-26 08:41")


def test_it_does_a_missed_item_late_with_a_note(plan, reception, frozen_now):
    frozen_now.move_to(at("2026-11-26 09:05"))
    routine_item_done(user=reception, item=_item(plan, "door"), note="电梯故障，晚到")
    door = _item(plan, "door")
    assert (door.done_at, door.note) == (at("2026-11-26 09:05"), "电梯故障，晚到")
    assert (
        JournalEntry.objects.get().text == "打开七楼礼仪接待组办公室门：逾期完成（应于 08:45 前）。备注：电梯故障，晚到"
    )


@pytest.mark.parametrize("code", ["team_leader", "manager", "attendant", "outsider"])
def test_it_lets_only_reception_tick(plan, make_persona, frozen_now, code):
    frozen_now.move_to(at("2026-11-26 08:42"))
    with pytest.raises(PermissionDenied):
        routine_item_done(user=make_persona(code), item=_item(plan, "door"))
    assert _item(plan, "door").done_at is None


@pytest.mark.parametrize(
    ("note", "message"),
    [("x" * 201, "最多 200 个字符。"), ("开门\x00", "请删除其中的控制字符或文字方向字符，这些字符无法保存。")],
    ids=["too long", "control character"],
)
def test_it_refuses_a_note_it_cannot_keep(plan, reception, frozen_now, note, message):
    frozen_now.move_to(at("2026-11-26 08:42"))
    with pytest.raises(ValidationError) as refused:
        routine_item_done(user=reception, item=_item(plan, "door"), note=note)
    assert refused.value.message_dict == {"note": [message]}
    assert _item(plan, "door").done_at is None


def test_it_completes_an_item_for_its_register_once(plan, reception):
    done = routine_item_complete(day=THURSDAY, code="newspapers", user=reception, at=at("2026-11-26 10:55"))
    assert (done.done_at, done.done_by) == (at("2026-11-26 10:55"), reception)
    assert routine_item_complete(day=THURSDAY, code="newspapers", user=reception) is None
    assert _item(plan, "newspapers").done_at == at("2026-11-26 10:55")
    [line] = JournalEntry.objects.all()
    assert (line.at, line.text) == (at("2026-11-26 10:55"), "分送报纸：已完成。")


def test_it_completes_nothing_on_a_day_without_a_timeline(db, reception, frozen_now):
    assert routine_item_complete(day=date(2026, 10, 1), code="newspapers", user=reception) is None
    assert not JournalEntry.objects.exists()
