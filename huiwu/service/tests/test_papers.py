"""The service team's PDFs: the service sheet, the sign-in sheet and the team day sheet. Each is read back (its
text in the order printed, the CJK font embedded), reached from its page and the API through the meeting's
access, a confidential meeting's paper audited as exported; and the refill schedule the sheet prints."""

import pytest

from huiwu.directory.models import Organization, Person
from huiwu.meetings.models import MeetingServiceItem
from huiwu.security.models import AuditEntry
from huiwu.service.exports import MIN_SIGN_IN_LINES, sign_in_lines
from huiwu.service.selectors import MAX_REFILL_LINES, refill_schedule, service_record
from huiwu.service.services import meeting_start, refill_record
from huiwu.testing import ReadPdf, at, login_as
from huiwu.venues.models import Room

# (name, title, precedence, habits): the order of service is the precedence.
LEADERS = [
    ("周国庆", "局长", 1, "茶要温，不加冰"),
    ("李建华", "副市长", 2, ""),
    ("吴晓峰", "副局长", 3, "只喝白开水"),
]


@pytest.fixture
def leaders(organization):
    guests = Organization.objects.create(name="市政府办公厅", short_name="市府办")
    return [
        Person.objects.create(
            name=name, title=title, precedence=rank, habits=habits, organization=guests if rank == 2 else organization
        )
        for name, title, rank, habits in LEADERS
    ]


@pytest.fixture
def meeting(book, leaders, assign):
    meeting = book(title="全市机关事务工作会", attendees=leaders, layout="hollow_square", chair_count=20)
    MeetingServiceItem.objects.create(meeting=meeting, item="tea", quantity=12, note="龙井")
    assign(meeting)
    return meeting


@pytest.fixture
def big_room(room):
    return Room.objects.create(floor=room.floor, name="大礼堂", code="hall", capacity=6000)


def _lines(record):
    return [(line.number, line.opens_at, line.closes_at, line.refill is not None) for line in refill_schedule(record)]


# --- the refill schedule -------------------------------------------------------------------------------


def test_it_foresees_the_winter_refills_from_the_planned_start_until_the_end(book):
    meeting = book("2026-11-27 09:00", "10:00")
    # Winter: 15–20 min after the start, 20–25 after the first, then 25–30; each counted from the opening.
    assert _lines(service_record(meeting)) == [
        (1, at("2026-11-27 09:15"), at("2026-11-27 09:20"), False),
        (2, at("2026-11-27 09:35"), at("2026-11-27 09:40"), False),
    ]


@pytest.mark.parametrize(("end", "count"), [("09:59", 2), ("10:00", 2), ("10:01", 3)])
def test_it_foresees_a_refill_whose_window_opens_before_the_end(book, end, count):
    # The third window opens at 10:00: a minute after a 09:59 end, at a 10:00 end, before a 10:01 end.
    assert len(refill_schedule(service_record(book("2026-11-27 09:00", end)))) == count


def test_it_prints_the_refills_served_then_foresees_from_the_one_pending(meeting, frozen_now, attendant):
    frozen_now.move_to(at("2026-11-27 09:02"))
    meeting_start(user=attendant, meeting=meeting)
    frozen_now.move_to(at("2026-11-27 09:18"))
    refill_record(user=attendant, meeting=meeting)
    meeting.refresh_from_db()
    assert _lines(service_record(meeting)) == [
        (1, at("2026-11-27 09:17"), at("2026-11-27 09:22"), True),
        (2, at("2026-11-27 09:38"), at("2026-11-27 09:43"), True),
    ]


def test_it_foresees_at_most_a_sheet_of_refills(book):
    # 24 hours at 25–30 minutes would be some 57 windows.
    assert len(refill_schedule(service_record(book("2026-11-27 09:00", "2026-11-28 09:00")))) == MAX_REFILL_LINES


def test_it_foresees_nothing_for_a_meeting_too_short_for_a_refill(book):
    assert refill_schedule(service_record(book("2026-11-27 09:00", "09:15"))) == []


# --- the service sheet ---------------------------------------------------------------------------------


def test_it_prints_the_service_sheet_with_the_leaders_in_order_of_service(client, meeting, team_leader):
    login_as(client, team_leader)
    pdf = ReadPdf(client.get(f"/service/meetings/{meeting.pk}/service-sheet.pdf"))
    assert pdf.has_cjk_font(), pdf.embedded_fonts()
    text = pdf.flat_text
    assert "会务服务单" in text
    assert "全市机关事务工作会" in text
    assert pdf.in_order(["周国庆", "李建华", "吴晓峰"])
    assert "茶要温，不加冰" in text
    assert "只喝白开水" in text
    assert "龙井" in text
    assert "茶水×12（龙井）" in text
    # Who serves, the three levels to confirm with their due times, the refills foreseen.
    assert "attendant测试" in text
    levels = ["一级·会务服务组长·待确认·07:00前", "二级·环境主管·待确认·08:00前", "三级·服务热线·待确认·08:30前"]
    assert pdf.in_order(levels)
    assert pdf.in_order(["09:15–09:20", "09:35–09:40"])


@pytest.mark.parametrize("paper", ["service-sheet.pdf", "sign-in-sheet.pdf"])
def test_it_leaves_the_leaders_off_the_papers_of_who_may_not_see_the_directory(client, meeting, board_account, paper):
    login_as(client, board_account)
    text = ReadPdf(client.get(f"/service/meetings/{meeting.pk}/{paper}")).flat_text
    assert "全市机关事务工作会" in text
    for name in ("周国庆", "李建华", "吴晓峰", "茶要温"):
        assert name not in text


