"""The service pages: the today board, a meeting's service page, the attendant's phone view."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huiwu.service.models import MeetingCheck, Refill
from huiwu.service.services import assignment_add, meeting_start, refill_record
from huiwu.testing import at, login_as


def _board_queries(client, day="2026-11-27"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("service:board_rows"), {"date": day})
    assert response.status_code == 200
    return len(queries), response


def test_it_shows_the_days_meetings_with_their_check_lights(client, manager, book, assign, confirm):
    meeting = book("2026-11-27 09:00", "10:00", title="党组会")
    assign(meeting)
    confirm(meeting, 1)
    login_as(client, manager)
    response = client.get(reverse("service:board"), {"date": "2026-11-27"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "党组会" in html
    assert 'data-testid="light-1"' in html
    assert "L1 ✓" in html
    assert "L2 08:00" in html


def test_it_keeps_the_boards_query_count_whatever_the_number_of_meetings(client, manager, book, room, other_room):
    login_as(client, manager)
    book("2026-11-27 08:00", "08:30", setup_minutes=0, teardown_minutes=0)
    few, _response = _board_queries(client)
    for hour in range(9, 18):
        book(f"2026-11-27 {hour:02d}:00", f"{hour:02d}:30", room=room, setup_minutes=0, teardown_minutes=0)
        book(f"2026-11-27 {hour:02d}:00", f"{hour:02d}:30", room=other_room, setup_minutes=0, teardown_minutes=0)
    many, response = _board_queries(client)
    assert response.content.decode().count('data-testid="board-row"') == 19
    assert many == few
    assert few > 3, few


def test_it_puts_urgent_and_overdue_meetings_on_top(client, manager, book, frozen_now, other_room):
    calm = book("2026-11-26 15:00", "16:00", title="下午例会")
    frozen_now.move_to(at("2026-11-26 08:15"))
    urgent = book("2026-11-26 09:00", "10:00", title="临时会议", room=other_room)
    login_as(client, manager)
    html = client.get(reverse("service:board")).content.decode()
    assert html.index(urgent.title) < html.index(calm.title)
    assert "紧急" in html or "Urgent" in html


def test_it_refuses_the_board_to_clients_and_outsiders(client, client_contact, outsider):
    for user in (client_contact, outsider):
        login_as(client, user)
        assert client.get(reverse("service:board")).status_code == 403
        assert client.get(reverse("service:board_rows")).status_code == 403


def test_it_confirms_a_check_from_the_meeting_page(client, team_leader, book, assign, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 06:30"))  # level 1 is due at 07:00: its window has opened
    login_as(client, team_leader)
    page = client.get(reverse("service:meeting", args=[meeting.pk]))
    assert page.status_code == 200
    form = page.context["check_form"]
    data = {name: "pass" for name in form.fields if name.startswith("item_")}
    response = client.post(reverse("service:check_confirm", args=[meeting.pk, 1]), data)
    assert response.status_code == 302
    assert MeetingCheck.objects.get(meeting=meeting, level=1).state == MeetingCheck.State.CONFIRMED


def test_it_asks_for_a_note_when_an_item_fails_and_changes_nothing(client, team_leader, book):
    meeting = book("2026-11-27 09:00", "10:00")
    login_as(client, team_leader)
    form = client.get(reverse("service:meeting", args=[meeting.pk])).context["check_form"]
    data = {name: "pass" for name in form.fields if name.startswith("item_")} | {"item_0": "fail"}
    response = client.post(reverse("service:check_confirm", args=[meeting.pk, 1]), data)
    assert response.status_code == 422
    assert response.context["check_form"].errors["notes"]
    assert MeetingCheck.objects.get(meeting=meeting, level=1).state == MeetingCheck.State.OPEN
    assert not meeting.check_records.exists()


def test_it_refuses_a_second_overlapping_assignment(client, team_leader, attendant, book, other_room):
    first = book("2026-11-27 09:00", "11:00")
    second = book("2026-11-27 10:00", "12:00", room=other_room)
    assignment_add(user=team_leader, meeting=first, attendant=attendant, duty="lead")
    login_as(client, team_leader)
    response = client.post(
        reverse("service:assignment_add", args=[second.pk]), {"attendant": attendant.pk, "duty": "lead"}
    )
    assert response.status_code == 422
    assert "701会议室" in response.content.decode()
    assert not second.assignments.exists()


def test_it_shows_the_refill_an_attendant_recorded_on_the_board(client, manager, attendant, book, frozen_now, assign):
    meeting = book("2026-11-27 09:00", "11:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=meeting)
    frozen_now.move_to(at("2026-11-27 09:16"))
    refill_record(user=attendant, meeting=meeting)
    login_as(client, manager)
    html = client.get(reverse("service:board_rows")).content.decode()
    assert 'data-testid="last-refill"' in html
    assert "09:36" in html  # refill 2 window 09:36–09:41


def test_it_answers_a_bad_action_with_a_message(client, attendant, book):
    meeting = book("2026-11-27 09:00", "11:00")
    login_as(client, attendant)
    response = client.post(reverse("service:task_do", args=[meeting.pk]), {"action": "refill"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    response = client.post(reverse("service:act", args=[meeting.pk]), {"action": "explode"})
    assert response.status_code == 302
    assert not Refill.objects.exists()


def test_it_answers_impossible_days_with_today(client, manager):
    login_as(client, manager)
    for day in ("2026-02-30", "9999-12-31", "0001-01-01", "明天"):
        for name in ("service:board", "service:board_rows", "service:workload"):
            assert client.get(reverse(name), {"date": day}).status_code == 200, (name, day)
