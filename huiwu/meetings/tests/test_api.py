"""The meetings JSON API: booking rules, conflicts and access as HTTP answers, on SQLite and PostgreSQL."""

import pytest
from django.test import Client

from huiwu.directory.models import Contact, Organization, Person
from huiwu.meetings.models import Meeting, MeetingChange, Status
from huiwu.testing import at, login_as


def _error_fields(body) -> set[str]:
    """The fields a 422 names, whether a booking rule or the schema refused them: a nested field by its path."""
    return set(body["errors"])


# --- authentication and access ------------------------------------------------------------------------


def test_it_accepts_a_personal_token_and_refuses_no_token(api, hotline, book):
    book()
    assert api(hotline, "get", "/meetings").json()["count"] == 1
    response = Client().get("/api/v1/meetings")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_it_accepts_the_session_of_the_web_pages(client, hotline, booking, frozen_now):
    login_as(client, hotline)
    response = client.post("/api/v1/meetings", booking(), content_type="application/json")
    assert response.status_code == 201
    assert client.get(f"/api/v1/meetings/{response.json()['id']}").json()["title"] == "周例会"


def test_it_shows_a_client_only_their_organizations_meetings(api, client_contact, book):
    other = Organization.objects.create(name="市财政局")
    own = book("2026-11-27 09:00", "10:00", title="本单位会议")
    foreign = book("2026-11-27 14:00", "15:00", title="财政局会议", organizer=other)
    listed = api(client_contact, "get", "/meetings").json()
    assert [item["title"] for item in listed["items"]] == ["本单位会议"]
    assert api(client_contact, "get", f"/meetings/{own.pk}").status_code == 200
    response = api(client_contact, "get", f"/meetings/{foreign.pk}")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "未找到。"}
    assert api(client_contact, "post", f"/meetings/{foreign.pk}/cancel", {"reason": "误订"}).status_code == 404
    assert Meeting.objects.get(pk=foreign.pk).status == Status.CONFIRMED


def test_it_lets_an_attendant_read_but_not_book(api, attendant, book, booking):
    meeting = book()
    assert api(attendant, "get", f"/meetings/{meeting.pk}").status_code == 200
    response = api(attendant, "post", "/meetings", booking(start="2026-11-28T09:00", end="2026-11-28T10:00"))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Meeting.objects.count() == 1


def test_it_refuses_a_user_without_a_role_as_if_nothing_existed(api, outsider, book):
    meeting = book()
    assert api(outsider, "get", "/meetings").json()["count"] == 0
    assert api(outsider, "get", f"/meetings/{meeting.pk}").status_code == 404


# --- booking ------------------------------------------------------------------------------------------


def test_it_books_confirmed_for_the_hotline(api, hotline, booking, room, frozen_now):
    response = api(hotline, "post", "/meetings", booking(service_items=[{"item": "tea", "quantity": 10}]))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["status_label"] == "已确认"
    assert body["room"]["code"] == room.code
    assert body["start"] == "2026-11-27T09:00:00+08:00"
    assert body["blocked_from"] == "2026-11-27T08:30:00+08:00"
    assert body["service_items"] == [{"item": "tea", "label": "茶水", "quantity": 10, "note": ""}]
    assert [entry["action"] for entry in body["history"]] == ["created"]
    assert Meeting.objects.get().created_by == hotline


def test_it_takes_a_request_from_a_client_of_that_organization(api, client_contact, booking, frozen_now):
    response = api(client_contact, "post", "/meetings", booking())
    assert response.status_code == 201
    assert response.json()["status"] == "requested"
    assert Meeting.objects.get().status == Status.REQUESTED


def test_it_reads_a_time_without_offset_as_shanghai_time(api, hotline, booking, frozen_now):
    response = api(hotline, "post", "/meetings", booking(start="2026-11-27T09:00", end="2026-11-27T02:00:00Z"))
    assert response.status_code == 201
    assert response.json()["end"] == "2026-11-27T10:00:00+08:00"
    assert Meeting.objects.get().start == at("2026-11-27 09:00")


