"""The service page and the API service record show what the booking asked for, and the order of service
with each leader's habits; the booking's tea kind wins over the directory's preference (issue 11, item 3)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huiwu.directory.models import Person
from huiwu.service.selectors import ServedPerson
from huiwu.testing import login_as

REQUIREMENTS = {
    "nature": "work_assignment",
    "tone": "solemn",
    "headcount": 20,
    "layout": "hollow_square",
    "table_count": 8,
    "chair_count": 20,
    "service_items": {"tea": (20, "西湖龙井"), "name_cards": (4, "")},
    "restroom_arrangement": "出门左转 20 米；领导用 7 楼贵宾室卫生间",
    "smoking_arrangement": "7 楼东侧吸烟室",
    "notes": "王副市长的茶也按西湖龙井上，续在自带保温杯里。",
}


@pytest.fixture
def leaders(organization):
    """Precedence order is not creation order: the page must sort them."""
    vice = Person.objects.create(
        name="王志强",
        title="副市长",
        organization=organization,
        precedence=3,
        tea_preference="碧螺春",
        habits="习惯用自带保温杯。",
    )
    mayor = Person.objects.create(
        name="张建国",
        title="市长",
        organization=organization,
        precedence=1,
        tea_preference="西湖龙井",
        habits="会前十分钟到场。",
    )
    return [vice, mayor]


@pytest.fixture
def meeting(book, leaders):
    return book("2026-11-27 09:00", "11:00", attendees=leaders, **REQUIREMENTS)


def _page(client, user, meeting):
    login_as(client, user)
    response = client.get(reverse("service:meeting", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- the page -----------------------------------------------------------------------------------------


def test_it_shows_what_the_booking_asked_for(client, attendant, meeting):
    html = _page(client, attendant, meeting)
    for text in [
        "会议要求",
        "工作部署 · 严肃",
        "20 人",
        "回字形 · 8 张桌子 · 20 把椅子",
        "茶水 × 20（西湖龙井）",
        "桌签 × 4",
        "出门左转 20 米；领导用 7 楼贵宾室卫生间",
        "7 楼东侧吸烟室",
        "王副市长的茶也按西湖龙井上，续在自带保温杯里。",
    ]:
        assert text in html, text
    assert "<strong>西湖龙井</strong>" in html  # the booked tea kind, prominently


def test_it_puts_the_booking_before_the_checks(client, attendant, meeting):
    html = _page(client, attendant, meeting)
    assert html.index('data-testid="booking"') < html.index('id="checks-heading"')


def test_it_says_so_when_the_booking_asked_for_nothing_in_particular(client, attendant, book):
    html = _page(client, attendant, book("2026-11-27 09:00", "10:00"))
    assert 'data-testid="booked-tea"' not in html
    assert "暂无记录。" in html  # no service items
    assert "暂无领导或来宾。" in html
    assert 'data-testid="confidential"' not in html


def test_it_shows_the_confidentiality_level_of_a_confidential_meeting(client, manager, book):
    secret = book("2026-11-27 09:00", "10:00", confidentiality=2, user=manager)
    html = _page(client, manager, secret)
    assert f'data-testid="confidential">{secret.get_confidentiality_display()}<' in html


def test_it_lists_the_leaders_habits_in_order_of_service(client, attendant, meeting):
    html = _page(client, attendant, meeting)
    assert html.index("张建国") < html.index("王志强")
    assert html.index("会前十分钟到场。") < html.index("习惯用自带保温杯。")
    assert html.count('data-testid="vip"') == 2


def test_it_shows_both_teas_with_the_booking_first_when_a_preference_differs(client, attendant, meeting):
    html = _page(client, attendant, meeting)
    assert "按预订：西湖龙井；本人习惯：碧螺春" in re.sub(r"<[^>]+>", "", html)
    assert "<strong>按预订：西湖龙井</strong>" in html  # the booking wins: it is the emphasised part
    # The directory's preference is never shown alone: its only mention is after the booked tea.
    assert html.count("碧螺春") == 1
    # The mayor's preference is the booked tea: nothing to add.
    assert html.count("本人习惯") == 1
    assert html.count("按预订：西湖龙井") == 2


def test_it_shows_the_own_habit_when_the_booking_names_no_tea_kind(client, attendant, book, leaders):
    meeting = book("2026-11-27 09:00", "10:00", attendees=leaders, service_items={"tea": (10, "")})
    html = _page(client, attendant, meeting)
    assert "本人习惯：碧螺春" in html
    assert "按预订" not in html


@pytest.mark.parametrize(
    ("booked", "preference", "own"),
    [
        ("西湖龙井", "西湖龙井", ""),
        ("西湖龙井", " 西湖龙井 ", ""),  # stray spaces in the directory are no difference
        ("西湖龙井", "龙井", "龙井"),  # another name is another tea: the attendant sees both
        ("西湖龙井", "", ""),
        ("", "碧螺春", "碧螺春"),
        ("", "", ""),
    ],
)
def test_it_adds_the_own_preference_only_when_it_differs_from_the_booked_tea(booked, preference, own):
    line = ServedPerson(person=Person(name="王志强", tea_preference=preference), booked_tea=booked)
    assert line.own_tea == own


def test_it_hides_leaders_and_guests_from_whoever_may_not_see_people(client, meeting, board_account):
    html = _page(client, board_account, meeting)
    assert "回字形" in html
    for text in ["张建国", "王志强", "碧螺春", "会前十分钟到场", 'data-testid="order-of-service"', 'id="seating"']:
        assert text not in html, text


def test_it_offers_a_print_button_and_keeps_the_panels_off_paper(client, attendant, meeting):
    html = _page(client, attendant, meeting)
    assert 'data-print data-testid="print"' in html
    assert "打印本页" in html
    # The service sheet and the sign-in sheet as PDFs, beside it.
    assert f'href="/service/meetings/{meeting.pk}/service-sheet.pdf"' in html
    assert f'href="/service/meetings/{meeting.pk}/sign-in-sheet.pdf"' in html
    assert '<div class="row g-3 d-print-none">' in html
    assert 'class="d-none d-print-block hw-sheet"' in html
    assert "会务服务单 · 2026年11月26日 08:00 打印" in html  # which version the paper is


def _page_queries(client, meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("service:meeting", args=[meeting.pk]))
    assert response.status_code == 200
    return len(queries)


def test_it_reads_the_requirements_in_constant_queries(client, attendant, book, organization, other_room):
    login_as(client, attendant)
    people = [
        Person.objects.create(name=f"领导{n}", organization=organization, precedence=n, tea_preference="普洱")
        for n in range(1, 6)
    ]
    few = book("2026-11-27 09:00", "10:00", attendees=people[:1], service_items={"tea": (10, "龙井")})
    many = book(
        "2026-11-27 09:00",
        "10:00",
        room=other_room,
        attendees=people,
        service_items={"tea": (10, "龙井"), "water": (10, ""), "fruit": (2, "时令"), "flowers": (1, "")},
    )
    _page_queries(client, few)  # warms the session and the standard
    assert _page_queries(client, many) == _page_queries(client, few)


# --- the API ------------------------------------------------------------------------------------------


def test_it_returns_the_requirements_in_the_service_record(api, attendant, meeting):
    response = api(attendant, "get", f"/meetings/{meeting.pk}/service")
    assert response.status_code == 200
    body = response.json()
    requirements = body["requirements"]
    assert {key: requirements[key] for key in REQUIREMENTS if key != "service_items"} == {
        key: value for key, value in REQUIREMENTS.items() if key != "service_items"
    }
    assert (requirements["layout_label"], requirements["nature_label"], requirements["tone_label"]) == (
        "回字形",
        "工作部署",
        "严肃",
    )
    assert [
        (line["item"], line["label"], line["quantity"], line["note"]) for line in requirements["service_items"]
    ] == [
        ("tea", "茶水", 20, "西湖龙井"),
        ("name_cards", "桌签", 4, ""),
    ]
    assert requirements["tea_kind"] == "西湖龙井"
    assert (requirements["confidentiality"], requirements["confidentiality_label"]) == (
        0,
        meeting.get_confidentiality_display(),
    )


def test_it_gives_each_vip_the_booked_tea_and_a_differing_preference_beside_it(api, attendant, meeting):
    body = api(attendant, "get", f"/meetings/{meeting.pk}/service").json()
    assert [
        (vip["name"], vip["precedence"], vip["booked_tea"], vip["own_tea"], vip["tea_preference"], vip["habits"])
        for vip in body["attendees"]
    ] == [
        ("张建国", 1, "西湖龙井", "", "西湖龙井", "会前十分钟到场。"),
        ("王志强", 3, "西湖龙井", "碧螺春", "碧螺春", "习惯用自带保温杯。"),
    ]


def test_it_gives_the_requirements_but_no_vips_to_whoever_may_not_see_people(api, meeting, board_account):
    response = api(board_account, "get", f"/meetings/{meeting.pk}/service")
    assert response.status_code == 200
    body = response.json()
    assert body["attendees"] is None
    assert body["requirements"]["tea_kind"] == "西湖龙井"
    assert "碧螺春" not in response.content.decode()
