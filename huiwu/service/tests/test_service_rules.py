"""Service that follows the rules (issue 11, DESIGN §4.1, §4.2): only who serves a meeting records its service;
a start with levels unconfirmed is an exception the manager hears of; a refill before its window needs a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.notify.models import Kind, Notification
from huiwu.service.models import ChecklistTick, Refill, ServiceLogEntry
from huiwu.service.services import meeting_end, meeting_start, refill_record
from huiwu.service.standards import standard_current
from huiwu.testing import at, login_as

NOT_YOURS = "只有本会议的服务人员、会务服务组长和服务中心经理可以记录。"


@pytest.fixture
def colleague(db):
    """Another attendant: the one who serves the meeting while `attendant` serves none."""
    return user_upsert(username="att2", password="x" * 12, display_name="马丽", roles=[Role.ATTENDANT])


@pytest.fixture
def meeting(book, assign, colleague):
    """2026-11-27 09:00–11:00 (winter: refill 1 at 09:15–09:20), served by the colleague only."""
    meeting = book("2026-11-27 09:00", "11:00", title="党组会")
    assign(meeting, colleague)
    return meeting


@pytest.fixture
def running(meeting, frozen_now, colleague):
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=colleague, meeting=meeting)
    return meeting


def _message(refused) -> str:
    return " ".join(refused.value.messages)


# --- who records the service ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("start", None),
        ("checklist", {"phase": "before", "item": "ready"}),
    ],
)
def test_it_refuses_an_unassigned_attendant_before_the_start_with_403(api, meeting, frozen_now, attendant, path, body):
    frozen_now.move_to(at("2026-11-27 08:50"))
    if body:
        body = {**body, "item": standard_current().ready_item}
    response = api(attendant, "post", f"/meetings/{meeting.pk}/{path}", body)
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": NOT_YOURS, "roles": ["manager", "team_leader"]}
    assert not hasattr(type(meeting).objects.get(pk=meeting.pk), "service")
    assert not ChecklistTick.objects.exists()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("refills", None),
        ("refills", {"early_reason": "leader"}),
        ("service-log", {"kind": "restroom"}),
        ("checklist", {"phase": "before", "item": "ready"}),
        ("end", None),
    ],
)
def test_it_refuses_an_unassigned_attendant_during_the_meeting_with_403(
    api, running, frozen_now, attendant, path, body
):
    frozen_now.move_to(at("2026-11-27 09:16"))
    if body and "item" in body:
        body = {**body, "item": standard_current().ready_item}
    response = api(attendant, "post", f"/meetings/{running.pk}/{path}", body)
    assert (response.status_code, response.json()["message"]) == (403, NOT_YOURS)
    assert not Refill.objects.filter(done_at__isnull=False).exists()
    assert not ServiceLogEntry.objects.exists()
    assert not ChecklistTick.objects.exists()
    running.service.refresh_from_db()
    assert running.service.ended_at is None


def test_it_lets_the_assigned_attendant_the_team_leader_and_the_manager_record(
    api, meeting, frozen_now, colleague, team_leader, manager
):
    frozen_now.move_to(at("2026-11-27 09:00"))
    assert api(team_leader, "post", f"/meetings/{meeting.pk}/start").status_code == 200
    frozen_now.move_to(at("2026-11-27 09:16"))
    assert api(manager, "post", f"/meetings/{meeting.pk}/refills").json()["recorded"]["done_by"]["id"] == manager.pk
    frozen_now.move_to(at("2026-11-27 09:40"))
    assert api(colleague, "post", f"/meetings/{meeting.pk}/refills").json()["recorded"]["done_by"]["id"] == colleague.pk
    assert api(team_leader, "post", f"/meetings/{meeting.pk}/service-log", {"kind": "documents"}).status_code == 201
    assert api(manager, "post", f"/meetings/{meeting.pk}/end").status_code == 200


def test_it_refuses_who_was_taken_off_the_meeting(meeting, frozen_now, colleague, team_leader):
    from huiwu.service.services import assignment_remove

    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=colleague, meeting=meeting)
    assignment_remove(user=team_leader, assignment=meeting.assignments.get())
    frozen_now.move_to(at("2026-11-27 09:16"))
    with pytest.raises(PermissionDenied):
        refill_record(user=colleague, meeting=meeting)
    with pytest.raises(PermissionDenied):
        meeting_end(user=colleague, meeting=meeting)


def test_it_hides_the_service_buttons_from_an_unassigned_attendant_and_refuses_their_post(
    client, running, frozen_now, attendant
):
    frozen_now.move_to(at("2026-11-27 09:16"))
    login_as(client, attendant)
    page = client.get(reverse("service:meeting", args=[running.pk])).content.decode()
    assert 'name="action" value="refill"' not in page
    assert 'name="action" value="end"' not in page
    assert 'name="action" value="tick"' not in page
    assert NOT_YOURS in page
    response = client.post(reverse("service:act", args=[running.pk]), {"action": "refill"}, follow=True)
    assert NOT_YOURS in response.content.decode()
    assert not Refill.objects.filter(done_at__isnull=False).exists()


def test_it_shows_the_service_buttons_to_the_team_leader_and_the_assigned_attendant(
    client, meeting, frozen_now, colleague, team_leader
):
    frozen_now.move_to(at("2026-11-27 08:45"))
    for user in (colleague, team_leader):
        login_as(client, user)
        page = client.get(reverse("service:meeting", args=[meeting.pk])).content.decode()
        assert 'name="action" value="start"' in page, user
        assert 'name="action" value="tick"' in page, user
        assert NOT_YOURS not in page


def test_it_refuses_the_start_on_the_page_for_an_unassigned_attendant(client, meeting, frozen_now, attendant):
    frozen_now.move_to(at("2026-11-27 09:00"))
    login_as(client, attendant)
    page = client.get(reverse("service:meeting", args=[meeting.pk])).content.decode()
    assert 'name="action" value="start"' not in page
    response = client.post(reverse("service:act", args=[meeting.pk]), {"action": "start"}, follow=True)
    assert NOT_YOURS in response.content.decode()
    assert not hasattr(type(meeting).objects.get(pk=meeting.pk), "service")


# --- a start with levels unconfirmed --------------------------------------------------------------------


def test_it_records_a_start_with_level_2_unconfirmed_and_alerts_the_manager(
    meeting, frozen_now, confirm, colleague, manager, team_leader
):
    confirm(meeting, 1)
    frozen_now.move_to(at("2026-11-27 09:02"))
    service = meeting_start(user=colleague, meeting=meeting)
    assert service.unchecked_levels == [2, 3]
    service.refresh_from_db()
    assert service.unchecked_levels == [2, 3]
    [alert] = Notification.objects.filter(kind=Kind.SERVICE_EXCEPTION)
    assert alert.recipient == manager
    assert alert.title.startswith("开始时检查未确认（二级、三级）：")
    assert "党组会" in alert.title
    assert alert.body == "马丽 于 09:02 记录了开始；未确认：二级、三级。"
    assert (alert.url, alert.meeting) == (f"/service/meetings/{meeting.pk}/", meeting)
    # Only the manager is alerted: the team leader is not a manager.
    assert not Notification.objects.filter(kind=Kind.SERVICE_EXCEPTION, recipient=team_leader).exists()


def test_it_records_no_exception_for_a_start_with_every_level_confirmed(meeting, frozen_now, confirm, colleague):
    for level in (1, 2, 3):
        confirm(meeting, level)
    frozen_now.move_to(at("2026-11-27 09:00"))
    assert meeting_start(user=colleague, meeting=meeting).unchecked_levels == []
    assert not Notification.objects.filter(kind=Kind.SERVICE_EXCEPTION).exists()


def test_it_warns_of_the_unconfirmed_levels_on_the_page_before_and_after_the_start(
    client, meeting, frozen_now, confirm, colleague
):
    confirm(meeting, 1)
    frozen_now.move_to(at("2026-11-27 08:58"))
    login_as(client, colleague)
    page = client.get(reverse("service:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="start-unchecked-warning"' in page
    response = client.post(reverse("service:act", args=[meeting.pk]), {"action": "start"}, follow=True)
    html = response.content.decode()
    assert "已记录会议开始，但二级、三级检查未确认：已提醒服务中心经理。" in html
    assert "开始时检查未确认：二级、三级。已提醒服务中心经理。" in html


def test_it_answers_the_unconfirmed_levels_in_the_api(api, meeting, frozen_now, colleague):
    frozen_now.move_to(at("2026-11-27 09:00"))
    body = api(colleague, "post", f"/meetings/{meeting.pk}/start").json()
    assert body["unchecked_levels"] == [1, 2, 3]
    assert api(colleague, "get", f"/meetings/{meeting.pk}/service").json()["unchecked_levels"] == [1, 2, 3]


def test_it_records_no_exception_for_a_meeting_confirmed_after_its_start(book, frozen_now, manager, client_contact):
    from huiwu.meetings.services import meeting_confirm

    requested = book("2026-11-26 09:00", "11:00", user=client_contact)
    frozen_now.move_to(at("2026-11-26 09:10"))
    meeting_confirm(user=manager, meeting=requested)
    # Confirmed once it had started: it has no checks, so none was missed.
    assert meeting_start(user=manager, meeting=requested).unchecked_levels == []


# --- early refills -------------------------------------------------------------------------------------


def test_it_refuses_an_early_refill_without_a_reason_and_records_nothing(running, frozen_now, colleague):
    frozen_now.move_to(at("2026-11-27 09:14"))
    with pytest.raises(ValidationError) as refused:
        refill_record(user=colleague, meeting=running)
    assert refused.value.message_dict == {"early_reason": ["第 1 次续水 09:15 才到时间：提前续水请说明原因。"]}
    assert not Refill.objects.filter(done_at__isnull=False).exists()


@pytest.mark.parametrize("note", ["", "   "])
def test_it_refuses_an_early_refill_for_another_reason_without_a_note(running, frozen_now, colleague, note):
    frozen_now.move_to(at("2026-11-27 09:14"))
    with pytest.raises(ValidationError) as refused:
        refill_record(user=colleague, meeting=running, early_reason="other", early_note=note)
    assert refused.value.message_dict == {"early_note": ["请说明提前续水的原因。"]}
    assert not Refill.objects.filter(done_at__isnull=False).exists()


def test_it_refuses_an_early_reason_that_is_not_one(running, frozen_now, colleague):
    frozen_now.move_to(at("2026-11-27 09:16"))
    with pytest.raises(ValidationError) as refused:
        refill_record(user=colleague, meeting=running, early_reason="coffee")
    assert list(refused.value.message_dict) == ["early_reason"]


@pytest.mark.parametrize(
    ("reason", "note", "kept_note"),
    [("leader", "", ""), ("recess", " 顺便 ", "顺便"), ("other", " 主持人示意 ", "主持人示意")],
)
def test_it_records_an_early_refill_with_its_reason_and_marks_it_early(
    running, frozen_now, colleague, reason, note, kept_note
):
    frozen_now.move_to(at("2026-11-27 09:14"))
    refill = refill_record(user=colleague, meeting=running, early_reason=reason, early_note=note)
    refill.refresh_from_db()
    assert (refill.done_at, refill.is_early, refill.early_reason, refill.early_note) == (
        at("2026-11-27 09:14"),
        True,
        reason,
        kept_note,
    )
    # The next window is still measured from the refill as done.
    following = Refill.objects.get(meeting=running, done_at__isnull=True)
    assert (following.opens_at, following.closes_at) == (at("2026-11-27 09:34"), at("2026-11-27 09:39"))


def test_it_keeps_the_first_200_characters_of_a_long_early_note(running, frozen_now, colleague):
    frozen_now.move_to(at("2026-11-27 09:14"))
    refill = refill_record(user=colleague, meeting=running, early_reason="other", early_note="长" * 250)
    refill.refresh_from_db()
    assert refill.early_note == "长" * 200


@pytest.mark.parametrize(("moment", "early"), [("09:14", True), ("09:15", False), ("09:16", False)])
def test_it_takes_a_refill_as_early_only_before_its_window_opens(running, frozen_now, colleague, moment, early):
    frozen_now.move_to(at(f"2026-11-27 {moment}"))
    if early:
        with pytest.raises(ValidationError):
            refill_record(user=colleague, meeting=running)
    refill = refill_record(user=colleague, meeting=running, early_reason="recess")
    assert refill.is_early is early
    # A reason for a refill in its window explains nothing: it is not kept.
    assert refill.early_reason == ("recess" if early else "")


def test_it_takes_a_refill_given_afterwards_as_early_by_the_time_given(running, frozen_now, colleague):
    frozen_now.move_to(at("2026-11-27 09:30"))
    with pytest.raises(ValidationError) as refused:
        refill_record(user=colleague, meeting=running, at=at("2026-11-27 09:10"))
    assert list(refused.value.message_dict) == ["early_reason"]
    assert refill_record(user=colleague, meeting=running, at=at("2026-11-27 09:10"), early_reason="leader").is_early


def test_it_refuses_a_second_tap_within_two_minutes_even_with_a_reason(running, frozen_now, colleague, team_leader):
    frozen_now.move_to(at("2026-11-27 09:16"))
    refill_record(user=colleague, meeting=running)
    frozen_now.move_to(at("2026-11-27 09:17"))
    with pytest.raises(ValidationError) as refused:
        refill_record(user=team_leader, meeting=running, early_reason="leader")
    assert _message(refused) == "第 1 次续水已由 马丽 于 09:16 刚刚记录。"
    assert Refill.objects.filter(meeting=running, done_at__isnull=False).count() == 1


def test_it_asks_the_api_for_an_early_refills_reason(api, running, frozen_now, colleague):
    path = f"/meetings/{running.pk}/refills"
    frozen_now.move_to(at("2026-11-27 09:14"))
    refused = api(colleague, "post", path)
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"early_reason": ["第 1 次续水 09:15 才到时间：提前续水请说明原因。"]}
    assert list(api(colleague, "post", path, {"early_reason": "other"}).json()["errors"]) == ["early_note"]
    assert api(colleague, "post", path, {"early_reason": "coffee"}).status_code == 422
    assert api(colleague, "post", path, {"early_reason": "other", "early_note": "长" * 201}).status_code == 422
    assert not Refill.objects.filter(done_at__isnull=False).exists()
    body = api(colleague, "post", path, {"early_reason": "recess"}).json()
    assert {key: body["recorded"][key] for key in ("early", "early_reason", "early_reason_label", "early_note")} == {
        "early": True,
        "early_reason": "recess",
        "early_reason_label": "休会",
        "early_note": "",
    }
    refills = api(colleague, "get", f"/meetings/{running.pk}/service").json()["refills"]
    assert [(refill["number"], refill["early"]) for refill in refills] == [(1, True), (2, False)]


def test_it_shows_the_reason_picker_on_the_page_only_before_the_window_opens(client, running, frozen_now, colleague):
    login_as(client, colleague)
    url = reverse("service:meeting", args=[running.pk])
    frozen_now.move_to(at("2026-11-27 09:14"))
    page = client.get(url).content.decode()
    assert 'data-testid="early-refill"' in page
    assert 'name="early_reason"' in page
    assert 'name="early_note"' in page
    frozen_now.move_to(at("2026-11-27 09:15"))
    page = client.get(url).content.decode()
    assert 'data-testid="early-refill"' not in page
    assert 'name="action" value="refill"' in page


def test_it_records_an_early_refill_from_the_page_only_with_a_reason(client, running, frozen_now, colleague):
    login_as(client, colleague)
    act = reverse("service:act", args=[running.pk])
    frozen_now.move_to(at("2026-11-27 09:12"))
    html = client.post(act, {"action": "refill", "early_reason": ""}, follow=True).content.decode()
    assert "提前续水请说明原因" in html
    html = client.post(act, {"action": "refill", "early_reason": "other"}, follow=True).content.decode()
    assert "请说明提前续水的原因。" in html
    assert not Refill.objects.filter(done_at__isnull=False).exists()
    html = client.post(
        act, {"action": "refill", "early_reason": "other", "early_note": "领导示意先续"}, follow=True
    ).content.decode()
    assert "已记录第 1 次续水（提前：领导示意先续）。" in html
    assert 'data-testid="early"' in html
    assert Refill.objects.get(meeting=running, number=1).early_note == "领导示意先续"


def test_it_answers_a_bad_early_reason_on_the_page_with_a_message(client, running, frozen_now, colleague):
    login_as(client, colleague)
    frozen_now.move_to(at("2026-11-27 09:12"))
    response = client.post(
        reverse("service:act", args=[running.pk]), {"action": "refill", "early_reason": "coffee"}, follow=True
    )
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert not Refill.objects.filter(done_at__isnull=False).exists()