def test_it_answers_409_with_the_conflicting_meeting(api, hotline, book, booking):
    taken = book("2026-11-27 09:00", "10:00", title="党组会")
    response = api(hotline, "post", "/meetings", booking(start="2026-11-27T10:15", end="2026-11-27T11:00"))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert "党组会" in body["message"]
    assert body["conflicts"] == [
        {
            "id": taken.pk,
            "title": "党组会",
            "room": "701",
            "start": "2026-11-27T09:00:00+08:00",
            "end": "2026-11-27T10:00:00+08:00",
            "blocked_from": "2026-11-27T08:30:00+08:00",
            "blocked_until": "2026-11-27T10:30:00+08:00",
        }
    ]
    assert Meeting.objects.count() == 1


def test_it_does_not_name_a_conflicting_meeting_the_client_may_not_see(api, client_contact, book, booking):
    book("2026-11-27 09:00", "10:00", title="财政局会议", organizer=Organization.objects.create(name="市财政局"))
    response = api(client_contact, "post", "/meetings", booking())
    assert response.status_code == 409
    [conflict] = response.json()["conflicts"]
    assert (conflict["id"], conflict["title"]) == (None, None)
    assert conflict["blocked_until"] == "2026-11-27T10:30:00+08:00"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start": "2026-11-27T10:00", "end": "2026-11-27T09:00"}, "end"),
        ({"headcount": 0}, "headcount"),
        ({"room": "no-such-room"}, "room"),
        ({"organizer_id": 987654}, "organizer_id"),
        ({"contact_id": 987654}, "contact_id"),
        ({"attendee_ids": [987654]}, "attendee_ids"),
        ({"start": "2026-11-25T09:00", "end": "2026-11-25T10:00"}, "start"),
        ({"start": "next Friday at nine"}, "start"),
        ({"start": "2026-11-27"}, "start"),
        ({"nature": "karaoke"}, "nature"),
        ({"service_items": [{"item": "champagne"}]}, "service_items.0.item"),
        ({"title": "长" * 121}, "title"),
        ({"setup_minutes": -10}, "setup_minutes"),
    ],
)
def test_it_refuses_bad_input_with_422_naming_the_field_and_saves_nothing(
    api, hotline, booking, frozen_now, overrides, field
):
    response = api(hotline, "post", "/meetings", booking(**overrides))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    # The message states the first reason, in Chinese, not only "请求内容无效".
    [first_field, *_] = body["errors"]
    assert body["message"] in (body["errors"][first_field][0], f"{first_field}：{body['errors'][first_field][0]}")
    assert any("\u4e00" <= character <= "\u9fff" for character in body["message"])
    assert field in _error_fields(body)
    assert not Meeting.objects.exists()


def test_it_explains_a_broken_booking_rule_in_the_callers_language(api, hotline, booking, frozen_now):
    response = api(hotline, "post", "/meetings", booking(end="2026-11-27T08:00"))
    assert response.json() == {
        "code": "invalid",
        "message": "结束时间必须晚于开始时间。",
        "errors": {"end": ["结束时间必须晚于开始时间。"]},
    }
    response = api(hotline, "post", "/meetings", booking(room="no-such-room"), **{"Accept-Language": "en"})
    assert response.json() == {
        "code": "invalid",
        "message": "There is no room with this code.",
        "errors": {"room": ["There is no room with this code."]},
    }


def test_it_refuses_a_room_out_of_service(api, hotline, booking, room, frozen_now):
    room.is_active = False
    room.save(update_fields=["is_active"])
    response = api(hotline, "post", "/meetings", booking())
    assert response.status_code == 422
    assert response.json()["errors"] == {"room": ["该会议室已停用。"]}


def test_it_refuses_a_contact_of_another_organization(api, hotline, booking, frozen_now):
    stranger = Contact.objects.create(organization=Organization.objects.create(name="市财政局"), name="王芳")
    response = api(hotline, "post", "/meetings", booking(contact_id=stranger.pk))
    assert response.status_code == 422
    assert "contact_id" in response.json()["errors"]


