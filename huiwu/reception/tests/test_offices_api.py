"""The presence board and the cleanings over JSON: the same rules and access as the pages, as HTTP answers."""

import pytest
import time_machine

from huiwu.reception.models import CleaningRecord, LeaderOffice
from huiwu.reception.services.offices import office_presence_set
from huiwu.testing import at

Presence = LeaderOffice.Presence
OTHER_STEPS = ["cups", "ashtray", "waste_basket", "desk", "window_sill", "flower_pots", "wash_basin"]


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages these tests read are the English msgids; the site's language is Chinese.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def clock(db):
    with time_machine.travel(at("2026-11-26 16:40"), tick=False) as traveller:
        yield traveller


@pytest.fixture
def cleaning(api, reception, office):
    office_presence_set(user=reception, office=office, presence=Presence.OUT)
    body = api(reception, "post", f"/reception/offices/{office.pk}/cleaning").json()
    return CleaningRecord.objects.get(pk=body["id"])


def test_it_lists_the_board_with_todays_presence(api, reception, office, principal_office):
    office_presence_set(user=reception, office=office, presence=Presence.AWAY, note="出差至周五")
    body = api(reception, "get", "/reception/offices").json()
    assert [(o["room"], o["presence"], o["can_be_cleaned"]) for o in body] == [
        ("7楼 706室", None, False),
        ("7楼 705室", "away", True),
    ]
    assert body[1]["presence_note"] == "出差至周五"
    assert body[1]["presence_set_by"]["id"] == reception.pk
    assert body[0]["leader"] == {"id": principal_office.leader_id, "name": "周国庆", "title": "局长"}


def test_it_sets_the_presence(api, reception, office, clock):
    response = api(reception, "post", f"/reception/offices/{office.pk}/presence", {"presence": "out", "note": "开会"})
    assert response.status_code == 200
    assert (response.json()["presence"], response.json()["presence_set_at"]) == ("out", "2026-11-26T16:40:00+08:00")
    clock.move_to(at("2026-11-27 09:00"))
    assert api(reception, "get", "/reception/offices").json()[0]["presence"] is None


@pytest.mark.parametrize(
    "payload", [{"presence": "home"}, {"presence": "out", "note": "x" * 101}, {"presence": "out", "extra": 1}, {}]
)
def test_it_refuses_a_bad_presence_with_422(api, reception, office, payload):
    assert api(reception, "post", f"/reception/offices/{office.pk}/presence", payload).status_code == 422
    office.refresh_from_db()
    assert office.presence_set_at is None


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_lets_readers_read_but_not_write(api, request, persona, office, cleaning):
    user = request.getfixturevalue(persona)
    assert api(user, "get", "/reception/offices").status_code == 200
    assert api(user, "get", f"/reception/cleanings/{cleaning.pk}").status_code == 200
    assert api(user, "get", "/reception/cleanings").json()[0]["id"] == cleaning.pk
    assert api(user, "post", f"/reception/offices/{office.pk}/presence", {"presence": "in"}).status_code == 403
    assert api(user, "post", f"/reception/offices/{office.pk}/cleaning").status_code == 403
    for action, payload in (("knock", None), ("step", {"step": "cups"}), ("lock", None)):
        assert api(user, "post", f"/reception/cleanings/{cleaning.pk}/{action}", payload).status_code == 403
    assert CleaningRecord.objects.get().knocked_at is None


@pytest.mark.parametrize("persona", ["attendant", "outsider"])
def test_it_hides_offices_and_cleanings_from_others(api, request, persona, office, cleaning):
    user = request.getfixturevalue(persona)
    assert api(user, "get", "/reception/offices").status_code == 403
    assert api(user, "get", "/reception/cleanings").status_code == 403
    assert api(user, "get", f"/reception/cleanings/{cleaning.pk}").status_code == 404
    assert api(user, "post", f"/reception/offices/{office.pk}/presence", {"presence": "in"}).status_code == 404
    assert api(user, "post", f"/reception/cleanings/{cleaning.pk}/knock").status_code == 404


@pytest.mark.parametrize("object_id", ["0", "99999999999999999999999"])
def test_it_answers_404_or_422_for_ids_that_cannot_exist(api, reception, object_id):
    assert api(reception, "get", f"/reception/cleanings/{object_id}").status_code in (404, 422)
    assert api(reception, "post", f"/reception/cleanings/{object_id}/knock").status_code in (404, 422)
    response = api(reception, "post", f"/reception/offices/{object_id}/presence", {"presence": "in"})
    assert response.status_code in (404, 422)


