"""The day timeline's range: the site's day (07:00–22:00 unless set), widened a half-hour at a time to every
meeting held earlier or later, its setup and teardown included; such meetings are marked 早场/晚场."""

import re
from datetime import time

import pytest

from huiwu.directory.models import Organization
from huiwu.meetings.models import Meeting
from huiwu.testing import at, login_as
from huiwu.venues.models import Floor, Room, Site


def _page(client, user, day="2026-11-27") -> str:
    login_as(client, user)
    return client.get(f"/meetings/timeline/?date={day}").content.decode()


def _hours(html: str) -> list[str]:
    """The labels of the columns, in order: each whole hour, and the first column whatever it is."""
    return re.findall(r'<div class="hw-tl-hour[^"]*">(\d\d:\d\d)</div>', html)


def _columns(html: str) -> int:
    return int(re.search(r'class="hw-timeline hw-slots-(\d+)"', html).group(1))


def _meeting_cell(html: str, meeting: Meeting) -> str:
    return re.search(rf'<a class="hw-tl-cell hw-meeting[^>]*href="/meetings/{meeting.pk}/">.*?</a>', html, re.DOTALL)[0]


def test_it_shows_the_usual_day_when_every_meeting_is_within_it(client, hotline, book):
    book("2026-11-27 09:00", "10:00")
    html = _page(client, hotline)
    assert _columns(html) == 30
    assert (_hours(html)[0], _hours(html)[-1]) == ("07:00", "21:00")
    assert 'data-testid="widened"' not in html
    assert "hw-off-hours" not in html


def test_it_keeps_the_day_for_a_meeting_of_exactly_07_to_22_without_buffers(client, hotline, book):
    meeting = book("2026-11-27 07:00", "22:00", setup_minutes=0, teardown_minutes=0)
    html = _page(client, hotline)
    assert _columns(html) == 30
    cell = _meeting_cell(html, meeting)
    assert "hw-span-30" in cell
    assert 'data-testid="early"' not in cell
    assert 'data-testid="late"' not in cell


def test_it_widens_to_the_setup_and_teardown_of_a_meeting_of_07_to_22_but_does_not_mark_it(client, hotline, book):
    meeting = book("2026-11-27 07:00", "22:00")  # 30 minutes of setup and of teardown
    html = _page(client, hotline)
    assert _columns(html) == 32
    assert (_hours(html)[0], _hours(html)[-1]) == ("06:30", "22:00")
    assert '<div class="hw-tl-hour hw-tl-half hw-off-hours">06:30</div>' in html
    cell = _meeting_cell(html, meeting)
    assert "早场" not in cell
    assert "晚场" not in cell


def test_it_widens_to_a_meeting_at_06_30_and_marks_it_early(client, hotline, book):
    meeting = book("2026-11-27 06:30", "08:00", setup_minutes=0)
    html = _page(client, hotline)
    assert _columns(html) == 31
    assert 'data-testid="early">早场<' in _meeting_cell(html, meeting)
    assert "当天有通常时段（07:00–22:00）以外的会议：时间轴显示 06:30 至 22:00。" in html
    assert "hw-off-hours" in html


def test_it_widens_to_a_whole_half_hour_for_a_meeting_a_minute_early(client, hotline, book):
    meeting = book("2026-11-27 06:59", "08:00", setup_minutes=0)
    html = _page(client, hotline)
    assert "时间轴显示 06:30 至 22:00" in html
    assert 'data-testid="early"' in _meeting_cell(html, meeting)


def test_it_takes_the_setup_of_an_early_meeting_in_too(client, hotline, book):
    book("2026-11-27 06:30", "08:00", setup_minutes=45)
    html = _page(client, hotline)
    assert "时间轴显示 05:30 至 22:00" in html
    assert _hours(html)[:2] == ["05:30", "06:00"]


def test_it_widens_to_a_meeting_ending_at_22_30_and_marks_it_late(client, hotline, book):
    meeting = book("2026-11-27 20:00", "22:30", teardown_minutes=0)
    html = _page(client, hotline)
    assert _columns(html) == 31
    cell = _meeting_cell(html, meeting)
    assert 'data-testid="late">晚场<' in cell
    assert 'data-testid="early"' not in cell
    assert "时间轴显示 07:00 至 22:30" in html


def test_it_marks_a_meeting_a_minute_late(client, hotline, book):
    meeting = book("2026-11-27 20:00", "22:01", teardown_minutes=0)
    html = _page(client, hotline)
    assert "时间轴显示 07:00 至 22:30" in html
    assert 'data-testid="late"' in _meeting_cell(html, meeting)


def test_it_shows_a_meeting_running_past_midnight_up_to_the_end_of_the_day(client, hotline, book, draft):
    meeting = book("2026-11-27 21:00", "2026-11-28 01:00", teardown_minutes=0)
    html = _page(client, hotline)
    assert "时间轴显示 07:00 至 00:00" in html
    assert _columns(html) == 34
    assert 'data-testid="late"' in _meeting_cell(html, meeting)
    # The next day it is the night's early meeting.
    next_day = _page(client, hotline, day="2026-11-28")
    assert "时间轴显示 00:00 至 22:00" in next_day
    assert 'data-testid="early"' in _meeting_cell(next_day, meeting)


