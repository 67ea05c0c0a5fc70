"""What an attacker or a slip of the keyboard sends to the meeting pages: a form error in Chinese, never a 500,
and nothing saved. The rules themselves are every form's (huiwu/lib/forms.py)."""

import pytest

from huiwu.directory.models import Person
from huiwu.meetings.models import Meeting
from huiwu.testing import login_as

HUGE = "99999999999999999999"  # more than any 64-bit id: the lookup used to overflow the database driver


def _errors(response) -> str:
    assert response.status_code == 200
    return response.context["form"].errors.as_text()


@pytest.mark.parametrize(
    "change",
    [{"attendees": [HUGE]}, {"attendees": ["1", HUGE]}, {"attendees": [f"-{HUGE}"]}, {"organizer": HUGE}],
    ids=["attendee", "attendee after a real one", "negative attendee", "organizer"],
)
def test_it_refuses_an_id_too_large_for_the_database_as_a_form_error(client, hotline, form_data, change, frozen_now):
    Person.objects.create(name="张三", title="主任")
    login_as(client, hotline)
    response = client.post("/meetings/new/", form_data | change)
    assert "选择一个有效的选项" in _errors(response)
    assert not Meeting.objects.exists()


def test_it_still_books_with_the_largest_possible_id_refused_only_as_unknown(client, hotline, form_data, frozen_now):
    login_as(client, hotline)
    response = client.post("/meetings/new/", form_data | {"attendees": [str(2**63 - 1)]})
    assert "选择一个有效的选项" in _errors(response)
    assert client.post("/meetings/new/", form_data).status_code == 302


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_it_refuses_a_far_off_day_in_the_list_filter(client, hotline, day):
    login_as(client, hotline)
    for name in ("date_from", "date_to"):
        response = client.get("/meetings/", {name: day})
        assert "请填写 1900-01-01 至 2999-12-31 之间的日期" in _errors(response)


@pytest.mark.parametrize("day", ["1900-01-01", "2999-12-31"])
def test_it_accepts_the_first_and_last_supported_day_in_the_list_filter(client, hotline, day):
    login_as(client, hotline)
    response = client.get("/meetings/", {"date_from": day, "date_to": day})
    assert response.status_code == 200
    assert response.context["form"].is_valid()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_it_refuses_to_book_on_a_far_off_day(client, hotline, form_data, day, frozen_now):
    login_as(client, hotline)
    response = client.post("/meetings/new/", form_data | {"date": day})
    assert "请填写 1900-01-01 至 2999-12-31 之间的日期" in _errors(response)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "title",
    ["周例会\u202e会例周", "周例会\u2066", "周\x07例会", "周例会\x1b[31m", "周\x85例会"],
    ids=["right-to-left override", "left-to-right isolate", "bell", "escape", "next line (C1)"],
)
def test_it_refuses_control_and_text_direction_characters_in_texts(client, hotline, form_data, title, frozen_now):
    login_as(client, hotline)
    response = client.post("/meetings/new/", form_data | {"title": title, "notes": title})
    errors = response.context["form"].errors
    assert set(errors) == {"title", "notes"}
    assert "请删除" in errors["title"][0]
    assert not Meeting.objects.exists()


def test_it_keeps_tabs_and_line_breaks_in_notes(client, hotline, form_data, frozen_now):
    login_as(client, hotline)
    response = client.post("/meetings/new/", form_data | {"notes": "第一行\r\n\t第二行"})
    assert response.status_code == 302
    assert Meeting.objects.get().notes == "第一行\r\n\t第二行"
