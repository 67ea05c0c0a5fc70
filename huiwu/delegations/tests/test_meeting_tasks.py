"""The include for a meeting's pages (templates/delegations/_meeting_tasks.html): the meeting's tasks for the
user with their state, service plan and cost; the client's one-tap confirm and 有异议 forms coming back to
the meeting; the staff's links to add a task and to the cost list."""

from django.template.loader import render_to_string
from django.test import RequestFactory

from huiwu.delegations.selectors import meeting_tasks_for
from huiwu.delegations.services import evidence_add, task_confirm
from huiwu.testing import login_as

from .conftest import PLAN, image_upload


def _render(user, meeting) -> str:
    request = RequestFactory().get(f"/meetings/{meeting.pk}/")
    request.user = user
    context = {"meeting": meeting, "meeting_tasks": meeting_tasks_for(user, meeting)}
    return render_to_string("delegations/_meeting_tasks.html", context, request=request)


def test_it_shows_a_client_the_task_awaiting_them_with_confirm_and_dispute(client_contact, done, meeting):
    html = _render(client_contact, meeting)
    assert "代购水果" in html
    assert "Awaiting client" in html
    assert PLAN in html
    assert "¥268.50" in html
    assert f'action="/delegations/{done.pk}/confirm/"' in html
    assert f'action="/delegations/{done.pk}/dispute/"' in html
    assert f'name="next" value="/meetings/{meeting.pk}/#delegated-tasks"' in html


def test_it_shows_no_buttons_once_confirmed(client_contact, done, meeting):
    task_confirm(user=client_contact, task=done)
    html = _render(client_contact, meeting)
    assert "Confirmed by the client" in html
    assert "/confirm/" not in html
    assert "/dispute/" not in html


def test_it_gives_staff_the_links_and_no_client_buttons(hotline, attendant, done, meeting):
    evidence_add(user=attendant, task=done, kind="receipt", upload=image_upload())
    html = _render(hotline, meeting)
    assert f'href="/delegations/new/?meeting={meeting.pk}"' in html
    assert f'href="/delegations/meetings/{meeting.pk}/costs/"' in html
    assert "1 receipt" in html
    assert "/confirm/" not in html


def test_it_shows_another_organizations_client_nothing(other_client, done, meeting):
    assert meeting_tasks_for(other_client, meeting) == []


def test_it_says_when_a_meeting_has_no_task(hotline, meeting):
    assert "No delegated task for this meeting." in _render(hotline, meeting)


def test_it_brings_a_client_back_to_the_meeting_after_confirming(client, client_contact, done, meeting):
    login_as(client, client_contact)
    response = client.post(f"/delegations/{done.pk}/confirm/", {"next": f"/meetings/{meeting.pk}/"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/meetings/{meeting.pk}/"
    done.refresh_from_db()
    assert done.state == "confirmed"


def test_it_reads_the_meetings_tasks_in_constant_queries(hotline, record, meeting, django_assert_max_num_queries):
    for number in range(12):
        record(title=f"事{number}")
    with django_assert_max_num_queries(4):
        tasks = meeting_tasks_for(hotline, meeting)
        assert [task.receipts for task in tasks] == [0] * 12
        assert [list(task.notices.all()) for task in tasks] == [[]] * 12
