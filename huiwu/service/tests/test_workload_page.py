"""The team's workload: each assignable person's meetings on a day and their number of meetings that week."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huiwu.service.services import assignment_add
from huiwu.testing import login_as

URL = "/service/workload/"


def _row(response, person):
    return next(row for row in response.context["rows"] if row.person == person)


def test_it_shows_an_assigned_attendant_under_today_and_counts_the_week(
    client, team_leader, attendant, hotline, book, other_room
):
    today = book("2026-11-26 10:00", "11:00", title="党组会")
    friday = book("2026-11-27 14:00", "15:00", title="周五例会")
    next_week = book("2026-11-30 09:00", "10:00", title="下周例会", room=other_room)
    for meeting, duty in ((today, "lead"), (friday, "helper"), (next_week, "lead")):
        assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty=duty)
    login_as(client, hotline)

    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["day"] == date(2026, 11, 26)
    row = _row(response, attendant)
    assert [assignment.meeting for assignment in row.today] == [today]
    assert row.week_count == 2
    assert _row(response, team_leader).week_count == 0
    html = response.content.decode()
    card = html[html.index(f'data-person="{attendant.pk}"') :]
    card = card[: card.index("</article>")]
    assert f'href="{reverse("service:meeting", args=[today.pk])}"' in card
    assert "党组会" in card
    assert "10:00–11:00" in card
    assert today.room.name in card
    assert row.today[0].get_duty_display() in card
    assert "周五例会" not in html
    assert "下周例会" not in html


def test_it_shows_another_day_with_links_to_the_days_around_it(client, team_leader, attendant, book):
    friday = book("2026-11-27 14:00", "15:00", title="周五例会")
    assignment_add(user=team_leader, meeting=friday, attendant=attendant, duty="helper")
    login_as(client, team_leader)
    response = client.get(URL, {"date": "2026-11-27"})
    html = response.content.decode()
    assert [assignment.meeting for assignment in _row(response, attendant).today] == [friday]
    assert 'href="?date=2026-11-26"' in html
    assert 'href="?date=2026-11-28"' in html
    # Monday 30 November starts another week.
    assert _row(client.get(URL, {"date": "2026-11-30"}), attendant).week_count == 0


@pytest.mark.parametrize("asked", ["2026-02-30", "2026-13-45", "tomorrow", "0001-01-01", "9999-12-31", ""])
def test_it_falls_back_to_today_on_a_date_that_is_not_a_real_one(client, hotline, frozen_now, asked):
    login_as(client, hotline)
    response = client.get(URL, {"date": asked})
    assert response.status_code == 200
    assert response.context["day"] == date(2026, 11, 26)


@pytest.mark.parametrize("persona", ["client_contact", "outsider"])
def test_it_refuses_the_workload_to_clients_and_outsiders(client, persona, request):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_it_keeps_its_query_count_whatever_the_number_of_people_and_meetings(
    client, team_leader, attendant, hotline, book, room, other_room
):
    login_as(client, hotline)
    first = book("2026-11-26 09:00", "10:00", room=room, setup_minutes=0, teardown_minutes=0)
    assignment_add(user=team_leader, meeting=first, attendant=attendant, duty="lead")
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for hour in range(10, 16):
        meeting = book(
            f"2026-11-26 {hour:02d}:00", f"{hour:02d}:45", room=other_room, setup_minutes=0, teardown_minutes=0
        )
        assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="helper")
        assignment_add(user=team_leader, meeting=meeting, attendant=team_leader, duty="lead")
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(_row(response, attendant).today) == 7
    assert len(many) == len(few)
