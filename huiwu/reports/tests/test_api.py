"""The figures over the API, as an integrator reads them: the manager every organizer's, a client contact only
their own organization's (another's answers 404) and none of the building's own; the period's bounds."""

import pytest


def test_it_gives_the_manager_every_figure_of_the_week(api, manager, two_meetings):
    body = api(manager, "get", "/reports/figures?period=week&day=2026-11-25").json()
    assert (body["first"], body["last"], body["organizer"]) == ("2026-11-23", "2026-11-29", None)
    assert {row["room"]: (row["meetings"], row["hours"], row["open_hours"]) for row in body["rooms"]} == {
        "701会议室": (1, 1.0, 45.0),
        "702会议室": (1, 2.0, 45.0),
    }
    assert [(row["organizer"], row["meetings"]) for row in body["organizers"]] == [("市财政局", 1), ("测试委办局", 1)]
    heat = body["heat"]
    assert heat["hours"] == [8, 9, 10, 11, 12, 13, 14, 15, 16, 17]
    assert [(row["room"], row["minutes"][:4]) for row in heat["rooms"]] == [
        ("701会议室", [0, 60, 0, 0]),
        ("702会议室", [0, 60, 60, 0]),
    ]
    assert heat["rooms"][1]["utilisation"][2] == 0.2
    # Friday's meeting has started: its three levels, none confirmed, are missed.
    assert [(row["level"], row["missed"]) for row in body["checks"]] == [(1, 1), (2, 1), (3, 1)]
    assert body["satisfaction"]["target"] == 0.96
    assert body["reception"] is not None
    assert body["staff"] is not None


def test_it_narrows_a_clients_figures_to_their_organization(api, client_contact, two_meetings):
    body = api(client_contact, "get", "/reports/figures?period=week&day=2026-11-25").json()
    assert body["organizer"] == client_contact.organization_id
    assert [(row["organizer"], row["meetings"]) for row in body["organizers"]] == [("测试委办局", 1)]
    assert sum(row["meetings"] for row in body["rooms"]) == 1
    assert (body["reception"], body["staff"], body["refills_by_attendant"]) == (None, None, None)
    assert api(client_contact, "get", f"/reports/figures?organizer={two_meetings.pk}").status_code == 404


def test_it_refuses_who_reads_no_figures(api, attendant, reception):
    for user in (attendant, reception):
        response = api(user, "get", "/reports/figures")
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=range&date_from=2026-11-30", "date_to"),
        ("period=range&date_from=2026-11-30&date_to=2026-11-29", "date_to"),
        ("period=range&date_from=2026-01-01&date_to=2027-01-02", "date_to"),
        ("period=year", "period"),
        ("day=3000-01-01", "day"),
        ("room=0", "room"),
    ],
)
def test_it_answers_422_to_a_period_it_cannot_read(api, manager, query, field):
    response = api(manager, "get", f"/reports/figures?{query}")
    assert response.status_code == 422
    assert field in response.json()["errors"]


@pytest.mark.parametrize(("date_to", "status"), [("2026-12-31", 200), ("2027-01-01", 200), ("2027-01-02", 422)])
def test_it_reads_a_range_of_up_to_366_days(api, manager, date_to, status):
    # 1 January 2026 to 1 January 2027 is 366 days.
    assert (
        api(manager, "get", f"/reports/figures?period=range&date_from=2026-01-01&date_to={date_to}").status_code
        == status
    )


def test_it_answers_404_for_a_room_site_or_organizer_that_does_not_exist(api, manager):
    for parameter in ("room", "site", "organizer"):
        assert api(manager, "get", f"/reports/figures?{parameter}=999999").status_code == 404


def test_it_gives_the_month_of_the_day_by_default(api, manager, two_meetings):
    body = api(manager, "get", "/reports/figures").json()
    assert (body["first"], body["last"]) == ("2026-11-01", "2026-11-30")
