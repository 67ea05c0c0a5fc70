"""The register's pages: the open list, the form, the detail page with its return form, the export."""

import io

import openpyxl
import pytest

from huiwu.lostfound.models import LostItem
from huiwu.lostfound.services import lost_item_return
from huiwu.testing import at, login_as

FORM = {
    "description": "黑色保温杯",
    "found_where": "主席台第三座",
    "found_date": "2026-11-26",
    "found_time": "07:40",
    "stored_where": "7楼服务台",
    "notes": "",
}

RETURN = {
    "returned_to": "张处长",
    "returned_to_phone": "138 0000 1234",
    "returned_date": "2026-11-26",
    "returned_time": "07:55",
}


@pytest.fixture
def returned(register, attendant):
    item = register(description="蓝色雨伞", found_at=at("2026-11-24 18:00"))
    return lost_item_return(user=attendant, item=item, returned_to="李秘书", returned_at=at("2026-11-25 09:00"))


def _listed(response) -> list[str]:
    return [item.description for item in response.context["page"]]


# --- access -------------------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(client, item):
    response = client.get("/lost-and-found/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["client_contact", "outsider"])
def test_it_refuses_clients_and_users_without_a_role_everywhere(client, request, persona, item):
    login_as(client, request.getfixturevalue(persona))
    assert client.get("/lost-and-found/").status_code == 403
    assert client.get("/lost-and-found/?export=xlsx").status_code == 403
    assert client.get("/lost-and-found/new/").status_code == 403
    assert client.post("/lost-and-found/new/", FORM).status_code == 403
    assert client.get(f"/lost-and-found/{item.pk}/").status_code == 404
    assert client.post(f"/lost-and-found/{item.pk}/return/", RETURN).status_code == 404
    assert LostItem.objects.count() == 1
    assert LostItem.objects.get().is_open


def test_it_lets_the_security_officer_read_but_not_write(client, security_officer, item):
    login_as(client, security_officer)
    html = client.get("/lost-and-found/").content.decode()
    assert "黑色保温杯" in html
    assert 'data-testid="register"' not in html
    detail = client.get(f"/lost-and-found/{item.pk}/").content.decode()
    assert 'data-testid="return-form"' not in detail
    assert client.get("/lost-and-found/new/").status_code == 403
    assert client.post(f"/lost-and-found/{item.pk}/return/", RETURN).status_code == 403
    assert LostItem.objects.get().is_open


@pytest.mark.parametrize("path", ["/lost-and-found/99999999999999999999999/", "/lost-and-found/0/"])
def test_it_answers_404_for_items_that_cannot_exist(client, attendant, path):
    login_as(client, attendant)
    assert client.get(path).status_code == 404


# --- list ---------------------------------------------------------------------------------------------


def test_it_lists_only_open_items_by_default_newest_first(client, hotline, register, returned):
    register(description="工作证", found_at=at("2026-11-26 07:00"))
    register(description="黑色保温杯", found_at=at("2026-11-25 17:30"))
    login_as(client, hotline)
    response = client.get("/lost-and-found/")
    assert _listed(response) == ["工作证", "黑色保温杯"]
    assert "蓝色雨伞" not in response.content.decode()


def test_it_moves_a_returned_item_out_of_the_open_list(client, attendant, item):
    login_as(client, attendant)
    assert _listed(client.get("/lost-and-found/")) == ["黑色保温杯"]
    client.post(f"/lost-and-found/{item.pk}/return/", RETURN)
    assert _listed(client.get("/lost-and-found/")) == []
    assert _listed(client.get("/lost-and-found/?state=returned")) == ["黑色保温杯"]


def test_it_shows_all_items_with_the_open_ones_first(client, hotline, register, returned):
    register(description="工作证", found_at=at("2026-11-23 07:00"))
    login_as(client, hotline)
    assert _listed(client.get("/lost-and-found/?state=all")) == ["工作证", "蓝色雨伞"]


def test_it_searches_the_item_and_the_places(client, hotline, register):
    register(description="黑色保温杯", found_where="主席台", stored_where="7楼服务台")
    register(description="工作证", found_where="第二排", stored_where="保安室")
    login_as(client, hotline)
    assert _listed(client.get("/lost-and-found/", {"q": "保温"})) == ["黑色保温杯"]
    assert _listed(client.get("/lost-and-found/", {"q": "第二排"})) == ["工作证"]
    assert _listed(client.get("/lost-and-found/", {"q": "保安"})) == ["工作证"]


@pytest.mark.parametrize("query", ["?state=lost", "?q=" + "长" * 500, "?page=abc", "?page=999", "?state=&q="])
def test_it_falls_back_to_the_open_list_on_odd_filters(client, hotline, item, query):
    login_as(client, hotline)
    response = client.get(f"/lost-and-found/{query}")
    assert response.status_code == 200
    assert response.context["state"] == "open"


def test_it_exports_the_filtered_list_in_shanghai_time(client, hotline, item, returned):
    login_as(client, hotline)
    response = client.get("/lost-and-found/?state=all&export=xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, first, second = rows
    assert header[:3] == ("Found at", "Item", "Status")
    assert first[:3] == (at("2026-11-25 17:30").replace(tzinfo=None), "黑色保温杯", "Not yet returned")
    assert second[1:3] == ("蓝色雨伞", "Returned")
    assert second[8:12] == (at("2026-11-25 09:00").replace(tzinfo=None), "李秘书", None, "attendant 测试")
    only_open = client.get("/lost-and-found/?export=xlsx")
    assert len(list(openpyxl.load_workbook(io.BytesIO(only_open.content)).active.iter_rows())) == 2


def test_it_keeps_formulas_typed_as_items_as_text(client, hotline, register):
    register(description='=HYPERLINK("http://x")')
    login_as(client, hotline)
    response = client.get("/lost-and-found/?export=xlsx")
    cell = openpyxl.load_workbook(io.BytesIO(response.content)).active["B2"]
    assert cell.data_type == "s"


# --- register -----------------------------------------------------------------------------------------


def test_it_registers_an_item_through_the_form(client, attendant, room, frozen_now):
    login_as(client, attendant)
    response = client.post("/lost-and-found/new/", FORM | {"room": str(room.pk)})
    item = LostItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/lost-and-found/{item.pk}/"
    assert item.found_at == at("2026-11-26 07:40")
    assert (item.room, item.found_by, item.meeting) == (room, attendant, None)


def test_it_prefills_the_meeting_and_its_room(client, attendant, book, other_room):
    meeting = book("2026-11-26 09:00", "10:00", room=other_room, title="党组会")
    login_as(client, attendant)
    response = client.get(f"/lost-and-found/new/?meeting={meeting.pk}")
    form = response.context["form"]
    assert form["meeting"].value() == meeting.pk
    assert form["room"].value() == other_room.pk
    assert "党组会" in response.content.decode()


def test_it_registers_an_item_for_the_meeting_it_was_opened_from(client, attendant, book, other_room, frozen_now):
    meeting = book("2026-11-26 09:00", "10:00", room=other_room)
    frozen_now.move_to("2026-11-26 10:30 +0800")
    login_as(client, attendant)
    data = FORM | {"meeting": str(meeting.pk), "found_time": "10:10"}
    response = client.post(f"/lost-and-found/new/?meeting={meeting.pk}", data)
    assert response.status_code == 302
    item = LostItem.objects.get()
    assert (item.meeting, item.room) == (meeting, other_room)


def test_it_answers_404_for_a_meeting_the_user_may_not_see(client, attendant):
    login_as(client, attendant)
    assert client.get("/lost-and-found/new/?meeting=424242").status_code == 404


@pytest.mark.parametrize("value", ["abc", "²", "-1", "9" * 40, ""])
def test_it_ignores_a_meeting_that_is_not_an_id(client, attendant, value):
    login_as(client, attendant)
    response = client.get("/lost-and-found/new/", {"meeting": value})
    assert response.status_code == 200
    assert response.context["meeting"] is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"description": ""}, "description", "This field is required."),
        ({"description": "   "}, "description", "This field is required."),
        ({"found_time": "09:00"}, "found_time", "cannot be in the future"),
        ({"found_date": "2026-13-45"}, "found_date", "Enter a valid date."),
        ({"found_time": "25:99"}, "found_time", "Enter a valid time."),
        ({"room": "999999"}, "room", "Select a valid choice."),
        ({"meeting": "999999"}, "meeting", "Select a valid choice."),
        ({"stored_where": "x" * 201}, "stored_where", "at most 200 characters"),
        ({"notes": "a\x00b"}, "notes", "Null characters are not allowed."),
    ],
)
def test_it_refuses_bad_input_with_a_field_error_and_saves_nothing(
    client, attendant, frozen_now, change, field, message
):
    login_as(client, attendant)
    response = client.post("/lost-and-found/new/", FORM | change)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not LostItem.objects.exists()