def test_it_lets_a_client_name_neither_another_organization_nor_leaders(api, client_contact, booking, frozen_now):
    other = Organization.objects.create(name="市财政局")
    leader = Person.objects.create(name="周国庆", title="局长", precedence=10)
    response = api(client_contact, "post", "/meetings", booking(organizer_id=other.pk, attendee_ids=[leader.pk]))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"organizer_id", "attendee_ids"}


# --- reading ------------------------------------------------------------------------------------------


def test_it_shows_attendees_by_precedence_service_items_and_history(api, hotline, booking, organization, frozen_now):
    deputy = Person.objects.create(name="李明华", title="副局长", organization=organization, precedence=5)
    chief = Person.objects.create(name="周国庆", title="局长", organization=organization, precedence=1)
    created = api(
        hotline,
        "post",
        "/meetings",
        booking(
            attendee_ids=[deputy.pk, chief.pk],
            service_items=[{"item": "tea", "quantity": 12, "note": "龙井"}, {"item": "name_cards", "quantity": 2}],
        ),
    ).json()
    body = api(hotline, "get", f"/meetings/{created['id']}").json()
    assert [(person["name"], person["precedence"]) for person in body["attendees"]] == [("周国庆", 1), ("李明华", 5)]
    assert [(line["item"], line["quantity"], line["note"]) for line in body["service_items"]] == [
        ("tea", 12, "龙井"),
        ("name_cards", 2, ""),
    ]
    assert body["history"][0]["changed_by"]["display_name"] == "hotline 测试"
    assert body["history"][0]["changed_at"] == "2026-11-26T08:00:00+08:00"


def test_it_shows_a_client_only_the_attendees_of_their_own_organization(
    api, client_contact, hotline, book, organization
):
    chief = Person.objects.create(name="周国庆", title="局长", organization=organization, precedence=1)
    guest = Person.objects.create(
        name="钱学林", title="主任", organization=Organization.objects.create(name="市财政局"), precedence=2
    )
    meeting = book()
    api(hotline, "patch", f"/meetings/{meeting.pk}", {"attendee_ids": [chief.pk, guest.pk]})
    body = api(client_contact, "get", f"/meetings/{meeting.pk}").json()
    assert [person["name"] for person in body["attendees"]] == ["周国庆"]
    assert "钱学林" not in str(body)
    assert "钱学林" in str(api(hotline, "get", f"/meetings/{meeting.pk}").json())


def test_it_keeps_the_other_attendees_when_a_client_changes_their_meeting(api, client_contact, book, organization):
    chief = Person.objects.create(name="周国庆", title="局长", organization=organization, precedence=1)
    guest = Person.objects.create(
        name="钱学林", title="主任", organization=Organization.objects.create(name="市财政局"), precedence=2
    )
    meeting = book(attendees=[chief, guest])
    response = api(client_contact, "patch", f"/meetings/{meeting.pk}", {"notes": "需要投影", "attendee_ids": []})
    assert response.status_code == 200
    assert [link.person for link in meeting.attendee_links.all()] == [guest]


def test_it_filters_and_pages_the_list(api, hotline, book, other_room):
    book("2026-11-27 09:00", "10:00", title="上午会")
    book("2026-11-27 14:00", "15:00", title="下午会")
    book("2026-11-28 09:00", "10:00", title="周六会", room=other_room)
    titles = lambda **query: [item["title"] for item in api(hotline, "get", "/meetings", query).json()["items"]]  # noqa: E731
    assert titles() == ["上午会", "下午会", "周六会"]
    assert titles(date_from="2026-11-28") == ["周六会"]
    assert titles(date_to="2026-11-27", q="下午") == ["下午会"]
    assert titles(room="702") == ["周六会"]
    assert titles(status="requested") == []
    page = api(hotline, "get", "/meetings", {"limit": 1, "offset": 1}).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (3, 1, 1, 1)
    assert api(hotline, "get", "/meetings", {"limit": 500}).status_code == 422
    assert _error_fields(api(hotline, "get", "/meetings", {"room": "nope"}).json()) == {"room"}
    assert _error_fields(api(hotline, "get", "/meetings", {"status": "lost"}).json()) == {"status"}


