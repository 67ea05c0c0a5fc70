"""The complaint pages: the list, the forms (staff and client), the stepper with its forms and deadlines,
closing and the return visit, the case library and the follow-ups."""

from datetime import timedelta

import pytest
from django.utils import translation

from huiwu.feedback.models import Complaint, FollowUp, RootCause
from huiwu.feedback.services import complaint_close, follow_up_open
from huiwu.testing import at, login_as

from .conftest import LESSON

FORM = {
    "channel": "hotline",
    "complainant_name": "李小姐",
    "complainant_phone": "13800000001",
    "summary": "会场水果不足",
    "statement": "水果不够多，要求给个说法。",
    "received_date": "2026-11-26",
    "received_time": "07:50",
}


def step(client, complaint, name, note="记录", date="2026-11-26", time="08:00"):
    return client.post(f"/feedback/complaints/{complaint.pk}/steps/{name}/", {"note": note, "date": date, "time": time})


# --- the list ------------------------------------------------------------------------------------------


def test_it_lists_open_complaints_first_with_their_next_step_due(client, hotline, receive, closed, frozen_now):
    fresh = receive(summary="话筒没有声音")
    login_as(client, hotline)
    response = client.get("/feedback/complaints/?state=all")
    assert [row["complaint"] for row in response.context["rows"]] == [fresh, closed]
    html = response.content.decode()
    assert "Apology: by 08:30 (30 min left)" in html


def test_it_marks_a_late_complaint_in_red(client, hotline, complaint, frozen_now):
    frozen_now.shift(timedelta(minutes=31))
    login_as(client, hotline)
    html = client.get("/feedback/complaints/").content.decode()
    assert 'text-danger fw-semibold" data-testid="due">Apology: by 08:30 (1 min late)' in html


def test_it_searches_complaints_by_text(client, hotline, receive):
    receive(summary="话筒没有声音", statement="2 号话筒")
    receive()
    login_as(client, hotline)
    response = client.get("/feedback/complaints/?q=话筒")
    assert [row["complaint"].summary for row in response.context["rows"]] == ["话筒没有声音"]


def test_it_lists_complaints_in_a_fixed_number_of_queries(client, hotline, receive, django_assert_max_num_queries):
    for number in range(3):
        receive(summary=f"投诉 {number}")
    login_as(client, hotline)
    client.get("/feedback/complaints/")
    with django_assert_max_num_queries(12) as few:
        client.get("/feedback/complaints/")
    for number in range(10):
        receive(summary=f"更多投诉 {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/feedback/complaints/")


# --- recording -----------------------------------------------------------------------------------------


def test_it_records_a_complaint_from_the_staff_form(client, hotline, meeting, frozen_now):
    login_as(client, hotline)
    assert client.get(f"/feedback/complaints/new/?meeting={meeting.pk}").status_code == 200
    response = client.post("/feedback/complaints/new/", {**FORM, "meeting": meeting.pk})
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/feedback/complaints/{complaint.pk}/"
    assert (complaint.meeting, complaint.room, complaint.received_at) == (meeting, meeting.room, at("2026-11-26 07:50"))


def test_it_shows_the_service_s_refusal_on_the_form(client, hotline, frozen_now):
    login_as(client, hotline)
    response = client.post("/feedback/complaints/new/", {**FORM, "received_time": "09:00"})
    assert response.status_code == 200
    assert "This time cannot be in the future." in response.content.decode()
    assert not Complaint.objects.exists()