# --- detail and return --------------------------------------------------------------------------------


def test_it_shows_the_item_in_shanghai_time_with_the_return_form(client, hotline, attendant, item):
    login_as(client, hotline)
    response = client.get(f"/lost-and-found/{item.pk}/")
    html = response.content.decode()
    assert "2026-11-25 17:30" in html
    assert "主席台第三座" in html
    assert 'data-testid="return-form"' in html
    form = response.context["return_form"]
    assert form["handed_over_by"].value() == hotline.pk
    assert form["returned_time"].value().strftime("%H:%M") == "08:00"


def test_it_offers_active_staff_who_may_hand_items_over(
    client, hotline, attendant, security_officer, client_contact, item
):
    attendant.is_active = False
    attendant.save()
    login_as(client, hotline)
    choices = client.get(f"/lost-and-found/{item.pk}/").context["return_form"].fields["handed_over_by"].queryset
    assert list(choices) == [hotline]


def test_it_records_the_return_through_the_form(client, hotline, attendant, item):
    login_as(client, hotline)
    response = client.post(f"/lost-and-found/{item.pk}/return/", RETURN | {"handed_over_by": str(attendant.pk)})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.returned_to, item.returned_to_phone) == ("张处长", "138 0000 1234")
    assert (item.handed_over_by, item.returned_at) == (attendant, at("2026-11-26 07:55"))
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="returned"' in html
    assert 'data-testid="return-form"' not in html