def test_it_lists_meetings_without_a_query_per_meeting(
    api, hotline, book, room, other_room, organization, django_assert_max_num_queries
):
    leader = Person.objects.create(name="周国庆", title="局长", organization=organization, precedence=1)
    contact = Contact.objects.create(organization=organization, name="王芳")
    for day in range(1, 13):
        book(
            f"2026-12-{day:02d} 09:00",
            "10:00",
            room=other_room if day % 2 else room,
            contact=contact,
            attendees=[leader],
            service_items={"tea": (10, "")},
        )
    api(hotline, "get", "/me")  # the token is made before counting
    # 11 whatever the number of meetings: the token, the user, the page and its prefetches, the count, the
    # clearance behind confidentiality, and the busy blocks.
    with django_assert_max_num_queries(11):
        response = api(hotline, "get", "/meetings")
    assert len(response.json()["items"]) == 12


# --- changes ------------------------------------------------------------------------------------------


def test_it_changes_only_the_fields_sent_and_records_the_reason(api, hotline, book):
    meeting = book(notes="需要投影", service_items={"tea": (10, "")})
    response = api(hotline, "patch", f"/meetings/{meeting.pk}", {"headcount": 15, "reason": "人数增加"})
    assert response.status_code == 200
    assert response.json()["headcount"] == 15
    meeting.refresh_from_db()
    assert (meeting.headcount, meeting.notes, meeting.title) == (15, "需要投影", "周例会")
    assert meeting.service_items.get().quantity == 10
    change = meeting.changes.get(action=MeetingChange.Action.UPDATED)
    assert (change.changes, change.reason) == ({"headcount": ["10", "15"]}, "人数增加")


def test_it_refuses_null_for_a_field_that_cannot_be_empty(api, hotline, book):
    meeting = book()
    response = api(hotline, "patch", f"/meetings/{meeting.pk}", {"title": None})
    assert response.status_code == 422
    assert Meeting.objects.get().title == "周例会"


def test_it_refuses_a_reschedule_into_a_conflict_and_changes_nothing(api, hotline, book):
    book("2026-11-27 14:00", "15:00", title="下午会")
    morning = book("2026-11-27 09:00", "10:00", title="上午会")
    response = api(
        hotline, "post", f"/meetings/{morning.pk}/reschedule", {"start": "2026-11-27T14:30", "end": "2026-11-27T15:30"}
    )
    assert response.status_code == 409
    assert [conflict["title"] for conflict in response.json()["conflicts"]] == ["下午会"]
    morning.refresh_from_db()
    assert (morning.start, morning.end) == (at("2026-11-27 09:00"), at("2026-11-27 10:00"))
    assert not morning.changes.filter(action=MeetingChange.Action.UPDATED).exists()


def test_it_reschedules_into_another_room(api, hotline, book, other_room):
    meeting = book()
    response = api(
        hotline,
        "post",
        f"/meetings/{meeting.pk}/reschedule",
        {"start": "2026-11-27T15:00", "end": "2026-11-27T16:00", "room": "702", "reason": "领导要求改期"},
    )
    assert response.status_code == 200
    assert (response.json()["room"]["code"], response.json()["start"]) == ("702", "2026-11-27T15:00:00+08:00")
    assert response.json()["history"][-1]["reason"] == "领导要求改期"


