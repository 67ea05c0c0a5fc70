"""The seating plan on the meeting's service page: its chart, generated from the page and two seats exchanged
by tapping both, each refusal said on the page and changing nothing."""

import pytest

from huiwu.seating.models import SeatingPlan
from huiwu.seating.selectors import plan_view
from huiwu.seating.services import seating_plan_generate
from huiwu.testing import login_as


def _page(client, meeting) -> str:
    return client.get(f"/service/meetings/{meeting.pk}/").content.decode()


def _names(meeting) -> list[str | None]:
    return [seat.person.name if seat else None for seat in plan_view(meeting).rows[0].seats]


def test_it_offers_to_generate_a_plan_and_draws_it(client, team_leader, meeting):
    login_as(client, team_leader)
    assert 'data-testid="no-seating"' in _page(client, meeting)
    response = client.post(
        f"/seating/meetings/{meeting.pk}/generate/", {"arrangement": "rostrum", "rule": "domestic", "variant": "a"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/service/meetings/{meeting.pk}/#seating"
    html = _page(client, meeting)
    assert "座次表已按礼宾次序生成。" in html
    chart = html[html.index('data-testid="seating-chart"') :]
    # Left to right as the audience sees it: 韩立 陈静 吴晓峰 周国庆 李建华 宋家明 郑思远.
    names = ["韩立", "陈静", "吴晓峰", "周国庆", "李建华", "宋家明", "郑思远"]
    assert [chart.index(name) for name in names] == sorted(chart.index(name) for name in names)


def test_it_exchanges_the_two_seats_tapped(client, hotline, meeting):
    seating_plan_generate(user=hotline, meeting=meeting, arrangement="rostrum")
    login_as(client, hotline)
    client.post(f"/seating/meetings/{meeting.pk}/swap/", {"seat": ["1-0", "1-6"]})
    assert _names(meeting)[0] == "郑思远"
    assert "两个座位已调换。" in _page(client, meeting)


@pytest.mark.parametrize(
    ("seats", "message"),
    [
        (["1-0"], "请点选两个座位，再点“调换”。"),
        (["1-0", "1-1", "1-2"], "请点选两个座位，再点“调换”。"),
        (["1-0", "9-9"], "选择一个有效的选项"),
    ],
)
def test_it_says_why_it_did_not_exchange_and_changes_nothing(client, hotline, meeting, seats, message):
    seating_plan_generate(user=hotline, meeting=meeting, arrangement="rostrum")
    before = _names(meeting)
    login_as(client, hotline)
    client.post(f"/seating/meetings/{meeting.pk}/swap/", {"seat": seats})
    assert _names(meeting) == before
    assert message in _page(client, meeting)


def test_it_says_why_it_did_not_generate(client, team_leader, meeting):
    login_as(client, team_leader)
    for row_sizes, message in (("3, 3", "7 位人员坐不下 6 个座位。"), ("五", "请用数字写出每排座位数，如 5, 7。")):
        client.post(
            f"/seating/meetings/{meeting.pk}/generate/",
            {"arrangement": "rostrum", "rule": "domestic", "variant": "a", "row_sizes": row_sizes},
        )
        assert message in _page(client, meeting)
    assert not SeatingPlan.objects.exists()


def test_it_shows_an_attendant_the_chart_without_the_forms(client, attendant, team_leader, meeting):
    seating_plan_generate(user=team_leader, meeting=meeting, arrangement="rostrum")
    login_as(client, attendant)
    html = _page(client, meeting)
    assert 'data-testid="seating-chart"' in html
    assert 'data-testid="seat-swap"' not in html
    assert 'data-testid="seating-generate"' not in html
    assert client.post(f"/seating/meetings/{meeting.pk}/swap/", {"seat": ["1-0", "1-6"]}).status_code == 403


def test_it_answers_404_for_a_meeting_one_may_not_see(client, team_leader):
    login_as(client, team_leader)
    for meeting_id in (999999, 2**63):
        assert client.post(f"/seating/meetings/{meeting_id}/generate/", {}).status_code == 404


def test_it_keeps_the_seating_from_an_account_that_may_not_see_the_leaders(
    client, api, team_leader, meeting, board_account
):
    # A screen's account reads the board and the meeting's service, not who sits where.
    seating_plan_generate(user=team_leader, meeting=meeting, arrangement="rostrum")
    login_as(client, board_account)
    for path in ("chart.pdf", "name-cards.pdf"):
        assert client.get(f"/seating/meetings/{meeting.pk}/{path}").status_code == 404
    for path in ("seating", "seating.pdf", "name-cards.pdf"):
        assert api(board_account, "get", f"/meetings/{meeting.pk}/{path}").status_code == 404
    assert 'id="seating"' not in client.get(f"/service/meetings/{meeting.pk}/").content.decode()