def test_it_refuses_returning_twice_with_a_message(client, hotline, attendant, item):
    login_as(client, hotline)
    client.post(f"/lost-and-found/{item.pk}/return/", RETURN | {"handed_over_by": str(hotline.pk)})
    response = client.post(
        f"/lost-and-found/{item.pk}/return/",
        RETURN | {"returned_to": "冒领人", "handed_over_by": str(hotline.pk)},
        follow=True,
    )
    assert "already returned to 张处长" in response.content.decode()
    assert LostItem.objects.get().returned_to == "张处长"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"returned_to": " "}, "returned_to", "This field is required."),
        ({"returned_to_phone": "call me"}, "returned_to_phone", "Enter a phone number"),
        ({"returned_time": "09:00"}, "returned_time", "cannot be in the future"),
        ({"returned_date": "2026-11-24"}, "returned_time", "before it was found (2026-11-25 17:30)"),
        ({"handed_over_by": "999999"}, "handed_over_by", "Select a valid choice."),
        ({"returned_date": "yesterday"}, "returned_date", "Enter a valid date."),
    ],
)
def test_it_refuses_a_bad_return_and_changes_nothing(client, hotline, item, change, field, message):
    login_as(client, hotline)
    data = RETURN | {"handed_over_by": str(hotline.pk)} | change
    response = client.post(f"/lost-and-found/{item.pk}/return/", data)
    assert response.status_code == 200
    errors = response.context["return_form"].errors
    assert message in " ".join(errors[field]), errors
    assert 'data-testid="return-form"' in response.content.decode()
    item.refresh_from_db()
    assert item.is_open
    assert item.returned_to == ""


def test_it_only_accepts_the_return_by_post(client, hotline, item):
    login_as(client, hotline)
    assert client.get(f"/lost-and-found/{item.pk}/return/").status_code == 405


def test_it_offers_the_recent_meetings_and_the_one_it_was_opened_from(client, attendant, book, manager, frozen_now):
    recent = book("2026-11-26 09:00", "10:00", title="今天的会")
    old = book("2026-11-10 09:00", "10:00", title="早先的会", user=manager)
    book("2026-11-10 14:00", "15:00", title="另一个早先的会", user=manager)
    login_as(client, attendant)
    offered = client.get("/lost-and-found/new/").context["form"].fields["meeting"].queryset
    assert list(offered) == [recent]
    offered = client.get(f"/lost-and-found/new/?meeting={old.pk}").context["form"].fields["meeting"].queryset
    assert set(offered) == {recent, old}


def test_it_lists_in_constant_queries(client, hotline, register, django_assert_max_num_queries):
    for number in range(20):
        register(description=f"物品{number}")
    login_as(client, hotline)
    with django_assert_max_num_queries(10):
        assert client.get("/lost-and-found/?state=all").status_code == 200