def test_it_takes_the_day_from_the_site(client, hotline, book, site):
    site.day_starts, site.day_ends = time(8, 30), time(18, 0)
    site.save(update_fields=["day_starts", "day_ends"])
    within = book("2026-11-27 08:30", "18:00", setup_minutes=0, teardown_minutes=0)
    html = _page(client, hotline)
    assert _columns(html) == 19
    assert _hours(html)[:2] == ["08:30", "09:00"]
    assert "早场" not in _meeting_cell(html, within)

    early = book("2026-11-28 08:00", "09:00", setup_minutes=0)
    assert 'data-testid="early"' in _meeting_cell(_page(client, hotline, day="2026-11-28"), early)


def test_it_spans_the_days_of_every_site_and_marks_each_meeting_by_its_own(client, hotline, book, room):
    hall = Site.objects.create(name="行政办事中心", code="centre", day_starts=time(6, 0), day_ends=time(20, 0))
    hall_room = Room.objects.create(
        floor=Floor.objects.create(site=hall, name="1F", level=1), name="多功能厅", code="hall", capacity=200
    )
    at_hall = book("2026-11-27 06:30", "07:30", room=hall_room, setup_minutes=0)
    at_tower = book("2026-11-27 06:30", "07:30", room=room, setup_minutes=0)
    html = _page(client, hotline)
    assert _hours(html)[0] == "06:00"
    assert _columns(html) == 32  # 06:00 (the hall's day) to 22:00 (the tower's)
    assert 'data-testid="widened"' not in html  # no meeting outside both days together
    assert "早场" not in _meeting_cell(html, at_hall)
    assert 'data-testid="early"' in _meeting_cell(html, at_tower)


def test_it_marks_an_early_meeting_the_viewer_may_not_open_without_naming_it(client, client_contact, book):
    other = Organization.objects.create(name="市财政局")
    book("2026-11-27 06:00", "07:00", title="预算审议", organizer=other, setup_minutes=0)
    html = _page(client, client_contact)
    assert "预算审议" not in html
    hidden = re.search(r'<div class="hw-tl-cell hw-meeting hw-hidden[^>]*>.*?</div>', html, re.DOTALL)[0]
    assert "早场" in hidden
    assert "已占用" in hidden


def test_it_draws_a_widened_timeline_in_constant_queries(
    client, hotline, book, room, other_room, django_assert_max_num_queries
):
    for hour in range(5, 23, 3):
        book(f"2026-11-27 {hour:02d}:00", f"{hour:02d}:45", room=room)
        book(f"2026-11-27 {hour:02d}:00", f"{hour:02d}:45", room=other_room)
    login_as(client, hotline)
    with django_assert_max_num_queries(12):
        assert client.get("/meetings/timeline/?date=2026-11-27").status_code == 200


# --- the API ------------------------------------------------------------------------------------------


def test_it_gives_the_timeline_over_the_api_with_early_and_late_meetings(api, hotline, book):
    early = book("2026-11-27 06:30", "08:00", setup_minutes=0, teardown_minutes=0, title="早班会")
    answer = api(hotline, "get", "/timeline", {"date": "2026-11-27"}).json()
    assert (answer["starts"], answer["ends"]) == ("2026-11-27T06:30:00+08:00", "2026-11-27T22:00:00+08:00")
    assert (answer["usual_starts"], answer["usual_ends"]) == ("2026-11-27T07:00:00+08:00", "2026-11-27T22:00:00+08:00")
    assert answer["slot_minutes"] == 30
    [row] = answer["rooms"]
    assert row["room"]["code"] == "701"
    meeting, *free = row["segments"]
    assert meeting == {
        "kind": "meeting",
        "start": "2026-11-27T06:30:00+08:00",
        "end": "2026-11-27T08:00:00+08:00",
        "meeting_id": early.pk,
        "title": "早班会",
        "early": True,
        "late": False,
        "off_hours": False,
    }
    # The rest of the day, a free half-hour at a time up to 22:00.
    assert {segment["kind"] for segment in free} == {"free"}
    assert (free[0]["start"], free[-1]["end"]) == ("2026-11-27T08:00:00+08:00", "2026-11-27T22:00:00+08:00")
    assert len(free) == 28


def test_it_hides_other_organizations_meetings_in_the_api_timeline(api, client_contact, book):
    other = Organization.objects.create(name="市财政局")
    book("2026-11-27 09:00", "10:00", title="预算审议", organizer=other)
    answer = api(client_contact, "get", "/timeline", {"date": "2026-11-27"})
    assert answer.status_code == 200
    taken = [s for s in answer.json()["rooms"][0]["segments"] if s["kind"] == "meeting"]
    assert [(s["meeting_id"], s["title"]) for s in taken] == [(None, "已占用")]
    assert "预算审议" not in answer.content.decode()


@pytest.mark.parametrize("day", ["2026-02-30", "27.11.2026", "0001-01-01"])
def test_it_refuses_a_bad_day_in_the_api_timeline(api, hotline, day):
    response = api(hotline, "get", "/timeline", {"date": day})
    assert response.status_code == 422
    assert "date" in response.json()["errors"]


def test_it_refuses_the_api_timeline_to_a_user_without_a_role(api, outsider):
    assert api(outsider, "get", "/timeline").status_code == 403


def test_it_gives_each_room_its_sites_day_in_the_api(api, hotline, room, site):
    site.day_starts = time(8, 0)
    site.save(update_fields=["day_starts"])
    assert api(hotline, "get", "/rooms/701").json()["site"] == {
        "code": "tower",
        "name": "会议大厦",
        "day_starts": "08:00:00",
        "day_ends": "22:00:00",
    }
    assert (
        at("2026-11-27 08:00").isoformat()
        == api(hotline, "get", "/timeline", {"date": "2026-11-27"}).json()["usual_starts"]
    )
