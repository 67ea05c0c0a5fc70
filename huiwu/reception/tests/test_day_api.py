"""The day over JSON: GET /reception/day, POST /reception/items/{id}/done, GET /reception/calendar, GET and POST
/reception/standards — each with its refusals (403 without the role, 404 for what does not exist, 422 for
a broken rule or bad input). The clock is Thursday 2026-11-26 08:00 unless a test moves it."""

from datetime import date

import pytest

from huiwu.reception.models import DayPlan, JournalEntry, RoutineItem, RoutineStandard
from huiwu.reception.selectors import day as day_selectors
from huiwu.reception.services.routine import day_plan_ensure
from huiwu.testing import at


def _door(api, user) -> dict:
    [door] = [item for item in api(user, "get", "/reception/day").json()["items"] if item["code"] == "door"]
    return door


# --- GET /reception/day -------------------------------------------------------------------------------


def test_it_answers_todays_timeline(api, reception, frozen_now):
    frozen_now.move_to(at("2026-11-26 08:42"))
    response = api(reception, "get", "/reception/day")
    assert response.status_code == 200
    body = response.json()
    assert (body["day"], body["planned"], body["next_workday"]) == ("2026-11-26", True, None)
    assert body["kind"] == {"is_workday": True, "adjusted": False, "source": "official", "reason": ""}
    assert [item["code"] for item in body["items"]][:3] == ["grooming", "door", "hot_water"]
    door = body["items"][1]
    assert door["id"] == RoutineItem.objects.get(code="door").pk
    assert (door["starts_at"], door["due_at"], door["doable_from"]) == (
        "2026-11-26T08:40:00+08:00",
        "2026-11-26T08:45:00+08:00",
        "2026-11-26T08:35:00+08:00",
    )
    assert (door["state"], door["state_label"], door["can_tick"]) == ("due_soon", "即将到时", True)
    assert (door["done_at"], door["done_by"], door["outstanding"], door["link"]) == (None, None, [], "")
    assert body["items"][4]["link"] == "/reception/newspapers/"


def test_it_answers_a_holiday_with_its_reason_and_the_next_working_day(api, reception, frozen_now):
    body = api(reception, "get", "/reception/day", {"day": "2026-10-01"}).json()
    assert body["kind"] == {"is_workday": False, "adjusted": False, "source": "official", "reason": "国庆节"}
    assert (body["planned"], body["items"], body["next_workday"]) == (False, [], "2026-10-08")


def test_it_answers_the_adjusted_saturday_as_a_working_day(api, reception, frozen_now):
    frozen_now.move_to(at("2026-10-09 08:00"))
    body = api(reception, "get", "/reception/day", {"day": "2026-10-10"}).json()
    assert body["kind"]["adjusted"] is True
    assert body["kind"]["reason"] == "调休上班（国庆节）"
    # A day to come is previewed, not planned.
    assert (body["planned"], len(body["items"]), body["items"][0]["id"]) == (False, 9, None)
    assert not DayPlan.objects.filter(day=date(2026, 10, 10)).exists()


def test_it_answers_the_team_leader_without_ticks(api, team_leader, frozen_now):
    frozen_now.move_to(at("2026-11-26 08:42"))
    assert _door(api, team_leader)["can_tick"] is False


@pytest.mark.parametrize("code", ["attendant", "outsider"])
def test_it_refuses_the_day_without_the_role(api, make_persona, frozen_now, code):
    response = api(make_persona(code), "get", "/reception/day")
    assert response.status_code == 403
    assert set(response.json()["roles"]) == {"manager", "team_leader", "reception"}


@pytest.mark.parametrize("day", ["2026-02-30", "20261126", "0001-01-01"])
def test_it_answers_422_for_a_day_it_cannot_read(api, reception, frozen_now, day):
    assert api(reception, "get", "/reception/day", {"day": day}).status_code == 422


# --- POST /reception/items/{id}/done ------------------------------------------------------------------


def _door_id(frozen_now) -> int:
    return day_plan_ensure(date(2026, 11, 26)).items.get(code="door").pk


def test_it_ticks_an_item(api, reception, frozen_now):
    door = _door_id(frozen_now)
    frozen_now.move_to(at("2026-11-26 08:42"))
    response = api(reception, "post", f"/reception/items/{door}/done", {"note": "按时"})
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["done_at"], body["note"]) == ("done", "2026-11-26T08:42:00+08:00", "按时")
    assert body["done_by"] == {"id": reception.pk, "display_name": "reception 测试"}
    assert JournalEntry.objects.get().text == "打开七楼礼仪接待组办公室门：已完成。备注：按时"


def test_it_answers_422_for_a_refused_tick(api, reception, frozen_now, monkeypatch):
    documents = day_plan_ensure(date(2026, 11, 26)).items.get(code="documents").pk
    frozen_now.move_to(at("2026-11-26 09:00"))
    monkeypatch.setattr(day_selectors, "documents_outstanding", lambda day: ["京政办发〔2026〕12号"])
    response = api(reception, "post", f"/reception/items/{documents}/done")
    assert response.status_code == 422
    assert response.json()["message"] == "尚未完成，还有：京政办发〔2026〕12号。"
    assert response.json()["errors"] == {"__all__": ["尚未完成，还有：京政办发〔2026〕12号。"]}
    assert RoutineItem.objects.get(pk=documents).done_at is None


def test_it_answers_422_for_a_note_too_long(api, reception, frozen_now):
    door = _door_id(frozen_now)
    frozen_now.move_to(at("2026-11-26 08:42"))
    response = api(reception, "post", f"/reception/items/{door}/done", {"note": "x" * 201})
    assert response.status_code == 422
    assert response.json()["errors"] == {"note": ["最多填写 200 个字符。"]}