def test_it_frees_the_slot_when_a_meeting_is_cancelled(api, hotline, book, booking):
    meeting = book()
    assert api(hotline, "post", "/meetings", booking()).status_code == 409
    response = api(hotline, "post", f"/meetings/{meeting.pk}/cancel", {"reason": "领导临时出差"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_reason"]) == ("cancelled", "领导临时出差")
    assert api(hotline, "post", "/meetings", booking()).status_code == 201


def test_it_requires_a_reason_to_cancel(api, hotline, book):
    meeting = book()
    response = api(hotline, "post", f"/meetings/{meeting.pk}/cancel", {"reason": " "})
    assert response.status_code == 422
    assert "原因" in response.json()["errors"]["reason"][0]
    assert Meeting.objects.get().status == Status.CONFIRMED


def test_it_lets_booking_staff_confirm_or_reject_a_clients_request(api, client_contact, manager, booking, frozen_now):
    first = api(client_contact, "post", "/meetings", booking()).json()
    second = api(client_contact, "post", "/meetings", booking(start="2026-11-27T14:00", end="2026-11-27T15:00")).json()
    assert api(client_contact, "post", f"/meetings/{first['id']}/confirm").status_code == 403
    assert api(manager, "post", f"/meetings/{first['id']}/confirm").json()["status"] == "confirmed"
    rejected = api(manager, "post", f"/meetings/{second['id']}/reject", {"reason": "该时段已安排检查"}).json()
    assert rejected["status"] == "rejected"
    response = api(manager, "post", f"/meetings/{first['id']}/confirm")
    assert response.status_code == 422
    assert "__all__" in response.json()["errors"]


# --- availability and schema --------------------------------------------------------------------------


def test_it_lists_only_the_free_rooms_that_hold_the_headcount(api, client_contact, book, room, other_room):
    book("2026-11-27 09:00", "10:00", room=room)
    query = {"start": "2026-11-27T10:15", "end": "2026-11-27T11:00", "headcount": 10}
    assert [free["code"] for free in api(client_contact, "get", "/availability", query).json()] == ["702"]
    query |= {"start": "2026-11-27T11:00", "end": "2026-11-27T12:00"}
    assert [free["code"] for free in api(client_contact, "get", "/availability", query).json()] == ["701", "702"]
    query["headcount"] = 30
    assert [free["code"] for free in api(client_contact, "get", "/availability", query).json()] == ["702"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-11-27T11:00", "end": "2026-11-27T10:00", "headcount": 5}, "end"),
        ({"start": "2026-11-27T10:00", "end": "2026-11-27T11:00", "headcount": 0}, "headcount"),
        ({"start": "soon", "end": "2026-11-27T11:00", "headcount": 5}, "start"),
    ],
)
def test_it_refuses_a_bad_availability_window(api, hotline, room, query, field):
    response = api(hotline, "get", "/availability", query)
    assert response.status_code == 422
    assert field in _error_fields(response.json())


def test_it_refuses_availability_to_a_user_without_a_role(api, outsider, room):
    query = {"start": "2026-11-27T10:00", "end": "2026-11-27T11:00", "headcount": 5}
    assert api(outsider, "get", "/availability", query).status_code == 403


def test_it_describes_the_meetings_api_in_the_openapi_schema(db):
    schema = Client().get("/api/v1/openapi.json").json()
    for path, method in [
        ("/api/v1/meetings", "get"),
        ("/api/v1/meetings", "post"),
        ("/api/v1/meetings/{meeting_id}", "get"),
        ("/api/v1/meetings/{meeting_id}", "patch"),
        ("/api/v1/meetings/{meeting_id}/reschedule", "post"),
        ("/api/v1/meetings/{meeting_id}/cancel", "post"),
        ("/api/v1/meetings/{meeting_id}/confirm", "post"),
        ("/api/v1/meetings/{meeting_id}/reject", "post"),
        ("/api/v1/availability", "get"),
    ]:
        assert schema["paths"][path][method]["summary"]
    assert "409" in schema["paths"]["/api/v1/meetings"]["post"]["responses"]
    patch_fields = schema["components"]["schemas"]["MeetingPatchIn"]["properties"]
    assert not [name for name, field in patch_fields.items() if "default" in field]
    assert "symposium" in schema["components"]["schemas"]["Nature"]["enum"]