def test_it_lets_a_client_send_a_complaint_about_their_meeting(client, client_contact, contact, meeting, frozen_now):
    login_as(client, client_contact)
    form = client.get("/feedback/complaints/new/")
    assert "complainant_phone" not in form.content.decode()
    response = client.post(
        "/feedback/complaints/new/", {"meeting": meeting.pk, "summary": "空调太冷", "statement": "请调高温度"}
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/feedback/complaints/{complaint.pk}/"
    assert (complaint.channel, complaint.complainant_contact, complaint.meeting) == ("portal", contact, meeting)


# --- the stepper ---------------------------------------------------------------------------------------


def test_it_shows_the_next_step_s_form_with_its_deadline(client, hotline, complaint, frozen_now):
    frozen_now.shift(timedelta(minutes=18))
    login_as(client, hotline)
    response = client.get(f"/feedback/complaints/{complaint.pk}/")
    steps = {entry.key: entry for entry in response.context["steps"]}
    assert steps["apology"].form is not None
    assert steps["apology"].due_text == "Apology: by 08:30 (12 min left)"
    assert [key for key, entry in steps.items() if entry.form] == ["apology"]


def test_it_reads_the_deadline_in_chinese(client, hotline, complaint, frozen_now, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    frozen_now.shift(timedelta(minutes=18))
    login_as(client, hotline)
    with translation.override("zh-hans"):
        html = client.get(f"/feedback/complaints/{complaint.pk}/", headers={"accept-language": "zh-hans"})
    assert "致歉：08:30 前（还剩 12 分钟）" in html.content.decode()


def test_it_walks_a_complaint_through_its_steps_to_the_case_library(client, hotline, complaint, frozen_now):
    login_as(client, hotline)
    for name in ("apology", "investigation", "report", "rectification", "acceptance"):
        response = step(client, complaint, name, note=f"{name} 记录")
        assert response.status_code == 302, name
    cause = RootCause.objects.get(name="沟通不及时")
    response = client.post(f"/feedback/complaints/{complaint.pk}/close/", {"root_cause": cause.pk, "lesson": LESSON})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.is_closed
    html = client.get("/feedback/cases/?q=水果").content.decode()
    assert "会场水果不足" in html
    assert LESSON[:20] in html


def test_it_refuses_a_step_out_of_order_with_a_message(client, hotline, complaint):
    login_as(client, hotline)
    response = step(client, complaint, "report")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Record the investigation findings first." in page
    complaint.refresh_from_db()
    assert complaint.report_at is None


def test_it_answers_404_for_a_step_that_does_not_exist(client, hotline, complaint):
    login_as(client, hotline)
    assert step(client, complaint, "closed").status_code == 404


def test_it_keeps_the_note_when_the_time_is_wrong(client, hotline, complaint, frozen_now):
    login_as(client, hotline)
    response = step(client, complaint, "apology", note="致歉记录", time="07:00")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This time cannot be before the complaint was received (2026-11-26 08:00)." in html
    assert "致歉记录" in html


def test_it_refuses_closing_without_acceptance_on_the_page(client, hotline, complaint, walk):
    walk(complaint, "apology", "investigation", "report", "rectification")
    login_as(client, hotline)
    page = client.get(f"/feedback/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="close-form"' not in page
    assert 'data-testid="closing-hint"' in page
    cause = RootCause.objects.first()
    response = client.post(f"/feedback/complaints/{complaint.pk}/close/", {"root_cause": cause.pk, "lesson": "教训"})
    assert response.status_code == 200
    assert "Record the client&#x27;s acceptance first" in response.content.decode()
    complaint.refresh_from_db()
    assert not complaint.is_closed


def test_it_asks_a_manager_for_the_reason_when_the_acceptance_is_missing(client, manager, complaint):
    login_as(client, manager)
    page = client.get(f"/feedback/complaints/{complaint.pk}/").content.decode()
    assert 'name="close_reason"' in page
    cause = RootCause.objects.first()
    refused = client.post(f"/feedback/complaints/{complaint.pk}/close/", {"root_cause": cause.pk, "lesson": "教训"})
    assert refused.status_code == 200
    complaint.refresh_from_db()
    assert not complaint.is_closed
    client.post(
        f"/feedback/complaints/{complaint.pk}/close/",
        {"root_cause": cause.pk, "lesson": "教训", "close_reason": "三次联系不上客户"},
    )
    complaint.refresh_from_db()
    assert (complaint.is_closed, complaint.close_reason) == (True, "三次联系不上客户")


def test_it_offers_only_root_causes_in_use(client, hotline, complaint, walk):
    RootCause.objects.filter(name="设备故障").update(is_active=False)
    walk(complaint, "apology", "investigation", "report", "rectification", "acceptance")
    login_as(client, hotline)
    form = client.get(f"/feedback/complaints/{complaint.pk}/").context["close_form"]
    names = [cause.name for cause in form.fields["root_cause"].queryset]
    assert "设备故障" not in names
    assert "沟通不及时" in names


def test_it_records_the_return_visit_after_closing(client, hotline, closed, frozen_now):
    frozen_now.shift(timedelta(days=3))
    login_as(client, hotline)
    page = client.get(f"/feedback/complaints/{closed.pk}/").content.decode()
    assert 'data-testid="return-visit-form"' in page
    assert "Return visit: by November 30 08:00 (24 h left)" in page
    response = client.post(
        f"/feedback/complaints/{closed.pk}/return-visit/", {"note": "客户满意", "date": "2026-11-29", "time": "08:00"}
    )
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.return_visit_note == "客户满意"


# --- the case library ----------------------------------------------------------------------------------


def test_it_finds_cases_by_text_cause_and_room(client, attendant, closed, room, other_room):
    login_as(client, attendant)
    cause = closed.root_cause
    other_cause = RootCause.objects.exclude(pk=cause.pk).first()

    def found(query):
        return [case.pk for case in client.get("/feedback/cases/", query).context["page"]]

    assert found({"q": "水果"}) == [closed.pk]
    assert found({"q": "及时求得客户确认"}) == [closed.pk]
    assert found({"q": "话筒"}) == []
    assert found({"cause": cause.pk}) == [closed.pk]
    assert found({"cause": other_cause.pk}) == []
    assert found({"room": room.pk}) == [closed.pk]
    assert found({"room": other_room.pk}) == []
    assert found({"q": "水果", "cause": cause.pk, "room": room.pk}) == [closed.pk]


def test_it_leaves_open_complaints_out_of_the_library(client, attendant, complaint):
    login_as(client, attendant)
    assert list(client.get("/feedback/cases/").context["page"]) == []


def test_it_shows_the_whole_story_on_a_case_page(client, attendant, closed):
    login_as(client, attendant)
    html = client.get(f"/feedback/cases/{closed.pk}/").content.decode()
    for text in ("所采购的水果并不少", "安排会务服务员及时更新会场水果", "取得对方谅解", LESSON, "沟通不及时"):
        assert text in html


def test_it_lists_cases_in_a_fixed_number_of_queries(
    client, attendant, closed, receive, hotline, walk, django_assert_max_num_queries
):
    login_as(client, attendant)
    client.get("/feedback/cases/")
    with django_assert_max_num_queries(10) as few:
        client.get("/feedback/cases/")
    for number in range(5):
        other = walk(
            receive(summary=f"案例 {number}"), "apology", "investigation", "report", "rectification", "acceptance"
        )
        complaint_close(user=hotline, complaint=other, root_cause=RootCause.objects.first(), lesson="教训")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/feedback/cases/")


def test_it_ignores_a_cause_that_does_not_exist(client, attendant, closed):
    login_as(client, attendant)
    response = client.get("/feedback/cases/", {"cause": "99999999999999999999", "room": "abc"})
    assert response.status_code == 200
    assert [case.pk for case in response.context["page"]] == [closed.pk]


# --- follow-ups ----------------------------------------------------------------------------------------


@pytest.fixture
def follow_up(task, frozen_now):
    return follow_up_open(
        source=FollowUp.Source.TASK_DISPUTE, summary="代购水果：有异议", client_note="水果太少", task=task
    )


def test_it_lists_open_follow_ups_and_shows_what_happened(client, hotline, follow_up):
    login_as(client, hotline)
    assert [row["follow_up"] for row in client.get("/feedback/follow-ups/").context["rows"]] == [follow_up]
    html = client.get(f"/feedback/follow-ups/{follow_up.pk}/").content.decode()
    assert "水果太少" in html
    assert "代购水果" in html
    assert f'href="/delegations/{follow_up.task.pk}/"' in html


def test_it_shows_the_low_scores_of_a_survey_follow_up(client, hotline, answer, frozen_now):
    follow_up = follow_up_open(source=FollowUp.Source.LOW_SCORE, summary="茶水服务 2 分", answer=answer)
    login_as(client, hotline)
    response = client.get(f"/feedback/follow-ups/{follow_up.pk}/")
    assert ("Tea service", 2) in response.context["scores"]


def test_it_closes_a_follow_up_with_its_outcome(client, hotline, follow_up):
    login_as(client, hotline)
    refused = client.post(f"/feedback/follow-ups/{follow_up.pk}/close/", {"resolution": ""})
    assert refused.status_code == 200
    response = client.post(f"/feedback/follow-ups/{follow_up.pk}/close/", {"resolution": "已致电说明"})
    assert response["Location"] == f"/feedback/follow-ups/{follow_up.pk}/"
    follow_up.refresh_from_db()
    assert (follow_up.is_open, follow_up.resolution) == (False, "已致电说明")


def test_it_opens_a_complaint_from_a_follow_up(client, hotline, follow_up, contact):
    login_as(client, hotline)
    response = client.post(f"/feedback/follow-ups/{follow_up.pk}/escalate/", {"channel": "hotline", "statement": ""})
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/feedback/complaints/{complaint.pk}/"
    assert (complaint.complainant_contact, complaint.task, complaint.statement) == (contact, follow_up.task, "水果太少")
    follow_up.refresh_from_db()
    assert (follow_up.complaint, follow_up.is_open) == (complaint, False)


def test_it_hides_a_confidential_meeting_s_follow_up_from_uncleared_staff(client, hotline, book, manager, answer):
    secret = book("2026-11-27 09:00", "10:00", title="专项保密会议", confidentiality=2, user=manager)
    follow_up = follow_up_open(source=FollowUp.Source.LOW_SCORE, summary="保密会议低分", answer=answer, meeting=secret)
    login_as(client, hotline)
    assert client.get(f"/feedback/follow-ups/{follow_up.pk}/").status_code == 404
    assert client.get("/feedback/follow-ups/").context["rows"] == []
