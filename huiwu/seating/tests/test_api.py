"""The order of an ad-hoc list over JSON (GET /api/v1/seating/order and /seating/table): what an integrator
checks without any of Huiwu's data; refused in words, changing nothing, for what cannot be laid out."""

import pytest


def test_it_answers_the_order_of_a_rostrum_row(api, team_leader):
    response = api(team_leader, "get", "/seating/order", {"n": 7})
    assert response.status_code == 200
    assert response.json() == {"n": 7, "mode": "domestic", "variant": "a", "rows": [[7, 5, 3, 1, 2, 4, 6]]}


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ({"n": 6}, [[5, 3, 1, 2, 4, 6]]),
        ({"n": 6, "variant": "b"}, [[6, 4, 2, 1, 3, 5]]),
        ({"n": 5, "mode": "foreign"}, [[4, 2, 1, 3, 5]]),
        ({"n": 8, "rows": [5, 7]}, [[5, 3, 1, 2, 4], [8, 6, 7]]),
        ({"n": 0}, []),
    ],
)
def test_it_answers_each_mode_variant_and_rows(api, attendant, query, rows):
    response = api(attendant, "get", "/seating/order", query)
    assert response.status_code == 200
    assert response.json()["rows"] == rows


def test_it_answers_a_meeting_table(api, hotline):
    response = api(hotline, "get", "/seating/table", {"guests": 5, "hosts": 4})
    assert response.status_code == 200
    assert response.json() == {"guests": [5, 3, 1, 2, 4], "hosts": [3, 1, 2, 4]}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"n": 13, "rows": [5, 7]}, "rows", "13 位人员坐不下 12 个座位。"),
        ({"n": 61}, "n", "一排最多 60 个座位，请给出各排座位数。"),
        ({"n": 3, "rows": [0]}, "rows", "每排 1 至 60 个座位。"),
        ({"n": 3, "rows": [61]}, "rows", "每排 1 至 60 个座位。"),
    ],
)
def test_it_says_why_it_cannot_lay_out_a_rostrum(api, team_leader, query, field, message):
    response = api(team_leader, "get", "/seating/order", query, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422
    assert response.json()["errors"] == {field: [message]}


@pytest.mark.parametrize(
    "query",
    [{"n": -1}, {"n": 601}, {"n": "五"}, {"n": True}, {"n": 3, "mode": "sideways"}, {"n": 3, "variant": "c"}, {}],
)
def test_it_refuses_input_it_cannot_read(api, team_leader, query):
    assert api(team_leader, "get", "/seating/order", query).status_code == 422


def test_it_names_the_modes_it_knows(api, team_leader):
    response = api(team_leader, "get", "/seating/order", {"n": 3, "mode": "up"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["errors"] == {"mode": ["请从以下选项中选择：'domestic' or 'foreign'。"]}


def test_it_refuses_who_arranges_no_meeting(api, client_contact, reception):
    for user in (client_contact, reception):
        response = api(user, "get", "/seating/order", {"n": 3})
        assert response.status_code == 403
        assert "team_leader" in response.json()["roles"]