def test_it_answers_the_service_sheet_over_the_api(api, meeting, attendant):
    pdf = ReadPdf(api(attendant, "get", f"/meetings/{meeting.pk}/service-sheet.pdf"))
    assert pdf.in_order(["周国庆", "李建华", "吴晓峰"])
    assert pdf.has_cjk_font()


# --- the sign-in sheet ---------------------------------------------------------------------------------


def test_it_prints_the_expected_leaders_then_lines_up_to_the_headcount(client, meeting, team_leader):
    login_as(client, team_leader)
    pdf = ReadPdf(client.get(f"/service/meetings/{meeting.pk}/sign-in-sheet.pdf"))
    assert pdf.has_cjk_font()
    assert "签到表" in pdf.flat_text
    assert pdf.in_order(["1周国庆", "2李建华市府办副市长", "3吴晓峰"])
    # Headcount 10 and three spare lines: 13 numbered lines.
    assert "13" in pdf.text
    assert "14" not in pdf.text.split("签名", 1)[1]


@pytest.mark.parametrize(("headcount", "lines"), [(1, 10), (7, 10), (8, 11), (297, 300), (298, 300), (5000, 300)])
def test_it_bounds_the_sign_in_lines(book, big_room, team_leader, headcount, lines):
    assert len(sign_in_lines(team_leader, book(headcount=headcount, room=big_room))) == lines


def test_it_numbers_the_leaders_first_then_the_blank_lines(meeting, team_leader):
    lines = sign_in_lines(team_leader, meeting)
    assert [(line.number, line.person and line.person.name) for line in lines[:4]] == [
        (1, "周国庆"),
        (2, "李建华"),
        (3, "吴晓峰"),
        (4, None),
    ]
    assert len(lines) == 13


def test_it_gives_every_expected_leader_a_line_beyond_the_headcount(book, leaders, team_leader):
    assert len(sign_in_lines(team_leader, book(attendees=leaders, headcount=1))) == MIN_SIGN_IN_LINES


def test_it_answers_the_sign_in_sheet_over_the_api(api, meeting, attendant):
    assert ReadPdf(api(attendant, "get", f"/meetings/{meeting.pk}/sign-in-sheet.pdf")).in_order(["周国庆", "吴晓峰"])


# --- the team day sheet --------------------------------------------------------------------------------


def test_it_prints_the_days_meetings_by_time_with_staff_and_checks(client, book, meeting, team_leader, other_room):
    book("2026-11-27 14:00", "15:00", title="下午的协调会", room=other_room)
    book("2026-11-27 07:30", "08:30", title="早间碰头会", room=other_room)
    book("2026-11-28 09:00", "10:00", title="次日的会")
    login_as(client, team_leader)
    pdf = ReadPdf(client.get("/service/board/day-sheet.pdf?date=2026-11-27"))
    assert pdf.has_cjk_font()
    assert pdf.in_order(["2026年11月27日", "早间碰头会", "全市机关事务工作会", "下午的协调会"])
    assert "次日的会" not in pdf.flat_text
    assert "一级05:30前二级06:30前三级07:00前" in pdf.flat_text


def test_it_answers_the_day_sheet_over_the_api_for_today(api, meeting, attendant, frozen_now):
    frozen_now.move_to(at("2026-11-27 08:00"))
    assert "全市机关事务工作会" in ReadPdf(api(attendant, "get", "/service/day-sheet.pdf")).flat_text


def test_it_refuses_the_day_sheet_to_who_does_not_read_the_board(api, client, client_contact):
    assert api(client_contact, "get", "/service/day-sheet.pdf").status_code == 403
    login_as(client, client_contact)
    assert client.get("/service/board/day-sheet.pdf").status_code == 403


def test_it_answers_422_to_a_day_sheet_day_out_of_range(api, attendant):
    assert api(attendant, "get", "/service/day-sheet.pdf?date=3000-01-01").status_code == 422


# --- confidential meetings -----------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["service-sheet.pdf", "sign-in-sheet.pdf"])
def test_it_audits_and_hides_a_confidential_meetings_papers(client, book, leaders, manager, attendant, paper):
    secret = book(title="保密专题会", attendees=leaders, confidentiality=1)
    login_as(client, attendant)
    assert client.get(f"/service/meetings/{secret.pk}/{paper}").status_code == 404
    login_as(client, manager)
    assert "保密专题会" in ReadPdf(client.get(f"/service/meetings/{secret.pk}/{paper}")).flat_text
    assert AuditEntry.objects.filter(subject_id=secret.pk, action="export", user=manager).count() == 1


def test_it_prints_a_confidential_meeting_as_busy_on_the_day_sheet_of_who_may_not_see_it(
    client, book, manager, attendant
):
    secret = book(title="保密专题会", confidentiality=1)
    login_as(client, attendant)
    text = ReadPdf(client.get("/service/board/day-sheet.pdf?date=2026-11-27")).flat_text
    assert "保密专题会" not in text
    assert "保密会议" in text
    login_as(client, manager)
    assert "保密专题会" in ReadPdf(client.get("/service/board/day-sheet.pdf?date=2026-11-27")).flat_text
    assert AuditEntry.objects.filter(subject_id=secret.pk, action="export", user=manager).count() == 1
