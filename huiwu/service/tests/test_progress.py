"""A meeting's service progress as its client follows it (服务进度, service.selectors.meeting_progress): what was
done, in time order, then what is to come, and nothing staff-internal."""

from dataclasses import astuple

import pytest
import time_machine
from django.utils import translation

from huiwu.meetings.services import meeting_cancel, meeting_confirm, meeting_create, meeting_reject, meeting_update
from huiwu.service.models import CheckRecord
from huiwu.service.selectors import meeting_progress
from huiwu.service.services import check_confirm, meeting_end, meeting_start, refill_record
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def requester(client_contact, organization):
    client_contact.organization = organization
    client_contact.save()
    return client_contact


@pytest.fixture
def request_made(requester, draft, frozen_now):
    """A client's request at 2026-11-26 08:00 for a meeting on 2026-11-27, 09:00–10:00."""
    return meeting_create(user=requester, draft=draft())


@pytest.fixture
def confirmed(request_made, hotline, frozen_now):
    frozen_now.move_to(at("2026-11-26 08:20"))
    meeting_confirm(user=hotline, meeting=request_made)
    return request_made


def _steps(meeting) -> list[tuple]:
    return [(step.key, step.label, step.at, step.done, step.detail) for step in meeting_progress(meeting)]


def _keys(meeting) -> list[tuple[str, bool]]:
    return [(step.key, step.done) for step in meeting_progress(meeting)]


def _text(meeting) -> str:
    return " ".join(str(value) for step in meeting_progress(meeting) for value in astuple(step))


def test_it_shows_a_request_submitted_and_everything_still_to_come(request_made):
    assert _steps(request_made) == [
        ("requested", "已提交申请", at("2026-11-26 08:00"), True, ""),
        ("confirmed", "申请确认", None, False, "待服务热线确认"),
        ("assigned", "安排服务人员", None, False, ""),
        ("check_1", "一级检查", at("2026-11-27 07:00"), False, "会前 2 小时"),
        ("check_2", "二级检查", at("2026-11-27 08:00"), False, "会前 1 小时"),
        ("check_3", "三级检查", at("2026-11-27 08:30"), False, "会前 30 分钟"),
        ("started", "会议开始", at("2026-11-27 09:00"), False, ""),
        ("ended", "会议结束", at("2026-11-27 10:00"), False, ""),
    ]


def test_it_signs_the_confirmation_with_the_role_not_the_name(confirmed, hotline):
    [requested, confirmation] = meeting_progress(confirmed)[:2]
    assert (requested.key, confirmation.key, confirmation.label) == ("requested", "confirmed", "申请已确认")
    assert (confirmation.at, confirmation.done, confirmation.detail) == (at("2026-11-26 08:20"), True, "由服务热线确认")
    assert str(hotline) not in _text(confirmed)


def test_it_signs_a_confirmation_by_a_manager_with_the_managers_role(request_made, manager):
    meeting_confirm(user=manager, meeting=request_made)
    assert meeting_progress(request_made)[1].detail == "由服务中心经理确认"


def test_it_shows_a_staff_booking_as_confirmed_when_booked(book, frozen_now):
    meeting = book()
    [booking, *_rest] = meeting_progress(meeting)
    assert (booking.key, booking.label, booking.at, booking.done) == (
        "confirmed",
        "预订已确认",
        at("2026-11-26 08:00"),
        True,
    )
    assert booking.detail == "由服务热线预订"


def test_it_names_who_serves_the_lead_first(confirmed, assign, attendant, team_leader, frozen_now):
    frozen_now.move_to(at("2026-11-26 09:00"))
    assign(confirmed, team_leader, duty="helper")
    frozen_now.move_to(at("2026-11-26 09:30"))
    assign(confirmed, attendant)
    [step] = [step for step in meeting_progress(confirmed) if step.key == "assigned"]
    assert (step.label, step.at, step.done) == ("服务人员已安排", at("2026-11-26 09:00"), True)
    assert step.detail == "attendant 测试（主责）、team_leader 测试"


def test_it_shows_a_level_only_once_confirmed_with_the_time_of_its_confirmation(confirmed, assign, ok, team_leader):
    assign(confirmed)
    assert ("check_1", False) in _keys(confirmed)
    with time_machine.travel(at("2026-11-27 06:41"), tick=False):
        check_confirm(user=team_leader, meeting=confirmed, level=1, results=ok(confirmed, 1))
        steps = {step.key: step for step in meeting_progress(confirmed)}
    assert (steps["check_1"].label, steps["check_1"].at, steps["check_1"].done) == (
        "一级检查已确认",
        at("2026-11-27 06:41"),
        True,
    )
    assert steps["check_1"].detail == ""
    assert not steps["check_2"].done


def test_it_never_shows_the_checklist_answers_notes_or_problems_of_a_check(confirmed, assign, ok, team_leader):
    assign(confirmed)
    answers = ok(confirmed, 1)
    failed_item = next(iter(answers))
    with time_machine.travel(at("2026-11-27 06:45"), tick=False):
        check_confirm(
            user=team_leader,
            meeting=confirmed,
            level=1,
            results=answers | {failed_item: False},
            notes="茶杯有破损，正在更换",
        )
        assert CheckRecord.objects.get().action == CheckRecord.Action.FAILED
        # A problem reported is not a step done: the level stays "to come", with its due time only.
        [check] = [step for step in meeting_progress(confirmed) if step.key == "check_1"]
        assert (check.label, check.done, check.at, check.detail) == (
            "一级检查",
            False,
            at("2026-11-27 07:00"),
            "会前 2 小时",
        )
        text = _text(confirmed)
        assert "茶杯" not in text
        assert failed_item not in text
        assert "问题" not in text
    with time_machine.travel(at("2026-11-27 06:55"), tick=False):
        check_confirm(user=team_leader, meeting=confirmed, level=1, results=answers, notes="已更换茶杯")
        text = _text(confirmed)
    assert "一级检查已确认" in text
    assert "茶杯" not in text
    assert failed_item not in text


