"""The day's newspaper round over JSON: the list, an office ticked, a missing paper."""

import pytest
import time_machine

from huiwu.reception.models import LeaderOffice, MissingPaper, NewspaperDelivery, Publication, Subscription
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def renmin(db):
    return Publication.objects.create(name="人民日报")


@pytest.fixture
def table(renmin, leader, other_leader, principal_office, office):
    Subscription.objects.create(year=2026, leader=leader, publication=renmin, copies=1)
    Subscription.objects.create(year=2026, leader=other_leader, publication=renmin, copies=2)
    return renmin


def _at(when):
    return time_machine.travel(at(when), tick=False)


def test_it_answers_the_days_list_in_delivery_order(api, team_leader, table, office):
    office.presence, office.presence_set_at = LeaderOffice.Presence.AWAY, at("2026-11-25 09:00")
    office.save()
    with _at("2026-11-26 09:00"):
        body = api(team_leader, "get", "/reception/newspapers").json()
    assert (body["day"], body["is_workday"], body["window_from"], body["window_until"]) == (
        "2026-11-26",
        True,
        "10:30",
        "11:00",
    )
    assert [(entry["room"], entry["away"], entry["delivery"]) for entry in body["offices"]] == [
        ("7楼 705室", True, None),
        ("7楼 706室", False, None),
    ]
    assert body["offices"][0]["papers"] == [
        {"publication": {"id": table.pk, "name": "人民日报", "is_active": True}, "copies": 2}
    ]
    assert body["totals"][0]["copies"] == 3


def test_it_answers_another_day_and_refuses_a_bad_one(api, reception, table):
    with _at("2026-11-26 09:00"):
        assert api(reception, "get", "/reception/newspapers", {"day": "2026-11-28"}).json()["is_workday"] is False
        for day in ("2026-02-30", "0001-01-01", "tomorrow"):
            assert api(reception, "get", "/reception/newspapers", {"day": day}).status_code == 422


@pytest.mark.parametrize("persona", ["attendant", "client_contact", "outsider"])
def test_it_shows_the_round_to_nobody_outside_reception(api, table, persona, request):
    assert api(request.getfixturevalue(persona), "get", "/reception/newspapers").status_code == 403


def test_it_ticks_an_office_once_and_answers_the_timing(api, reception, table, office):
    with _at("2026-11-26 11:01"):
        answer = api(reception, "post", f"/reception/newspapers/offices/{office.pk}/delivered")
    assert answer.status_code == 201
    assert answer.json()["delivery"]["timing"] == "late"
    assert answer.json()["delivery"]["delivered_at"] == "2026-11-26T11:01:00+08:00"
    with _at("2026-11-26 11:02"):
        again = api(reception, "post", f"/reception/newspapers/offices/{office.pk}/delivered")
    assert again.status_code == 422
    assert "11:01" in again.json()["message"]
    assert NewspaperDelivery.objects.count() == 1


def test_it_refuses_a_tick_with_403_and_404(api, reception, team_leader, table, office):
    with _at("2026-11-26 10:40"):
        assert api(team_leader, "post", f"/reception/newspapers/offices/{office.pk}/delivered").status_code == 403
        assert api(reception, "post", "/reception/newspapers/offices/999999/delivered").status_code == 404
        assert api(reception, "post", f"/reception/newspapers/offices/{2**70}/delivered").status_code == 404
        assert api(team_leader, "post", "/reception/newspapers/offices/999999/delivered").status_code == 404
    assert not NewspaperDelivery.objects.exists()


def test_it_refuses_a_tick_on_a_day_off(api, reception, table, office):
    with _at("2026-11-28 10:40"):
        answer = api(reception, "post", f"/reception/newspapers/offices/{office.pk}/delivered")
    assert answer.status_code == 422
    assert "day" in answer.json()["errors"]


def test_it_records_a_missing_paper(api, reception, table, office):
    path = f"/reception/newspapers/offices/{office.pk}/missing"
    with _at("2026-11-26 10:35"):
        answer = api(reception, "post", path, {"publication_id": table.pk, "copies": 2, "note": "未到"})
        assert answer.status_code == 201
        assert answer.json()["missing"][0]["copies"] == 2
        assert api(reception, "post", path, {"publication_id": table.pk, "copies": 1}).status_code == 422
    assert MissingPaper.objects.count() == 1


def test_it_refuses_a_missing_paper_with_403_404_and_422(api, reception, team_leader, table, office):
    path = f"/reception/newspapers/offices/{office.pk}/missing"
    with _at("2026-11-26 10:35"):
        assert api(team_leader, "post", path, {"publication_id": table.pk, "copies": 1}).status_code == 403
        assert (
            api(
                reception,
                "post",
                "/reception/newspapers/offices/999999/missing",
                {"publication_id": table.pk, "copies": 1},
            ).status_code
            == 404
        )
        unknown = api(reception, "post", path, {"publication_id": 999999, "copies": 1})
        assert unknown.status_code == 422
        assert "publication_id" in unknown.json()["errors"]
        too_many = api(reception, "post", path, {"publication_id": table.pk, "copies": 3})
        assert too_many.status_code == 422
        assert "copies" in too_many.json()["errors"]
        assert (
            api(reception, "post", path, {"publication_id": table.pk, "copies": 1, "note": "\x00"}).status_code == 422
        )
    assert not MissingPaper.objects.exists()
