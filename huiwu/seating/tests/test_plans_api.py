"""A meeting's seating plan over JSON: read through the meeting's access (404 for a meeting one may not see),
generated and changed by who arranges meetings, every refusal in words and changing nothing."""

import pytest

from huiwu.seating.models import SeatingPlan


def _generate(api, user, meeting, **body):
    return api(user, "post", f"/meetings/{meeting.pk}/seating", {"arrangement": "rostrum", **body})


def test_it_generates_and_answers_the_plan_row_by_row(api, team_leader, attendant, meeting):
    response = _generate(api, team_leader, meeting, row_sizes=[3, 5])
    assert response.status_code == 200
    plan = response.json()
    assert (plan["arrangement"], plan["rule"], plan["variant"], plan["row_sizes"]) == (
        "rostrum",
        "domestic",
        "a",
        [3, 5],
    )
    front, back = plan["rows"]
    assert [seat["rank"] for seat in front["seats"]] == [3, 1, 2]
    assert [seat["person"]["name"] for seat in front["seats"]] == ["吴晓峰", "周国庆", "李建华"]
    assert [seat["rank"] for seat in back["seats"]] == [6, 4, 5, 7, None]
    assert back["seats"][4] == {"position": 4, "rank": None, "person": None}
    assert plan["is_out_of_date"] is False
    assert [change["action"] for change in plan["changes"]] == ["generated"]
    # An attendant reads it from the service page's API.
    assert api(attendant, "get", f"/meetings/{meeting.pk}/seating").json() == plan


def test_it_exchanges_two_seats(api, hotline, meeting):
    _generate(api, hotline, meeting)
    response = api(
        hotline,
        "post",
        f"/meetings/{meeting.pk}/seating/swap",
        {"first": {"row": 1, "position": 0}, "second": {"row": 1, "position": 6}},
    )
    assert response.status_code == 200
    assert [seat["person"]["name"] for seat in response.json()["rows"][0]["seats"]][::6] == ["郑思远", "韩立"]
    assert response.json()["changes"][0]["detail"] == "韩立 ⇄ 郑思远"


def test_it_answers_404_before_a_plan_is_generated(api, team_leader, meeting):
    assert api(team_leader, "get", f"/meetings/{meeting.pk}/seating").status_code == 404
    swap = {"first": {"row": 1, "position": 0}, "second": {"row": 1, "position": 1}}
    assert api(team_leader, "post", f"/meetings/{meeting.pk}/seating/swap", swap).status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"row_sizes": [3, 3]}, "row_sizes", "7 位人员坐不下 6 个座位。"),
        ({"row_sizes": [0, 7]}, "row_sizes", "请给出 1 至 10 排、每排 1 至 60 个座位。"),
        ({"rule": "up"}, "rule", None),
        ({"arrangement": "circle"}, "arrangement", None),
    ],
)
def test_it_says_why_it_cannot_make_a_plan(api, team_leader, meeting, body, field, message):
    response = _generate(api, team_leader, meeting, **body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {field}
    if message:
        assert errors[field] == [message]
    assert not SeatingPlan.objects.exists()


def test_it_refuses_a_seat_that_is_not_in_the_plan(api, team_leader, meeting):
    _generate(api, team_leader, meeting)
    swap = {"first": {"row": 1, "position": 0}, "second": {"row": 2, "position": 0}}
    response = api(team_leader, "post", f"/meetings/{meeting.pk}/seating/swap", swap)
    assert response.status_code == 422
    assert response.json()["errors"] == {"second": ["该座次表中没有这个座位。"]}


def test_it_lets_only_who_arranges_meetings_change_the_plan(api, team_leader, attendant, meeting):
    _generate(api, team_leader, meeting)
    response = _generate(api, attendant, meeting)
    assert response.status_code == 403
    assert set(response.json()["roles"]) == {"manager", "team_leader", "hotline"}


def test_it_keeps_the_plan_for_service_staff_and_answers_404_for_a_meeting_one_may_not_see(
    api, team_leader, client_contact, meeting
):
    _generate(api, team_leader, meeting)
    # The client sees their own meeting, not the service team's working papers.
    response = api(client_contact, "get", f"/meetings/{meeting.pk}/seating")
    assert response.status_code == 403
    assert "attendant" in response.json()["roles"]
    assert api(team_leader, "get", "/meetings/999999/seating").status_code == 404