@pytest.mark.parametrize(("now", "checks_to_come"), [("08:59", True), ("09:00", False), ("09:01", False)])
def test_it_shows_checks_to_come_only_before_the_start(confirmed, frozen_now, now, checks_to_come):
    frozen_now.move_to(at(f"2026-11-27 {now}"))
    keys = _keys(confirmed)
    assert (("check_3", False) in keys) is checks_to_come
    assert (("assigned", False) in keys) is checks_to_come
    assert ("started", False) in keys


@pytest.mark.parametrize(("now", "to_come"), [("09:59", True), ("10:00", False), ("10:01", False)])
def test_it_owes_no_start_or_end_once_the_meeting_is_over_by_the_clock(confirmed, frozen_now, now, to_come):
    frozen_now.move_to(at(f"2026-11-27 {now}"))
    keys = _keys(confirmed)
    assert (("started", False) in keys) is to_come
    assert (("ended", False) in keys) is to_come


def test_it_shows_the_start_each_refill_and_the_end_at_their_actual_times(
    confirmed, assign, attendant, confirm, frozen_now
):
    assign(confirmed)
    for level in (1, 2, 3):
        confirm(confirmed, level)
    frozen_now.move_to(at("2026-11-27 09:03"))
    meeting_start(user=attendant, meeting=confirmed)
    frozen_now.move_to(at("2026-11-27 09:20"))
    refill_record(user=attendant, meeting=confirmed)
    frozen_now.move_to(at("2026-11-27 09:42"))
    refill_record(user=attendant, meeting=confirmed)
    steps = meeting_progress(confirmed)
    assert [(step.key, step.label, step.at) for step in steps if step.done][-3:] == [
        ("started", "会议开始", at("2026-11-27 09:03")),
        ("refill_1", "第 1 次续水", at("2026-11-27 09:20")),
        ("refill_2", "第 2 次续水", at("2026-11-27 09:42")),
    ]
    # The third refill's window is open: the client is not shown it (nor whether it will be late).
    assert [(step.key, step.at, step.done) for step in steps if not step.done] == [
        ("ended", at("2026-11-27 10:00"), False)
    ]
    frozen_now.move_to(at("2026-11-27 10:07"))
    meeting_end(user=attendant, meeting=confirmed)
    steps = meeting_progress(confirmed)
    assert all(step.done for step in steps)
    assert (steps[-1].key, steps[-1].at) == ("ended", at("2026-11-27 10:07"))
    assert [step.at for step in steps] == sorted(step.at for step in steps)


def test_it_puts_the_done_steps_in_time_order(confirmed, assign, confirm, frozen_now):
    frozen_now.move_to(at("2026-11-27 06:00"))
    assign(confirmed)
    confirm(confirmed, 1)
    keys = [key for key, done in _keys(confirmed) if done]
    assert keys == ["requested", "confirmed", "assigned", "check_1"]


def test_it_shows_a_rejection_with_its_reason_and_nothing_to_come(request_made, hotline, frozen_now):
    frozen_now.move_to(at("2026-11-26 09:10"))
    meeting_reject(user=hotline, meeting=request_made, reason="会议室检修")
    assert _steps(request_made) == [
        ("requested", "已提交申请", at("2026-11-26 08:00"), True, ""),
        ("rejected", "已拒绝", at("2026-11-26 09:10"), True, "会议室检修"),
    ]


def test_it_shows_a_cancellation_after_what_was_done_and_nothing_to_come(
    confirmed, assign, confirm, requester, frozen_now
):
    assign(confirmed)
    confirm(confirmed, 1)
    frozen_now.move_to(at("2026-11-27 07:30"))
    meeting_cancel(user=requester, meeting=confirmed, reason="领导临时出差")
    steps = meeting_progress(confirmed)
    assert all(step.done for step in steps)
    assert [step.key for step in steps] == ["requested", "confirmed", "assigned", "check_1", "cancelled"]
    assert (steps[-1].label, steps[-1].detail) == ("已取消", "领导临时出差")


def test_it_waits_for_confirmation_again_after_the_client_moves_the_meeting(confirmed, requester, draft, frozen_now):
    meeting_update(user=requester, meeting=confirmed, draft=draft("2026-11-27 14:00", "15:00"))
    confirmed.refresh_from_db()
    steps = {step.key: step for step in meeting_progress(confirmed)}
    assert (steps["confirmed"].done, steps["confirmed"].detail) == (False, "待服务热线确认")
    assert (steps["check_1"].at, steps["check_1"].done) == (at("2026-11-27 12:00"), False)


def test_it_reads_the_progress_in_a_fixed_number_of_queries(
    confirmed, assign, attendant, team_leader, confirm, frozen_now, django_assert_num_queries
):
    assign(confirmed)
    for level in (1, 2, 3):
        confirm(confirmed, level)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=confirmed)
    frozen_now.move_to(at("2026-11-27 09:17"))
    refill_record(user=attendant, meeting=confirmed)

    def count():
        fresh = type(confirmed).objects.get(pk=confirmed.pk)
        with django_assert_num_queries(6):
            meeting_progress(fresh)

    count()
    assign(confirmed, team_leader, duty="helper")
    frozen_now.move_to(at("2026-11-27 09:40"))
    refill_record(user=attendant, meeting=confirmed)
    count()
