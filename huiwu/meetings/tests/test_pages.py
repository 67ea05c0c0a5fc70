import re

import pytest
from django.conf import settings

from huiwu.directory.models import Organization
from huiwu.meetings.models import Meeting, MeetingChange, Status
from huiwu.meetings.services import meeting_create
from huiwu.meetings.tests.conftest import FORM
from huiwu.testing import at, login_as


def test_it_shows_the_day_timeline_with_meetings_buffers_and_bookable_slots(client, hotline, book):
    meeting = book("2026-11-27 09:00", "10:00", title="党组会")
    login_as(client, hotline)
    html = client.get("/meetings/timeline/?date=2026-11-27").content.decode()
    assert f'href="/meetings/{meeting.pk}/"' in html
    assert "党组会" in html
    assert 'data-slot="701-11:00"' in html
    assert "/meetings/new/?room=701&date=2026-11-27&start=11:00" in html
    # The meeting and its buffers (08:30–10:30) are not offered for booking.
    for taken in ("08:30", "09:00", "09:30", "10:00"):
        assert f'data-slot="701-{taken}"' not in html
    assert "hw-buffer" in html


def test_it_sizes_the_timeline_with_classes_the_stylesheet_defines(client, hotline, book):
    # Style attributes are forbidden by the Content-Security-Policy: the column count and each span are
    # classes of huiwu.css, for every length a day's timeline can have (up to 48 half-hours).
    book("2026-11-27 09:00", "10:00", title="党组会")
    login_as(client, hotline)
    html = client.get("/meetings/timeline/?date=2026-11-27").content.decode()
    assert 'class="hw-timeline hw-slots-30"' in html
    assert re.search(r'class="hw-tl-cell hw-meeting [^"]*\bhw-span-2"', html)
    assert re.search(r'class="hw-tl-cell hw-buffer hw-span-1"', html)
    stylesheet = (settings.BASE_DIR / "static" / "huiwu" / "huiwu.css").read_text()
    assert "grid-template-columns: 7.5rem repeat(var(--hw-slots), " in stylesheet
    for count in range(1, 49):
        assert f".hw-span-{count} {{ grid-column: span {count}; }}" in stylesheet
        assert f".hw-slots-{count} {{ --hw-slots: {count}; }}" in stylesheet


def test_it_shows_other_organizations_meetings_to_a_client_only_as_taken(client, client_contact, book):
    other = Organization.objects.create(name="市财政局")
    book("2026-11-27 09:00", "10:00", title="预算审议（保密）", organizer=other)
    login_as(client, client_contact)
    html = client.get("/meetings/timeline/?date=2026-11-27").content.decode()
    assert "预算审议" not in html
    assert "已占用" in html


def test_it_draws_the_timeline_in_constant_queries(
    client, hotline, book, room, other_room, django_assert_max_num_queries
):
    for hour in range(8, 20, 2):
        book(f"2026-11-27 {hour:02d}:00", f"{hour:02d}:45", room=room)
        book(f"2026-11-27 {hour:02d}:00", f"{hour:02d}:45", room=other_room)
    login_as(client, hotline)
    with django_assert_max_num_queries(12):
        assert client.get("/meetings/timeline/?date=2026-11-27").status_code == 200


def test_it_prefills_the_form_from_a_free_slot(client, hotline, room, frozen_now):
    login_as(client, hotline)
    html = client.get("/meetings/new/?room=701&date=2026-11-27&start=14:00").content.decode()
    assert f'<option value="{room.pk}" selected>' in html
    assert 'value="2026-11-27"' in html
    assert 'value="14:00"' in html
    assert 'value="15:00"' in html


def test_it_books_through_the_form(client, hotline, form_data, frozen_now):
    login_as(client, hotline)
    response = client.post("/meetings/new/", form_data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.start == at("2026-11-27 09:00")
    assert meeting.status == Status.CONFIRMED
    assert meeting.service_items.get().note == "龙井"


def test_it_shows_the_conflict_on_the_form_and_saves_nothing(client, hotline, form_data, book):
    book("2026-11-27 10:15", "11:00", title="先到的会")
    login_as(client, hotline)
    html = client.post("/meetings/new/", form_data).content.decode()
    assert 'data-testid="conflict"' in html
    assert "先到的会" in html
    assert "会议室时间冲突" in html
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_time": "08:00"}, "end_time", "结束时间必须晚于开始时间"),
        ({"headcount": "0"}, "headcount", "大于或等于1"),
        ({"room": "999999"}, "room", "选择一个有效的选项"),
        ({"date": "2026-11-20"}, "start_time", "该时间已过"),
        ({"date": "2026-13-45"}, "date", "有效的日期"),
        ({"headcount": "99"}, "headcount", "最多容纳 20 人"),
    ],
)
def test_it_refuses_bad_input_with_a_chinese_field_error(
    client, hotline, form_data, frozen_now, change, field, message
):
    login_as(client, hotline)
    response = client.post("/meetings/new/", form_data | change)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field]), form.errors
    assert not Meeting.objects.exists()


