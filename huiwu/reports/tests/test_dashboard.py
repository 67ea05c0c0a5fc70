"""The dashboard page: the manager's figures with a chart and its table for each, filtered by period, site,
room and organizer; a client contact's own organization; the same figures as a workbook."""

import io

import pytest
from openpyxl import load_workbook

from huiwu.testing import login_as

URL = "/reports/"


def test_it_shows_the_manager_each_chart_beside_its_table(client, manager, two_meetings):
    login_as(client, manager)
    response = client.get(URL, {"period": "week", "day": "2026-11-25"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-11-23 – 2026-11-29" in html
    for section in ("rooms", "heat", "checks", "satisfaction", "complaints", "requests", "refills", "tasks"):
        assert f'data-testid="{section}"' in html
    for building in ("reception", "staff", "attendants"):
        assert f'data-testid="{building}"' in html
    assert html.count("data-chart=") == 5
    assert 'id="report-charts"' in html
    assert "/static/vendor/echarts.min.js" in html
    rooms = response.context["charts"]["rooms"]
    # 1 h and 2 h of 45 open hours.
    assert rooms == {"names": ["701会议室", "702会议室"], "values": [2.2, 4.4]}
    heat = response.context["charts"]["heat"]
    assert heat["hours"][:3] == ["08:00", "09:00", "10:00"]
    # 701 09:00–10:00 on Friday and 702 09:00–11:00 on Saturday: 60 of the 300 minutes each hour is open.
    assert [cell for cell in heat["cells"] if cell[2]] == [[1, 0, 20.0], [1, 1, 20.0], [2, 1, 20.0]]
    assert "目标 96%" in html


def test_it_loads_echarts_on_the_dashboard_only(client, manager):
    login_as(client, manager)
    assert "echarts" not in client.get("/").content.decode()


def test_it_narrows_the_figures_to_the_organizer_asked(client, manager, two_meetings):
    login_as(client, manager)
    response = client.get(URL, {"period": "week", "day": "2026-11-25", "organizer": two_meetings.pk})
    assert [row.meetings for row in response.context["figures"].rooms] == [0, 1]


def test_it_shows_a_client_their_own_organization_only(client, client_contact, two_meetings):
    login_as(client, client_contact)
    response = client.get(URL, {"period": "week", "day": "2026-11-25"})
    assert response.status_code == 200
    assert [row.organizer for row in response.context["figures"].organizers] == ["测试委办局"]
    assert 'name="organizer"' not in response.content.decode()
    assert response.context["figures"].staff is None


def test_it_answers_404_to_a_client_asking_for_another_organization(client, client_contact, two_meetings):
    login_as(client, client_contact)
    assert client.get(URL, {"organizer": two_meetings.pk}).status_code == 404
    assert client.get(URL, {"organizer": two_meetings.pk, "export": "xlsx"}).status_code == 404
    assert client.get(URL, {"organizer": client_contact.organization_id}).status_code == 200


@pytest.mark.parametrize("persona", ["attendant", "reception", "outsider"])
def test_it_refuses_who_reads_no_figures(client, request, persona):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"period": "range", "date_from": "2026-11-30", "date_to": "2026-11-29"}, "date_to", "不能早于开始日期"),
        ({"period": "range", "date_from": "2026-11-30"}, "date_to", "请填写截止日期"),
        ({"day": "3000-01-01"}, "day", "1900-01-01"),
        ({"period": "year"}, "period", ""),
    ],
)
def test_it_says_why_it_cannot_read_the_period_and_shows_no_figures(client, manager, query, field, message):
    login_as(client, manager)
    response = client.get(URL, query)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert "data-chart=" not in response.content.decode()


def test_it_leaves_the_buildings_own_figures_off_a_clients_page(client, client_contact, two_meetings):
    login_as(client, client_contact)
    html = client.get(URL, {"period": "week", "day": "2026-11-25"}).content.decode()
    for building in ("reception", "staff", "attendants"):
        assert f'data-testid="{building}"' not in html


def test_it_exports_the_same_figures_as_a_workbook(client, manager, two_meetings):
    login_as(client, manager)
    response = client.get(URL, {"period": "week", "day": "2026-11-25", "export": "xlsx"})
    assert response["Content-Disposition"].endswith("20261123-20261129.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "会议室",
        "分时段使用率",
        "主办单位",
        "三级检查",
        "满意度",
        "分项满意度",
        "投诉原因",
        "人员",
    ]
    rows = list(workbook["会议室"].values)
    assert rows[1] == ("会议大厦", "701会议室", 1, 1.0, 45.0, round(1 / 45, 4))
    assert [row[0] for row in workbook["主办单位"].values] == ["主办单位", "市财政局", "测试委办局"]
