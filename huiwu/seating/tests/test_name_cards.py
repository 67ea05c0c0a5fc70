"""Name cards (桌签): one A4 tent card per leader or guest, the name on both faces (the upper one upside down),
sized to the name, in the plan's seat order so that they come off the printer as they are laid out."""

import pytest

from huiwu.directory.models import Person
from huiwu.meetings.models import MeetingAttendee
from huiwu.seating.exports import card_fit, name_width
from huiwu.seating.services import seating_plan_generate
from huiwu.security.models import AuditEntry
from huiwu.testing import ReadPdf, login_as

# The rostrum of seven as the audience sees it (DESIGN §4.3: 7 5 3 1 2 4 6).
ROSTRUM = ["韩立", "陈静", "吴晓峰", "周国庆", "李建华", "宋家明", "郑思远"]
# Without a plan: the precedence order.
PRECEDENCE = ["周国庆", "李建华", "吴晓峰", "宋家明", "陈静", "郑思远", "韩立"]


@pytest.mark.parametrize(
    ("name", "fit"),
    [
        ("韩立", "fit-2"),
        ("周国庆", "fit-3"),
        ("欧阳建国", "fit-4"),
        ("爱新觉罗溥", "fit-5"),
        ("阿依古丽·买买提", "fit-8"),  # 7 characters and a dot: 7.35
        ("Anna Li", "fit-4"),  # 6 letters and a space: 3.95
        ("Maximilian Schmidt", "fit-11"),
        ("布鲁诺·德·拉·费尔南德斯·加西亚·马丁内斯", "fit-long"),
    ],
)
def test_it_sizes_each_name_to_fit_its_card(name, fit):
    assert card_fit(name) == fit


@pytest.mark.parametrize(
    ("name", "width", "fit"),
    [("周国庆", 3.0, "fit-3"), ("周国庆·", 3.35, "fit-4"), ("欧阳建国", 4.0, "fit-4"), ("欧阳建国·", 4.35, "fit-5")],
)
def test_it_takes_the_next_size_down_just_past_a_size_s_width(name, width, fit):
    assert name_width(name) == pytest.approx(width)
    assert card_fit(name) == fit


def test_it_prints_a_card_per_leader_in_the_plans_seat_order_with_the_font_embedded(client, team_leader, meeting):
    seating_plan_generate(user=team_leader, meeting=meeting, arrangement="rostrum")
    login_as(client, team_leader)
    pdf = ReadPdf(client.get(f"/seating/meetings/{meeting.pk}/name-cards.pdf"))
    assert len(pdf.pages) == len(ROSTRUM)
    # Each card carries its name twice (both faces) and where it stands.
    for page, name in zip(pdf.pages, ROSTRUM, strict=True):
        assert "".join(page.split()).count(name) == 2
    assert "第1排左起第4座" in "".join(pdf.pages[3].split())
    assert any("Noto-Serif-CJK-SC" in font for font in pdf.embedded_fonts()), pdf.embedded_fonts()


def test_it_prints_the_cards_in_precedence_order_without_a_plan(api, attendant, meeting):
    pdf = ReadPdf(api(attendant, "get", f"/meetings/{meeting.pk}/name-cards.pdf"))
    assert pdf.in_order(PRECEDENCE)
    assert len(pdf.pages) == len(PRECEDENCE)


def test_it_leaves_out_a_seat_left_empty(client, team_leader, meeting):
    seating_plan_generate(user=team_leader, meeting=meeting, arrangement="rostrum", row_sizes=[9])
    login_as(client, team_leader)
    assert len(ReadPdf(client.get(f"/seating/meetings/{meeting.pk}/name-cards.pdf")).pages) == 7


def test_it_answers_404_for_a_meeting_with_nobody_to_seat_or_that_one_may_not_see(client, book, team_leader):
    login_as(client, team_leader)
    assert client.get(f"/seating/meetings/{book().pk}/name-cards.pdf").status_code == 404
    assert client.get("/seating/meetings/999999/name-cards.pdf").status_code == 404


def test_it_prints_a_long_name_on_its_card(client, team_leader, meeting):
    guest = Person.objects.create(name="布鲁诺·德·拉·费尔南德斯·加西亚·马丁内斯", title="领事", precedence=9)
    MeetingAttendee.objects.create(meeting=meeting, person=guest)
    login_as(client, team_leader)
    last = ReadPdf(client.get(f"/seating/meetings/{meeting.pk}/name-cards.pdf")).pages[-1]
    assert "".join(last.split()).count(guest.name) == 2


def test_it_audits_and_hides_a_confidential_meetings_cards(client, book, people, manager, attendant):
    secret = book(title="保密专题会", attendees=list(people.values()), confidentiality=1)
    login_as(client, attendant)
    assert client.get(f"/seating/meetings/{secret.pk}/name-cards.pdf").status_code == 404
    login_as(client, manager)
    assert len(ReadPdf(client.get(f"/seating/meetings/{secret.pk}/name-cards.pdf")).pages) == 7
    assert AuditEntry.objects.filter(subject_id=secret.pk, action="export", user=manager).count() == 1