def test_it_refuses_a_malformed_recurrence(client, hotline, form_data, frozen_now):
    login_as(client, hotline)
    response = client.post("/meetings/new/", form_data | {"repeat": "weekly", "until": "2026-12-31", "count": "4"})
    assert "二选一" in " ".join(response.context["recurrence_form"].errors["until"])
    response = client.post("/meetings/new/", form_data | {"repeat": "fortnightly", "count": "4"})
    assert "repeat" in response.context["recurrence_form"].errors
    assert not Meeting.objects.exists()


def test_it_lists_colliding_occurrences_before_booking_a_series(client, hotline, form_data, book):
    book("2026-12-11 09:00", "10:00", title="年终总结会")
    login_as(client, hotline)
    series = form_data | {"repeat": "weekly", "count": "4"}
    html = client.post("/meetings/new/", series).content.decode()
    assert 'data-testid="series-conflict"' in html
    assert "年终总结会" in html
    assert Meeting.objects.count() == 1
    response = client.post("/meetings/new/", series | {"skip_conflicts": "on"})
    assert response.status_code == 302
    starts = sorted(m.start for m in Meeting.objects.filter(series__isnull=False))
    assert starts == [at("2026-11-27 09:00"), at("2026-12-04 09:00"), at("2026-12-18 09:00")]