@pytest.mark.parametrize("code", ["team_leader", "manager"])
def test_it_refuses_a_tick_to_who_only_reads(api, make_persona, frozen_now, code):
    door = _door_id(frozen_now)
    frozen_now.move_to(at("2026-11-26 08:42"))
    response = api(make_persona(code), "post", f"/reception/items/{door}/done")
    assert response.status_code == 403
    assert response.json()["roles"] == ["reception"]


@pytest.mark.parametrize("code", ["attendant", "outsider"])
def test_it_answers_404_to_who_does_not_read_the_day(api, make_persona, frozen_now, code):
    door = _door_id(frozen_now)
    assert api(make_persona(code), "post", f"/reception/items/{door}/done").status_code == 404


@pytest.mark.parametrize("item_id", ["999", str(10**30), "0"])
def test_it_answers_404_for_an_item_that_does_not_exist(api, reception, frozen_now, item_id):
    assert api(reception, "post", f"/reception/items/{item_id}/done").status_code == 404


# --- GET /reception/calendar --------------------------------------------------------------------------


def test_it_answers_the_calendar_of_a_span(api, reception, frozen_now):
    body = api(reception, "get", "/reception/calendar", {"first": "2026-09-30", "last": "2026-10-10"}).json()
    assert (body["first"], body["last"], body["data_ends_on"]) == ("2026-09-30", "2026-10-10", "2026-12-31")
    assert "2026-12-31" in body["warning"]
    days = {day["day"]: day for day in body["days"]}
    assert len(days) == 11
    assert days["2026-09-30"]["is_workday"] is True
    assert days["2026-10-01"] == {
        "day": "2026-10-01",
        "is_workday": False,
        "adjusted": False,
        "source": "official",
        "reason": "国庆节",
    }
    assert days["2026-10-10"]["adjusted"] is True


def test_it_answers_this_month_by_default(api, team_leader, frozen_now):
    body = api(team_leader, "get", "/reception/calendar").json()
    assert (body["first"], body["last"], len(body["days"])) == ("2026-11-01", "2026-11-30", 30)


def test_it_answers_the_calendar_to_the_administrator_who_keeps_it(api, sysadmin, frozen_now):
    assert api(sysadmin, "get", "/reception/calendar").status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"first": "2026-10-10", "last": "2026-10-01"}, "last"),
        ({"first": "2026-01-01", "last": "2027-01-02"}, "last"),
        ({"first": "2026-13-01"}, "first"),
    ],
)
def test_it_answers_422_for_a_span_it_will_not_give(api, reception, frozen_now, query, field):
    response = api(reception, "get", "/reception/calendar", query)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_it_gives_a_whole_leap_year(api, reception, frozen_now):
    body = api(reception, "get", "/reception/calendar", {"first": "2028-01-01", "last": "2028-12-31"}).json()
    assert len(body["days"]) == 366


@pytest.mark.parametrize("code", ["attendant", "outsider"])
def test_it_refuses_the_calendar_to_the_others(api, make_persona, frozen_now, code):
    assert api(make_persona(code), "get", "/reception/calendar").status_code == 403


# --- /reception/standards -----------------------------------------------------------------------------


def test_it_lists_the_standards_the_one_in_force_first(api, reception, manager, frozen_now):
    api(manager, "post", "/reception/standards", {"reason": "冬季作息", "cleaning_from": "16:00"})
    body = api(reception, "get", "/reception/standards").json()
    assert [version["reason"] for version in body] == ["冬季作息", ""]
    assert body[0]["cleaning_from"] == "16:00:00"
    assert body[0]["changed_by"]["id"] == manager.pk
    assert body[1]["changed_by"] is None


def test_it_adds_a_version_keeping_the_times_not_sent(api, manager, frozen_now):
    response = api(manager, "post", "/reception/standards", {"reason": "冬季作息", "cleaning_from": "16:00"})
    assert response.status_code == 201
    body = response.json()
    assert (body["cleaning_from"], body["door_open_from"], body["hot_water_pots"]) == ("16:00:00", "08:40:00", 2)
    assert RoutineStandard.objects.count() == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reason": "调整", "lunch_at": "10:00"}, "lunch_at"),
        ({"reason": "调整", "lunch_at": 3600}, "lunch_at"),
        ({"reason": "调整", "lunch_at": "11:40+08:00"}, "lunch_at"),
        ({"reason": "调整", "hot_water_pots": 0}, "hot_water_pots"),
        ({"reason": "调整", "hot_water_pots": True}, "hot_water_pots"),
        ({"reason": ""}, "reason"),
        ({"lunch_at": "11:40"}, "reason"),
        ({"reason": "调整", "lunch": "11:40"}, "lunch"),
    ],
)
def test_it_answers_422_for_a_version_it_cannot_keep(api, manager, frozen_now, payload, field):
    response = api(manager, "post", "/reception/standards", payload)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not RoutineStandard.objects.filter(changed_by=manager).exists()


@pytest.mark.parametrize("code", ["reception", "team_leader"])
def test_it_lets_only_a_manager_add_a_version(api, make_persona, frozen_now, code):
    response = api(make_persona(code), "post", "/reception/standards", {"reason": "调整"})
    assert response.status_code == 403
    assert response.json()["roles"] == ["manager"]


@pytest.mark.parametrize("code", ["attendant", "outsider"])
def test_it_refuses_the_standards_to_the_others(api, make_persona, frozen_now, code):
    assert api(make_persona(code), "get", "/reception/standards").status_code == 403
