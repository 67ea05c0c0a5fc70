"""The check panel of a meeting's service page: every item starts unanswered, the facts and each open level's
window are shown, and whoever cannot confirm their level yet reads why (DESIGN §4.1)."""

import re

import pytest
from django.urls import reverse

from huiwu.service.models import CheckRecord, MeetingCheck
from huiwu.testing import at, login_as


def _page(client, meeting):
    response = client.get(reverse("service:meeting", args=[meeting.pk]))
    assert response.status_code == 200
    return response


def _section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : start + 6000]


def _answers(response, **changes) -> dict:
    """Every item of the form passed, with some answers changed (item_0="fail", or None to leave one out)."""
    form = response.context["check_form"]
    data = {name: "pass" for name in form.fields if name.startswith("item_")} | changes
    return {name: value for name, value in data.items() if value is not None}


def _post(client, meeting, level, data):
    return client.post(reverse("service:check_confirm", args=[meeting.pk, level]), data)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def meeting(book, assign, frozen_now):
    """A staffed meeting of 2026-11-27 09:00–10:00, the clock at 06:30: level 1 (due 07:00) can be confirmed."""
    meeting = book("2026-11-27 09:00", "10:00")
    assign(meeting)
    frozen_now.move_to(at("2026-11-27 06:30"))
    return meeting


def test_it_starts_every_item_unanswered_with_a_pass_and_a_fail_choice(client, team_leader, meeting):
    login_as(client, team_leader)
    response = _page(client, meeting)
    form = _section(response.content.decode(), "check-form")
    form = form[: form.index("</form>")]
    items = response.context["check_form"].items
    assert form.count('data-testid="check-item"') == len(items) == 3
    assert form.count('type="radio"') == 2 * len(items)
    assert " checked" not in form
    assert "通过" in form
    assert "不通过" in form


def test_it_refuses_the_form_with_items_unanswered_and_names_them(client, team_leader, meeting):
    login_as(client, team_leader)
    page = _page(client, meeting)
    items = page.context["check_form"].items
    response = _post(client, meeting, 1, _answers(page, item_1=None, item_2=None))
    assert response.status_code == 422
    html = response.content.decode()
    assert f"请逐项作答（通过或不通过）。未作答：{items[1]}、{items[2]}" in html
    assert html.count("请选择“通过”或“不通过”。") == 2
    # What was answered stays chosen.
    assert 'value="pass" checked' in _section(html, "check-form")
    assert MeetingCheck.objects.get(meeting=meeting, level=1).state == MeetingCheck.State.OPEN
    assert not CheckRecord.objects.exists()


def test_it_confirms_level_1_with_every_item_passed_and_records_the_fact(client, team_leader, meeting):
    login_as(client, team_leader)
    response = _post(client, meeting, 1, _answers(_page(client, meeting)))
    assert response.status_code == 302
    record = CheckRecord.objects.get(meeting=meeting, level=1)
    assert (record.action, record.facts) == (CheckRecord.Action.CONFIRMED, [["服务人员已安排", True]])


def test_it_shows_the_facts_of_the_level_to_confirm_with_a_tick_or_a_cross(
    client, team_leader, book, meeting, other_room
):
    login_as(client, team_leader)
    facts = _text(_section(_page(client, meeting).content.decode(), "facts"))
    assert "✓ 已核实： 服务人员已安排 — 已安排：attendant 测试（主责服务员）" in facts
    unstaffed = book("2026-11-27 09:00", "10:00", room=other_room)
    html = _page(client, unstaffed).content.decode()
    assert "✗ 未满足： 服务人员已安排 — 尚未派工" in _text(_section(html, "facts"))
    assert "以上情况处理好之前，本级不能通过" in _section(html, "check-form")


def test_it_refuses_level_1_on_the_page_while_nobody_is_assigned(client, team_leader, book, meeting, other_room):
    unstaffed = book("2026-11-27 09:00", "10:00", room=other_room)
    login_as(client, team_leader)
    response = _post(client, unstaffed, 1, _answers(_page(client, unstaffed)))
    assert response.status_code == 422
    assert "本级不能通过：尚未派工。" in response.content.decode()
    assert not CheckRecord.objects.filter(meeting=unstaffed).exists()
    # With a note it is reported as a problem instead.
    response = _post(client, unstaffed, 1, _answers(_page(client, unstaffed)) | {"notes": "人手不足，已报经理"})
    assert response.status_code == 302
    assert MeetingCheck.objects.get(meeting=unstaffed, level=1).state == MeetingCheck.State.FAILED


def test_it_shows_each_open_levels_window(client, manager, meeting):
    login_as(client, manager)
    html = _page(client, meeting).content.decode()
    windows = [_text(_section(html, f"check-{level}")) for level in (1, 2, 3)]
    assert "确认时间：06:30 起，07:00 前" in windows[0]
    assert "确认时间：07:30 起，08:00 前" in windows[1]
    assert "确认时间：08:00 起，08:30 前" in windows[2]


def test_it_refuses_a_pass_before_the_window_and_says_from_when(client, team_leader, meeting, frozen_now):
    frozen_now.move_to(at("2026-11-27 06:29"))
    login_as(client, team_leader)
    page = _page(client, meeting)
    html = page.content.decode()
    assert "一级检查：尚未到确认时间，06:30 起可确认" in _text(_section(html, "my-check-note"))
    assert 'data-testid="report-early"' in html
    response = _post(client, meeting, 1, _answers(page))
    assert response.status_code == 422
    assert "尚未到确认时间：本级可从 06:30 起确认。" in response.content.decode()
    assert not CheckRecord.objects.exists()
    # A problem is reported at once, window or not.
    response = _post(client, meeting, 1, _answers(page, item_0="fail") | {"notes": "会议可能改期"})
    assert response.status_code == 302
    assert CheckRecord.objects.get().action == CheckRecord.Action.FAILED


def test_it_shows_the_env_supervisor_that_level_2_waits_for_level_1_and_who_does_it(client, env_supervisor, meeting):
    login_as(client, env_supervisor)
    response = _page(client, meeting)
    html = response.content.decode()
    assert response.context["check_form"] is None
    assert 'data-testid="check-form"' not in html
    note = _text(_section(html, "my-check-note"))
    assert "二级检查：等待一级检查（负责人：会务服务组长 team_leader 测试）" in note


def test_it_shows_the_hotline_that_level_3_waits_for_level_2_and_who_does_it(
    client, hotline, env_supervisor, meeting, confirm
):
    confirm(meeting, 1)
    login_as(client, hotline)
    note = _text(_section(_page(client, meeting).content.decode(), "my-check-note"))
    assert "三级检查：等待二级检查（负责人：环境主管 env_supervisor 测试）" in note


def test_it_tells_the_env_supervisor_when_level_2_opens_then_that_it_is_confirmed(
    client, env_supervisor, meeting, confirm, frozen_now
):
    confirm(meeting, 1)
    login_as(client, env_supervisor)
    html = _page(client, meeting).content.decode()
    assert "二级检查：尚未到确认时间，07:30 起可确认" in _text(_section(html, "my-check-note"))
    frozen_now.move_to(at("2026-11-27 07:30"))
    page = _page(client, meeting)
    assert 'data-testid="report-early"' not in page.content.decode()
    assert _post(client, meeting, 2, _answers(page)).status_code == 302
    html = _page(client, meeting).content.decode()
    assert "二级检查：已确认" in _text(_section(html, "my-check-note"))