def test_it_moves_this_and_following_occurrences(client, hotline, form_data, frozen_now):
    login_as(client, hotline)
    client.post("/meetings/new/", form_data | {"repeat": "weekly", "count": "3"})
    first, second, third = Meeting.objects.order_by("start")
    response = client.post(
        f"/meetings/{second.pk}/edit/",
        form_data
        | {
            "date": "2026-12-04",
            "start_time": "14:00",
            "end_time": "15:00",
            "scope": "following",
            "reason": "改到下午",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert first.start == at("2026-11-27 09:00")
    assert second.start == at("2026-12-04 14:00")
    assert third.start == at("2026-12-11 14:00")
    assert third.changes.get(action=MeetingChange.Action.UPDATED).reason == "改到下午"


def test_it_changes_only_one_occurrence(client, hotline, form_data, frozen_now):
    login_as(client, hotline)
    client.post("/meetings/new/", form_data | {"repeat": "weekly", "count": "3"})
    _first, second, third = Meeting.objects.order_by("start")
    client.post(
        f"/meetings/{second.pk}/edit/",
        form_data | {"date": "2026-12-04", "start_time": "14:00", "end_time": "15:00", "scope": "this"},
    )
    third.refresh_from_db()
    assert third.start == at("2026-12-11 09:00")


def test_it_checks_the_slot_live_while_filling_in_the_form(client, hotline, form_data, book):
    book("2026-11-27 10:15", "11:00", title="先到的会")
    login_as(client, hotline)
    busy = client.post("/meetings/check/", form_data, headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="conflict"' in busy
    assert "先到的会" in busy
    free = client.post("/meetings/check/", form_data | {"start_time": "13:00", "end_time": "14:00"}).content.decode()
    assert 'data-testid="free"' in free
    assert client.post("/meetings/check/", {"room": "", "date": ""}).content.decode().strip() == ""


def test_it_shows_the_meeting_with_its_history(client, hotline, book):
    meeting = book(attendees=[], service_items={"tea": (10, "")})
    login_as(client, hotline)
    client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "领导出差"})
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "已取消" in html
    assert "领导出差" in html
    assert "已确认 → 已取消" in html


def test_it_refuses_to_cancel_without_a_reason(client, hotline, book):
    meeting = book()
    login_as(client, hotline)
    response = client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": ""}, follow=True)
    assert "请填写原因" in response.content.decode()
    assert Meeting.objects.get().status == Status.CONFIRMED


def test_it_lets_booking_staff_confirm_a_client_request(
    client, client_contact, organization, draft, manager, frozen_now
):
    client_contact.organization = organization
    client_contact.save()
    meeting = meeting_create(user=client_contact, draft=draft())
    login_as(client, manager)
    client.post(f"/meetings/{meeting.pk}/confirm/")
    assert Meeting.objects.get().status == Status.CONFIRMED


def test_it_hides_another_organizations_meeting_from_a_client(client, client_contact, book):
    meeting = book(organizer=Organization.objects.create(name="市财政局"))
    login_as(client, client_contact)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("persona", ["attendant", "env_supervisor", "outsider"])
def test_it_refuses_the_booking_form_to_roles_that_do_not_book(client, make_persona, persona):
    login_as(client, make_persona(persona))
    assert client.get("/meetings/new/").status_code == 403


def test_it_filters_the_meeting_list(client, hotline, book, other_room):
    book("2026-11-27 09:00", "10:00", title="上午的会")
    book("2026-11-28 09:00", "10:00", title="周六的会", room=other_room)
    login_as(client, hotline)
    html = client.get("/meetings/?date_from=2026-11-28&room=702").content.decode()
    assert "周六的会" in html
    assert "上午的会" not in html


def test_it_finds_rooms_free_for_a_number_of_people(client, hotline, book, room, other_room):
    book("2026-11-27 09:00", "10:00", room=other_room)
    login_as(client, hotline)
    html = client.get(
        "/meetings/free-rooms/?date=2026-11-27&start_time=09:00&end_time=10:00&headcount=15"
    ).content.decode()
    assert "701会议室" in html
    assert "702会议室" not in html
    html = client.get(
        "/meetings/free-rooms/?date=2026-11-27&start_time=14:00&end_time=15:00&headcount=30"
    ).content.decode()
    assert "701会议室" not in html
    assert "702会议室" in html


def test_it_shows_a_rooms_week(client, hotline, book, room):
    book("2026-11-27 09:00", "10:00", title="周五的会")
    book("2026-12-04 09:00", "10:00", title="下周的会")
    login_as(client, hotline)
    html = client.get("/rooms/701/?week=2026-11-25").content.decode()
    assert "周五的会" in html
    assert "下周的会" not in html
    assert "11/23" in html


def test_it_lists_rooms_by_site(client, client_contact, room):
    login_as(client, client_contact)
    html = client.get("/rooms/").content.decode()
    assert "会议大厦" in html
    assert "701会议室" in html


def test_it_keeps_leaders_and_guests_when_a_client_changes_the_meeting_and_hides_them_from_the_client(
    client, client_contact, organization, manager, draft, frozen_now
):
    from huiwu.directory.models import Person

    client_contact.organization = organization
    client_contact.save()
    mayor = Person.objects.create(name="张建国", title="市长", precedence=1)
    meeting = meeting_create(user=manager, draft=draft(attendees=[mayor]))
    login_as(client, client_contact)
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "张建国" not in html
    edit = FORM | {"room": str(meeting.room.pk), "organizer": str(organization.pk), "headcount": "8"}
    response = client.post(f"/meetings/{meeting.pk}/edit/", edit)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.headcount == 8
    assert [link.person for link in meeting.attendee_links.all()] == [mayor]
    assert "张建国" not in client.get(f"/meetings/{meeting.pk}/").content.decode()


def test_it_pages_the_list_keeping_the_filters(client, hotline, book):
    for day in range(1, 27):
        book(f"2026-12-{day:02d} 09:00", "09:30", title=f"晨会{day}")
        book(f"2026-12-{day:02d} 14:00", "14:30", title=f"午会{day}")
    login_as(client, hotline)
    html = client.get("/meetings/?date_from=2026-12-01").content.decode()
    assert "1 / 2" in html
    assert 'href="?date_from=2026-12-01&page=2"' in html
    assert "午会26" in client.get("/meetings/?date_from=2026-12-01&page=2").content.decode()


def test_it_ignores_query_values_that_are_not_plain_numbers_or_real_days(client, hotline, room):
    login_as(client, hotline)
    assert client.get("/meetings/new/", {"headcount": "²", "date": "2026-02-30"}).status_code == 200
    assert client.get("/meetings/timeline/", {"date": "2026-02-30"}).status_code == 200
    assert client.get(f"/rooms/{room.code}/", {"week": "9999-12-31"}).status_code == 200


def _list_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("persona", "url"),
    [("hotline", "/meetings/?date_from=2026-11-27"), ("client_contact", "/meetings/")],
)
def test_it_lists_meetings_in_the_same_queries_for_one_meeting_or_many(
    request, persona, url, book, room, other_room, client
):
    user = request.getfixturevalue(persona)
    book("2026-11-27 08:00", "08:30", setup_minutes=0, teardown_minutes=0)
    login_as(client, user)
    _list_queries(client, url)  # the user's permissions, looked up once
    one = _list_queries(client, url)
    for hour in range(9, 18):
        for where in (room, other_room):
            book(f"2026-11-27 {hour:02d}:00", f"{hour:02d}:30", room=where, setup_minutes=0, teardown_minutes=0)
    assert _list_queries(client, url) == one
