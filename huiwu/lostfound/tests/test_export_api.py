"""The register as an Excel workbook through the API: the page's filters and access."""

import io

import openpyxl
import pytest

from huiwu.lib.xlsx import XLSX_CONTENT_TYPE
from huiwu.lostfound.services import lost_item_register, lost_item_return
from huiwu.testing import at, login_as


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.fixture
def register_of_three(register, attendant):
    register(description="黑色保温杯")
    register(description="U盘", found_where="签到台", found_at=at("2026-11-25 18:00"))
    umbrella = register(description="蓝色雨伞", found_at=at("2026-11-24 18:00"))
    lost_item_return(user=attendant, item=umbrella, returned_to="李秘书", returned_at=at("2026-11-25 09:00"))


def test_it_exports_the_open_items_by_default_as_the_list_does(api, hotline, register_of_three):
    rows = _rows(api(hotline, "get", "/lost-items/export.xlsx"))
    assert [row[1] for row in rows[1:]] == ["U盘", "黑色保温杯"]


@pytest.mark.parametrize(
    ("query", "items"),
    [
        ({"state": "all"}, ["U盘", "黑色保温杯", "蓝色雨伞"]),
        ({"state": "returned"}, ["蓝色雨伞"]),
        ({"state": "all", "q": "签到台"}, ["U盘"]),
    ],
)
def test_it_filters_as_the_list_does(api, hotline, register_of_three, query, items):
    assert [row[1] for row in _rows(api(hotline, "get", "/lost-items/export.xlsx", query))[1:]] == items


def test_it_exports_what_the_page_exports(api, client, hotline, register_of_three):
    login_as(client, hotline)
    page = client.get("/lost-and-found/", {"state": "all", "export": "xlsx"})
    assert _rows(api(hotline, "get", "/lost-items/export.xlsx", {"state": "all"})) == _rows(page)


def test_it_names_a_confidential_meeting_the_caller_may_not_see_only_as_such(api, book, manager, hotline):
    secret = book("2026-11-27 09:00", "10:00", title="专项保密会议", confidentiality=2, user=manager)
    lost_item_register(
        user=manager,
        description="黑色保温杯",
        found_where="主席台",
        found_at=at("2026-11-26 07:50"),
        stored_where="服务台",
        meeting=secret,
    )
    rows = _rows(api(hotline, "get", "/lost-items/export.xlsx"))
    assert rows[1][3] == "Confidential meeting"
    assert "专项保密会议" not in str(rows)
    assert _rows(api(manager, "get", "/lost-items/export.xlsx"))[1][3] == "专项保密会议"


@pytest.mark.parametrize("persona", ["client_contact", "outsider"])
def test_it_refuses_who_may_not_read_the_register_naming_who_may(api, request, persona, register_of_three):
    response = api(request.getfixturevalue(persona), "get", "/lost-items/export.xlsx")
    assert response.status_code == 403
    assert response.json()["roles"] == [
        "manager",
        "team_leader",
        "env_supervisor",
        "hotline",
        "attendant",
        "reception",
        "security_officer",
    ]
    assert response.json()["message"].startswith("This needs one of these roles: Service centre manager, ")


@pytest.mark.parametrize(("query", "field"), [({"state": "lost"}, "state"), ({"q": "长" * 101}, "q")])
def test_it_refuses_a_bad_filter_with_422(api, hotline, register_of_three, query, field):
    response = api(hotline, "get", "/lost-items/export.xlsx", query)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
