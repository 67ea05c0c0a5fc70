"""The task's life through its services: every transition, every refusal, and the rules of its input."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from huiwu.delegations.models import DelegatedTask, DelegationEvent
from huiwu.delegations.services import (
    task_accept,
    task_cancel,
    task_change,
    task_confirm,
    task_cost_record,
    task_create,
    task_dispute,
    task_done,
    task_notice_record,
    task_refuse,
    task_start,
)
from huiwu.directory.models import Contact
from huiwu.feedback.models import FollowUp
from huiwu.meetings.services import meeting_cancel
from huiwu.notify.models import Kind, Notification
from huiwu.testing import at

from .conftest import PLAN

State = DelegatedTask.State


def _actions(task) -> list[str]:
    return list(DelegationEvent.objects.filter(task=task).values_list("action", flat=True))


def _inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind=Kind.DELEGATION).values_list("title", flat=True))


def _state_error(call) -> str:
    with pytest.raises(ValidationError) as raised:
        call()
    assert not hasattr(raised.value, "error_dict"), raised.value
    return raised.value.messages[0]


def _field_errors(call) -> dict:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


# --- recording ----------------------------------------------------------------------------------------


def test_it_records_a_staff_task_accepted_and_tells_the_assignee(task, hotline, attendant, meeting, organization):
    task.refresh_from_db()
    assert task.state == State.ACCEPTED
    assert (task.created_by, task.assignee, task.meeting, task.organization) == (
        hotline,
        attendant,
        meeting,
        organization,
    )
    assert task.budget == Decimal("300.00")
    assert _actions(task) == ["recorded"]
    assert _inbox(attendant) == ["Delegated task for you: 代购水果"]
    assert _inbox(hotline) == []


def test_it_takes_the_organization_from_the_contact_or_the_meeting(record, organization, meeting):
    contact = Contact.objects.create(organization=organization, name="周敏")
    assert (
        record(requester_name="", requester_contact=contact, organization=None, meeting=None).organization
        == organization
    )
    assert record(organization=None).organization == meeting.organizer


def test_it_records_a_clients_request_for_their_organization_and_tells_the_hotline(
    client_contact, hotline, meeting, organization
):
    task = task_create(
        user=client_contact, title="打印会议材料", quantity="30 份", due_at=at("2026-11-26 12:00"), meeting=meeting
    )
    assert task.state == State.REQUESTED
    assert (task.organization, task.requester_contact, task.requester_name) == (organization, None, "client 测试")
    assert _actions(task) == ["requested"]
    assert _inbox(hotline) == ["Delegated task requested: 打印会议材料"]


def test_it_names_the_clients_own_contact_as_who_asked(client_contact, organization):
    contact = Contact.objects.create(organization=organization, name="周敏", user=client_contact)
    task = task_create(user=client_contact, title="代购鲜花", due_at=at("2026-11-26 12:00"))
    assert (task.requester_contact, task.requester_name) == (contact, "")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"assignee": "attendant"}, "assignee"),
        ({"service_plan": "随便"}, "service_plan"),
        ({"meeting": "foreign"}, "meeting"),
        ({"organization": "foreign"}, "organization"),
        ({"requester_name": "王主任"}, "requester_name"),
    ],
)
def test_it_keeps_a_client_to_their_own_part(client_contact, attendant, book, other_room, change, field, frozen_now):
    from huiwu.directory.models import Organization

    values = {"title": "代购水果", "due_at": at("2026-11-26 12:00")}
    if change.get("assignee"):
        values["assignee"] = attendant
    elif "service_plan" in change:
        values["service_plan"] = change["service_plan"]
    elif "organization" in change:
        values["organization"] = Organization.objects.create(name="别家")
    elif "requester_name" in change:
        values["requester_name"] = change["requester_name"]
    else:
        values["meeting"] = book(
            "2026-11-26 14:00", "15:00", room=other_room, organizer=Organization.objects.create(name="别家")
        )
    assert field in _field_errors(lambda: task_create(user=client_contact, **values))
    assert not DelegatedTask.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": "  "}, "title", "Say what is to be done"),
        ({"title": "长" * 201}, "title", "At most 200 characters."),
        ({"title": "a\x00b"}, "title", "not allowed"),
        ({"requester_name": ""}, "requester_name", "Say who asked"),
        ({"budget": Decimal("-1")}, "budget", "cannot be negative"),
        ({"budget": Decimal("1.005")}, "budget", "at most two decimal places"),
        ({"budget": Decimal("100000000")}, "budget", "at most 99999999.99 yuan"),
        ({"budget": "lots"}, "budget", "Enter an amount"),
        ({"due_at": None}, "due_at", "Say by when"),
        ({"due_at": at("2026-11-26 07:58")}, "due_at", "already passed"),
        ({"kind": "gift"}, "kind", "Choose a purchase"),
        ({"details": "x" * 2001}, "details", "At most 2000 characters."),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(record, change, field, message):
    errors = _field_errors(lambda: record(**change))
    assert message in " ".join(errors[field]), errors
    assert not DelegatedTask.objects.exists()


def test_it_accepts_a_due_time_a_minute_ago_as_clock_skew(record):
    assert record(due_at=at("2026-11-26 07:59")).due_at == at("2026-11-26 07:59")


def test_it_refuses_a_meeting_that_no_longer_takes_place(record, meeting, hotline):
    meeting_cancel(user=hotline, meeting=meeting, reason="改期")
    assert "cancelled or rejected" in _field_errors(lambda: record())["meeting"][0]


def test_it_refuses_a_meeting_of_another_organization_than_the_tasks(record, meeting, other_client):
    errors = _field_errors(lambda: record(organization=other_client.organization))
    assert "another organization" in errors["meeting"][0]


def test_it_refuses_an_assignee_who_does_not_do_tasks(record, client_contact, security_officer):
    for person in (client_contact, security_officer):
        assert "Choose an active member of staff" in _field_errors(lambda p=person: record(assignee=p))["assignee"][0]


def test_it_refuses_an_assignee_who_may_not_see_the_confidential_meeting(record, book, manager, other_room):
    secret = book("2026-11-26 14:00", "15:00", room=other_room, confidentiality=1, user=manager)
    errors = _field_errors(lambda: record(user=manager, meeting=secret))
    assert "may not see this confidential meeting" in errors["assignee"][0]


@pytest.mark.parametrize("persona", ["attendant", "security_officer", "outsider"])
def test_it_lets_only_booking_staff_and_clients_record_tasks(record, request, persona):
    with pytest.raises(PermissionDenied):
        record(user=request.getfixturevalue(persona))


# --- the work -----------------------------------------------------------------------------------------


def test_it_accepts_a_request_and_gives_it_to_someone(client_contact, hotline, attendant):
    request = task_create(user=client_contact, title="打印会议材料", due_at=at("2026-11-26 12:00"))
    task_accept(user=hotline, task=request, assignee=attendant)
    request.refresh_from_db()
    assert (request.state, request.assignee) == (State.ACCEPTED, attendant)
    assert _inbox(attendant) == ["Delegated task for you: 打印会议材料"]
    message = _state_error(lambda: task_accept(user=hotline, task=request))
    assert message == "This task is accepted and not yet started: accepting it is no longer possible."


def test_it_marks_a_task_done_as_awaiting_the_client_not_complete(task, attendant, client_contact, hotline):
    task_start(user=attendant, task=task)
    assert task.state == State.IN_PROGRESS
    done = task_done(user=attendant, task=task, actual_cost=Decimal("268.5"), note="分三批摆放")
    done.refresh_from_db()
    assert done.state == State.AWAITING_CLIENT
    assert not done.is_complete
    assert (done.done_at, done.done_by, done.actual_cost, done.done_note) == (
        at("2026-11-26 08:00"),
        attendant,
        Decimal("268.50"),
        "分三批摆放",
    )
    assert _actions(done) == ["recorded", "started", "done", "cost"]
    [notice] = Notification.objects.filter(recipient=client_contact)
    assert (notice.title, notice.body) == ("Please confirm: 代购水果 is done", f"Service plan: {PLAN}")
    assert notice.url == f"/delegations/{task.pk}/"


def test_it_asks_the_requesting_contacts_account_to_confirm_too(record, organization, attendant, client_contact):
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert

    other_org_account = user_upsert(username="zm", password="x" * 12, display_name="周敏", roles=[Role.CLIENT])
    contact = Contact.objects.create(organization=organization, name="周敏", user=other_org_account)
    task = record(requester_name="", requester_contact=contact)
    task_done(user=attendant, task=task)
    assert Notification.objects.filter(recipient__in=[client_contact, other_org_account]).count() == 2


def test_it_lets_whoever_does_an_unassigned_task_be_its_assignee(record, team_leader):
    task = task_done(user=team_leader, task=record(assignee=None))
    assert (task.assignee, task.done_by) == (team_leader, team_leader)


def test_it_refuses_marking_done_twice(done, attendant):
    message = _state_error(lambda: task_done(user=attendant, task=done))
    assert message == "This task is done and awaits the client's confirmation: marking it done is no longer possible."
    assert _actions(done).count("done") == 1


def test_it_lets_only_the_assignee_or_booking_staff_do_the_work(task, env_supervisor, client_contact):
    for person in (env_supervisor, client_contact):
        with pytest.raises(PermissionDenied):
            task_done(user=person, task=task)
    task.refresh_from_db()
    assert task.state == State.ACCEPTED


# --- the client's answer ------------------------------------------------------------------------------


def test_it_completes_a_task_the_client_confirms(done, client_contact, attendant):
    task_confirm(user=client_contact, task=done)
    done.refresh_from_db()
    assert (done.state, done.confirmed_by, done.confirmed_at) == (
        State.CONFIRMED,
        client_contact,
        at("2026-11-26 08:00"),
    )
    assert done.is_complete
    assert "The client confirmed: 代购水果" in _inbox(attendant)


def test_it_applies_a_double_tap_once(done, client_contact):
    task_confirm(user=client_contact, task=done)
    message = _state_error(lambda: task_confirm(user=client_contact, task=done))
    assert message == "This task was already confirmed by the client: confirming it is no longer possible."
    assert _actions(done).count("confirmed") == 1


def test_it_refuses_marking_a_confirmed_task_done_in_chinese(done, client_contact, attendant):
    task_confirm(user=client_contact, task=done)
    with translation.override("zh-hans"):
        assert _state_error(lambda: task_done(user=attendant, task=done)) == "此事务已由客户确认，不能再标记完成。"


def test_it_says_what_is_not_possible_yet(task, client_contact):
    message = _state_error(lambda: task_confirm(user=client_contact, task=task))
    assert message == "This task is accepted and not yet started: confirming it is not possible yet."


@pytest.mark.parametrize("persona", ["hotline", "manager", "attendant", "other_client"])
def test_it_lets_no_one_but_the_organizations_client_confirm(done, request, persona):
    with pytest.raises(PermissionDenied):
        task_confirm(user=request.getfixturevalue(persona), task=done)
    done.refresh_from_db()
    assert done.state == State.AWAITING_CLIENT


def test_it_completes_a_task_with_a_recorded_notice(done, hotline):
    notice = task_notice_record(
        user=hotline,
        task=done,
        method="phone",
        notified_at=at("2026-11-26 08:00"),
        notified_person="会议主持 李小姐",
        client_answer="知道了，谢谢",
    )
    done.refresh_from_db()
    assert done.state == State.NOTIFIED
    assert done.is_complete
    assert (notice.method, notice.notified_by, notice.notified_person) == ("phone", hotline, "会议主持 李小姐")
    [event] = DelegationEvent.objects.filter(task=done, action="notified")
    assert event.note == "Phone, 2026-11-26 08:00; To 会议主持 李小姐; Answer: 知道了，谢谢"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"method": "fax"}, "method", "Choose how the client was notified"),
        ({"notified_at": None}, "notified_at", "Say when"),
        ({"notified_at": at("2026-11-26 08:02")}, "notified_at", "cannot be in the future"),
        ({"notified_at": at("2026-11-26 07:59")}, "notified_at", "before the task was done (2026-11-26 08:00)"),
        ({"notified_person": "x" * 101}, "notified_person", "At most 100 characters."),
    ],
)
def test_it_refuses_a_bad_notice_and_saves_nothing(done, hotline, change, field, message):
    values = {"method": "phone", "notified_at": at("2026-11-26 08:00")} | change
    errors = _field_errors(lambda: task_notice_record(user=hotline, task=done, **values))
    assert message in errors[field][0], errors
    done.refresh_from_db()
    assert (done.state, done.notices.count()) == (State.AWAITING_CLIENT, 0)


def test_it_refuses_a_notice_before_the_task_is_done_or_once_it_is_complete(task, hotline, attendant, client_contact):
    values = {"method": "phone", "notified_at": at("2026-11-26 08:00")}
    assert "not possible yet" in _state_error(lambda: task_notice_record(user=hotline, task=task, **values))
    task_done(user=attendant, task=task)
    task_confirm(user=client_contact, task=task)
    assert "no longer possible" in _state_error(lambda: task_notice_record(user=hotline, task=task, **values))


def test_it_lets_only_booking_staff_record_a_notice(done, attendant):
    with pytest.raises(PermissionDenied):
        task_notice_record(user=attendant, task=done, method="phone", notified_at=at("2026-11-26 08:00"))


def test_it_opens_a_follow_up_when_the_client_disputes_and_staff_do_it_again(done, client_contact, attendant):
    task_dispute(user=client_contact, task=done, note="  水果太少了  ")
    done.refresh_from_db()
    assert done.state == State.DISPUTED
    follow_up = FollowUp.objects.get()
    assert (follow_up.source, follow_up.task, follow_up.client_note) == ("task_dispute", done, "水果太少了")
    assert (follow_up.meeting, follow_up.organization) == (done.meeting, done.organization)
    assert "The client disputed: 代购水果" in _inbox(attendant)
    task_start(user=attendant, task=done)
    task_done(user=attendant, task=done, note="已补充水果")
    done.refresh_from_db()
    assert done.state == State.AWAITING_CLIENT
    assert _actions(done)[-3:] == ["disputed", "started", "done"]


def test_it_needs_a_note_to_dispute(done, client_contact):
    assert (
        "Say what is wrong" in _field_errors(lambda: task_dispute(user=client_contact, task=done, note=" "))["note"][0]
    )
    assert not FollowUp.objects.exists()


def test_it_lets_a_notified_client_still_dispute_but_not_a_confirmed_one(done, hotline, client_contact):
    task_notice_record(user=hotline, task=done, method="wecom", notified_at=at("2026-11-26 08:00"))
    task_dispute(user=client_contact, task=done, note="横幅有错字")
    assert done.state == State.DISPUTED
    task_notice_record(user=hotline, task=done, method="phone", notified_at=at("2026-11-26 08:00"))
    assert done.state == State.NOTIFIED


def test_it_refuses_disputing_a_confirmed_task(done, client_contact):
    task_confirm(user=client_contact, task=done)
    assert "no longer possible" in _state_error(lambda: task_dispute(user=client_contact, task=done, note="x"))


# --- refusing, cancelling, changing -------------------------------------------------------------------


def test_it_refuses_a_request_with_its_reason_and_tells_the_client(client_contact, hotline):
    request = task_create(user=client_contact, title="代购香烟", due_at=at("2026-11-26 12:00"))
    task_refuse(user=hotline, task=request, reason=" 不在服务范围 ")
    request.refresh_from_db()
    assert (request.state, request.closed_by, request.closed_reason) == (State.REFUSED, hotline, "不在服务范围")
    assert _inbox(client_contact) == ["Refused: 代购香烟"]
    assert "no longer possible" in _state_error(lambda: task_accept(user=hotline, task=request))


@pytest.mark.parametrize("call", [task_refuse, task_cancel])
def test_it_needs_a_reason_to_refuse_or_cancel(task, hotline, call):
    assert "Give a reason" in _field_errors(lambda: call(user=hotline, task=task, reason=""))["reason"][0]
    task.refresh_from_db()
    assert task.state == State.ACCEPTED


def test_it_lets_a_client_cancel_their_request_until_it_is_accepted(client_contact, hotline):
    request = task_create(user=client_contact, title="打印会议材料", due_at=at("2026-11-26 12:00"))
    other = task_create(user=client_contact, title="代购鲜花", due_at=at("2026-11-26 12:00"))
    task_cancel(user=client_contact, task=request, reason="不需要了")
    assert request.state == State.CANCELLED
    assert "Cancelled: 打印会议材料" in list(
        Notification.objects.filter(recipient=hotline).values_list("title", flat=True)
    )
    task_accept(user=hotline, task=other)
    with pytest.raises(PermissionDenied):
        task_cancel(user=client_contact, task=other, reason="不需要了")


def test_it_lets_staff_cancel_until_the_task_is_done(task, done, hotline, record):
    assert "no longer possible" in _state_error(lambda: task_cancel(user=hotline, task=done, reason="x"))
    other = record(title="制作横幅")
    task_cancel(user=hotline, task=other, reason="客户取消")
    assert other.state == State.CANCELLED


def test_it_records_the_cost_later_but_not_of_a_cancelled_task(done, attendant, hotline, record):
    task_cost_record(user=attendant, task=done, actual_cost=Decimal("270"))
    done.refresh_from_db()
    assert done.actual_cost == Decimal("270.00")
    assert (
        "Enter an amount"
        in _field_errors(lambda: task_cost_record(user=attendant, task=done, actual_cost=None))["actual_cost"][0]
    )
    cancelled = task_cancel(user=hotline, task=record(title="制作横幅"), reason="x")
    assert "no longer possible" in _state_error(
        lambda: task_cost_record(user=hotline, task=cancelled, actual_cost=Decimal("1"))
    )


def test_it_changes_a_task_writing_the_history_and_telling_a_new_assignee(task, hotline, reception):
    task_change(user=hotline, task=task, budget=Decimal("320"), assignee=reception, due_at=at("2026-11-26 13:00"))
    task.refresh_from_db()
    assert (task.budget, task.assignee, task.due_at) == (Decimal("320.00"), reception, at("2026-11-26 13:00"))
    event = DelegationEvent.objects.get(task=task, action="changed")
    assert event.note == (
        "Budget (yuan): 300.00 → 320.00; Done by: attendant 测试 → reception 测试; "
        "Due at: 2026-11-26 13:30 → 2026-11-26 13:00"
    )
    assert _inbox(reception) == ["Delegated task for you: 代购水果"]


def test_it_writes_nothing_for_a_change_that_changes_nothing(task, hotline):
    task_change(user=hotline, task=task, budget=Decimal("300.00"), title="代购水果")
    assert _actions(task) == ["recorded"]


def test_it_keeps_a_due_time_already_passed_when_it_is_not_changed(task, hotline, frozen_now):
    frozen_now.move_to(at("2026-11-26 14:00"))
    task_change(user=hotline, task=task, due_at=at("2026-11-26 13:30"), quantity="6 公斤")
    assert task.quantity == "6 公斤"
    assert (
        "already passed"
        in _field_errors(lambda: task_change(user=hotline, task=task, due_at=at("2026-11-26 13:45")))["due_at"][0]
    )


def test_it_refuses_changing_a_complete_task(done, hotline, client_contact):
    task_confirm(user=client_contact, task=done)
    assert "changing it is no longer possible" in _state_error(lambda: task_change(user=hotline, task=done, title="x"))


def test_it_asks_the_client_to_confirm_in_the_site_language(task, attendant, client_contact, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    task_done(user=attendant, task=task)
    notice = Notification.objects.get(recipient=client_contact)
    assert (notice.title, notice.body) == ("请确认：代购水果已完成", f"服务方案：{PLAN}")