def test_it_refuses_to_begin_the_cleaning_of_an_office_whose_leader_is_in(api, reception, office):
    office_presence_set(user=reception, office=office, presence=Presence.IN)
    response = api(reception, "post", f"/reception/offices/{office.pk}/cleaning")
    assert response.status_code == 422
    assert "吴晓峰 is in the office today" in response.json()["errors"]["office"][0]
    assert not CleaningRecord.objects.exists()


def test_it_runs_a_whole_cleaning(api, reception, leader, cleaning):
    url = f"/reception/cleanings/{cleaning.pk}"
    body = api(reception, "get", url).json()
    assert (body["next_step"], body["knocked_at"], len(body["missing"])) == ("cups", None, 11)
    assert [s["step"] for s in body["steps"]] == OTHER_STEPS
    assert api(reception, "post", f"{url}/step", {"step": "cups"}).status_code == 422
    assert api(reception, "post", f"{url}/knock").json()["knocked_at"] == "2026-11-26T16:40:00+08:00"
    refused = api(reception, "post", f"{url}/step", {"step": "ashtray"})
    assert refused.status_code == 422
    assert refused.json()["errors"]["step"] == ["Not yet: next is “Tea cups” (step 1 of 7)."]
    for step in OTHER_STEPS:
        body = api(reception, "post", f"{url}/step", {"step": step}).json()
    assert body["next_step"] is None
    assert api(reception, "post", f"{url}/lock").status_code == 422
    for inspection in ("tissues", "bottled_water", "water_dispenser"):
        response = api(reception, "post", f"{url}/inspect", {"inspection": inspection, "answer": "enough"})
        assert response.status_code == 200
    document = api(
        reception,
        "post",
        f"{url}/documents",
        {"title": "关于维修的请示", "document_number": "机管发〔2026〕45号"},
    )
    assert document.status_code == 201
    assert document.json()["reviewing_leader"]["name"] == "吴晓峰"
    assert (document.json()["office"]["room"], document.json()["cleaning_id"]) == ("7楼 705室", cleaning.pk)
    body = api(reception, "get", url).json()
    assert body["documents"][0]["document_number"] == "机管发〔2026〕45号"
    assert {i["inspection"]: i["answer"] for i in body["inspections"]}["documents"] == "taken"
    locked = api(reception, "post", f"{url}/lock")
    assert (locked.status_code, locked.json()["locked_at"]) == (200, "2026-11-26T16:40:00+08:00")
    assert api(reception, "post", f"{url}/step", {"step": "cups"}).status_code == 422


@pytest.mark.parametrize(
    "payload",
    [
        {"inspection": "tissues", "answer": "taken"},
        {"inspection": "tea", "answer": "enough"},
        {"inspection": "tissues"},
    ],
)
def test_it_refuses_an_answer_that_does_not_fit_with_422(api, reception, cleaning, payload):
    api(reception, "post", f"/reception/cleanings/{cleaning.pk}/knock")
    assert api(reception, "post", f"/reception/cleanings/{cleaning.pk}/inspect", payload).status_code == 422
    assert CleaningRecord.objects.get().inspections == {}


def test_it_refuses_a_document_from_a_cleaning_with_an_unknown_leader(api, reception, cleaning):
    api(reception, "post", f"/reception/cleanings/{cleaning.pk}/knock")
    response = api(
        reception,
        "post",
        f"/reception/cleanings/{cleaning.pk}/documents",
        {"title": "通知", "document_number": "1号", "reviewing_leader_id": 999999},
    )
    assert response.status_code == 422
    assert "reviewing_leader_id" in response.json()["errors"]


def test_it_lists_a_days_cleanings_in_a_bounded_number_of_queries(
    api, reception, office, principal_office, cleaning, django_assert_max_num_queries
):
    office_presence_set(user=reception, office=principal_office, presence=Presence.AWAY)
    api(reception, "post", f"/reception/offices/{principal_office.pk}/cleaning")
    with django_assert_max_num_queries(8):
        body = api(reception, "get", "/reception/cleanings", {"day": "2026-11-26"}).json()
    assert [c["office"]["room"] for c in body] == ["7楼 706室", "7楼 705室"]
    assert api(reception, "get", "/reception/cleanings", {"day": "2026-11-25"}).json() == []
    assert api(reception, "get", "/reception/cleanings", {"day": "20261126"}).status_code == 422
