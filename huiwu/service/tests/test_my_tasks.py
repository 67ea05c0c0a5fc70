"""我的任务, the attendant's phone view and its API: one card per meeting served today with the next action on
top (time, countdown, one tap), the checklist of the phase as one row with its progress, early refills with
their reason, and a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from huiwu.service.models import ChecklistTick, Refill
from huiwu.service.selectors import countdown
from huiwu.service.services import assignment_add, checklist_tick, meeting_end, meeting_start, refill_record
from huiwu.service.standards import phase_items, standard_current
from huiwu.testing import at, login_as


@pytest.fixture
def serve(team_leader, attendant):
    """serve(meeting): the attendant is its lead."""

    def make(meeting):
        assignment_add(user=team_leader, meeting=meeting, attendant=attendant, duty="lead")
        return meeting

    return make


@pytest.fixture
def day_of_three(book, serve, frozen_now, attendant, other_room):
    """The attendant's 2026-11-27: a meeting over (08:00–09:00), one running since 10:00 (refill 1 due
    10:15–10:20, winter), one this afternoon (15:00). It is now 10:11."""
    over = serve(book("2026-11-27 08:00", "09:00", title="早会", setup_minutes=0, teardown_minutes=0))
    running = serve(book("2026-11-27 10:00", "12:00", title="党组会", room=other_room))
    later = serve(book("2026-11-27 15:00", "16:00", title="下午例会"))
    frozen_now.move_to(at("2026-11-27 08:00"))
    meeting_start(user=attendant, meeting=over)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_end(user=attendant, meeting=over)
    frozen_now.move_to(at("2026-11-27 10:00"))
    meeting_start(user=attendant, meeting=running)
    frozen_now.move_to(at("2026-11-27 10:11"))
    return over, running, later


def _cards(html: str) -> list[str]:
    return re.findall(r'data-testid="meeting-card" data-meeting="(\d+)"', html)


def _card(html: str, meeting) -> str:
    start = html.rindex("<article", 0, html.index(f'data-testid="meeting-card" data-meeting="{meeting.pk}"'))
    return html[start : html.index("</article>", start)]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _page(client, attendant) -> str:
    login_as(client, attendant)
    response = client.get(reverse("service:my_tasks"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_one_card_per_meeting_with_what_comes_next_first(client, attendant, day_of_three):
    over, running, later = day_of_three
    html = _page(client, attendant)
    assert _cards(html) == [str(running.pk), str(later.pk), str(over.pk)]
    assert html.count('data-testid="next-action"') == 2  # the meeting over has no next step, only its wrap-up


def test_it_puts_the_next_action_on_top_with_its_time_and_countdown(client, attendant, day_of_three):
    _over, running, later = day_of_three
    html = _page(client, attendant)
    running_card = _text(_card(html, running))
    assert "第 1 次续水 10:15–10:20 · 4 分钟后" in running_card
    assert "会议结束 · 12:00–" not in running_card
    assert "会议结束 · 12:00 · 109 分钟后" in running_card  # the end comes later, below
    assert "会议开始 15:00 · 289 分钟后" in _text(_card(html, later))


def test_it_says_how_late_an_action_is_once_its_window_has_closed(client, attendant, day_of_three, frozen_now):
    _over, running, _later = day_of_three
    frozen_now.move_to(at("2026-11-27 10:23"))
    card = _card(_page(client, attendant), running)
    assert "第 1 次续水 10:15–10:20 · 已超时 3 分钟" in _text(card)
    assert "border-danger" in card


@pytest.mark.parametrize(
    ("now", "text"),
    [
        ("10:14", "in 1 min"),
        ("10:15", "5 min left"),
        ("10:19", "1 min left"),
        ("10:20", "now"),
        ("10:21", "1 min late"),
        ("10:23", "3 min late"),
    ],
)
def test_it_counts_down_to_the_window_then_what_is_left_of_it_then_the_lateness(now, text):
    with translation.override("en"):
        assert countdown(at("2026-11-27 10:15"), at(f"2026-11-27 {now}"), at("2026-11-27 10:20")) == text


def test_it_keeps_the_plain_countdown_without_a_deadline():
    with translation.override("en"):
        assert countdown(at("2026-11-27 10:15"), at("2026-11-27 10:11")) == "in 4 min"
        assert countdown(at("2026-11-27 10:15"), at("2026-11-27 10:18")) == "3 min ago"
        assert countdown(at("2026-11-27 10:15"), at("2026-11-27 10:15")) == "now"


@pytest.mark.parametrize("now", ["10:11:00", "10:14:45", "10:15:00", "10:17:29", "10:20:10"])
def test_it_knows_when_the_plain_countdown_next_turns(now):
    """The board's snapshot holds until then (service/board.py): the text is the same just before, not at it."""
    from datetime import timedelta

    from huiwu.service.selectors import countdown, countdown_changes_at

    moment = at("2026-11-27 10:15")
    start = moment.replace(minute=int(now[3:5]), second=int(now[6:8]))
    turns = countdown_changes_at(moment, start)
    assert start <= turns < start + timedelta(minutes=1)
    just_before = turns - timedelta(microseconds=1)
    assert countdown(moment, max(start, just_before)) == countdown(moment, start)
    assert countdown(moment, turns + timedelta(microseconds=1)) != countdown(moment, start)


def test_it_shows_the_checklist_as_one_row_with_its_progress(client, attendant, day_of_three):
    _over, _running, later = day_of_three
    items = phase_items(standard_current(), later, "before")
    checklist_tick(user=attendant, meeting=later, phase="before", item=items[0])
    card = _card(_page(client, attendant), later)
    assert card.count('data-testid="checklist"') == 1
    assert f"会前准备 1/{len(items)}" in _text(card)
    assert "14:30 前完成" in _text(card)  # the room is ready 30 minutes before the start
    assert card.count('data-testid="checklist-item"') == len(items)
    assert card.count("标记完成") == len(items) - 1
    assert f'<progress class="hw-progress flex-grow-1" value="1" max="{len(items)}"' in card


def test_it_opens_the_wrap_up_of_a_meeting_over_since_nothing_else_is_left(client, attendant, day_of_three):
    over, _running, _later = day_of_three
    card = _card(_page(client, attendant), over)
    assert re.search(r'data-testid="checklist" open>', card)
    assert "会后工作 0/" in _text(card)
    assert "09:00 结束" in _text(card)


def test_it_ticks_an_item_from_the_card_and_counts_it(client, attendant, day_of_three):
    _over, _running, later = day_of_three
    items = phase_items(standard_current(), later, "before")
    login_as(client, attendant)
    response = client.post(
        reverse("service:task_do", args=[later.pk]),
        {"action": "tick", "phase": "before", "item": items[1]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert ChecklistTick.objects.filter(meeting=later, item=items[1], done_by=attendant).exists()
    assert f"会前准备 1/{len(items)}" in _text(_card(response.content.decode(), later))


def test_it_records_a_refill_in_its_window_with_one_tap(client, attendant, day_of_three, frozen_now):
    _over, running, _later = day_of_three
    frozen_now.move_to(at("2026-11-27 10:16"))
    card = _card(_page(client, attendant), running)
    assert 'data-testid="do-refill"' in card
    assert 'name="early_reason"' not in card
    response = client.post(reverse("service:task_do", args=[running.pk]), {"action": "refill"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "已记录第 1 次续水。" in html
    assert Refill.objects.get(meeting=running, number=1).done_at == at("2026-11-27 10:16")
    # Winter: refill 2 opens 20 to 25 minutes after the first, measured from the moment it was recorded.
    assert "第 2 次续水 10:36–10:41 · 20 分钟后" in _text(_card(html, running))


def test_it_asks_why_before_the_window_opens_and_offers_the_reasons(client, attendant, day_of_three):
    _over, running, _later = day_of_three
    card = _card(_page(client, attendant), running)
    assert 'data-testid="do-refill"' not in card
    assert "提前续水" in card
    for value, label in [("leader", "领导要求"), ("recess", "休会"), ("other", "其他")]:
        assert f'name="early_reason" value="{value}"' in card
        assert label in card
    assert 'name="early_note"' in card


def test_it_refuses_an_early_refill_without_a_reason_and_records_one_with_it(client, attendant, day_of_three):
    _over, running, _later = day_of_three
    login_as(client, attendant)
    url = reverse("service:task_do", args=[running.pk])
    refused = client.post(url, {"action": "refill"}, HTTP_HX_REQUEST="true").content.decode()
    assert "alert-danger" in refused
    assert not Refill.objects.filter(meeting=running, done_at__isnull=False).exists()
    refused = client.post(url, {"action": "refill", "early_reason": "other"}, HTTP_HX_REQUEST="true")
    assert "alert-danger" in refused.content.decode()
    assert not Refill.objects.filter(meeting=running, done_at__isnull=False).exists()

    client.post(url, {"action": "refill", "early_reason": "leader"}, HTTP_HX_REQUEST="true")
    refill = Refill.objects.get(meeting=running, number=1)
    assert (refill.done_at, refill.early_reason, refill.is_early) == (at("2026-11-27 10:11"), "leader", True)


def test_it_lets_the_start_be_tapped_only_once_the_room_is_held(client, attendant, day_of_three, frozen_now):
    _over, _running, later = day_of_three
    card = _card(_page(client, attendant), later)
    assert 'data-testid="do-start"' not in card
    assert "14:30 起可记录开始。" in _text(card)
    frozen_now.move_to(at("2026-11-27 14:29"))
    assert 'data-testid="do-start"' not in _card(_page(client, attendant), later)
    frozen_now.move_to(at("2026-11-27 14:30"))
    assert 'data-testid="do-start"' in _card(_page(client, attendant), later)


def test_it_lists_only_the_meetings_the_user_serves_today(client, attendant, book, serve, frozen_now, other_room):
    mine = serve(book("2026-11-27 09:00", "10:00", title="我的会"))
    book("2026-11-27 09:00", "10:00", title="别人的会", room=other_room)
    serve(book("2026-11-28 09:00", "10:00", title="明天的会"))
    frozen_now.move_to(at("2026-11-27 08:00"))
    assert _cards(_page(client, attendant)) == [str(mine.pk)]


def test_it_puts_a_meeting_with_nothing_left_last_and_says_so(client, attendant, book, serve, frozen_now, other_room):
    done = serve(book("2026-11-27 08:00", "09:00", title="早会", setup_minutes=0, teardown_minutes=0))
    coming = serve(book("2026-11-27 15:00", "16:00", title="下午例会", room=other_room))
    frozen_now.move_to(at("2026-11-27 08:00"))
    meeting_start(user=attendant, meeting=done)
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_end(user=attendant, meeting=done)
    for item in phase_items(standard_current(), done, "after"):
        checklist_tick(user=attendant, meeting=done, phase="after", item=item)
    html = _page(client, attendant)
    assert _cards(html) == [str(coming.pk), str(done.pk)]
    assert "全部完成" in _card(html, done)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("service:my_tasks"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(queries)


def test_it_keeps_its_query_count_whatever_the_number_of_meetings(client, attendant, book, serve, frozen_now):
    first = serve(book("2026-11-27 08:00", "08:30", setup_minutes=0, teardown_minutes=0))
    frozen_now.move_to(at("2026-11-27 08:00"))
    meeting_start(user=attendant, meeting=first)
    login_as(client, attendant)
    few = _queries(client)
    later = [
        serve(book(f"2026-11-27 {hour:02d}:00", f"{hour:02d}:30", setup_minutes=0, teardown_minutes=0))
        for hour in range(9, 18)
    ]
    frozen_now.move_to(at("2026-11-27 09:00"))
    meeting_start(user=attendant, meeting=later[0])
    frozen_now.move_to(at("2026-11-27 09:16"))
    refill_record(user=attendant, meeting=later[0])
    checklist_tick(user=attendant, meeting=later[1], phase="before", item=standard_current().before_items[0])
    frozen_now.move_to(at("2026-11-27 09:20"))
    many = _queries(client)
    assert many == few, (few, many)


def test_it_answers_the_same_grouping_over_the_api(api, attendant, day_of_three):
    over, running, later = day_of_three
    checklist_tick(
        user=attendant, meeting=later, phase="before", item=phase_items(standard_current(), later, "before")[0]
    )
    response = api(attendant, "get", "/service/my-tasks")
    assert response.status_code == 200
    body = response.json()
    assert [entry["meeting"]["id"] for entry in body] == [running.pk, later.pk, over.pk]
    first, second, third = body
    assert first["next"] == {
        "kind": "refill",
        "title": "第 1 次续水",
        "number": 1,
        "at": "2026-11-27T10:15:00+08:00",
        "late_after": "2026-11-27T10:20:00+08:00",
        "countdown_minutes": 4,
        "late": False,
        "late_minutes": 0,
        "needs_reason": True,
        "possible": True,
    }
    assert [(task["kind"], task["countdown_minutes"]) for task in first["later"]] == [("end", 109)]
    assert first["checklist"] is None  # a small meeting has nothing to tick during it
    assert (second["next"]["kind"], second["next"]["possible"], second["next"]["number"]) == ("start", False, None)
    checklist = second["checklist"]
    total = len(phase_items(standard_current(), later, "before"))
    assert (checklist["phase"], checklist["title"], checklist["done"], checklist["total"]) == (
        "before",
        "会前准备",
        1,
        total,
    )
    assert checklist["due_at"] == "2026-11-27T14:30:00+08:00"
    assert [item["done"] for item in checklist["items"]] == [True] + [False] * (total - 1)
    assert checklist["items"][0]["done_by"]["id"] == attendant.pk
    assert (third["next"], third["later"], third["checklist"]["phase"], third["finished"]) == (None, [], "after", False)


def test_it_says_over_the_api_how_late_a_step_is(api, attendant, day_of_three, frozen_now):
    frozen_now.move_to(at("2026-11-27 10:23"))
    task = api(attendant, "get", "/service/my-tasks").json()[0]["next"]
    assert (task["late"], task["late_minutes"], task["countdown_minutes"], task["needs_reason"]) == (True, 3, -8, False)


def test_it_answers_nothing_to_someone_who_serves_no_meeting_and_403_to_a_client(api, team_leader, client_contact, db):
    assert api(team_leader, "get", "/service/my-tasks").json() == []
    assert api(client_contact, "get", "/service/my-tasks").status_code == 403


def test_it_refreshes_the_list_alone_for_htmx(client, attendant, day_of_three):
    login_as(client, attendant)
    response = client.get(reverse("service:my_tasks"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert len(_cards(html)) == 3


def test_it_keeps_the_polled_list_marked_for_its_state_keeping(client, attendant, db):
    html = _page(client, attendant)
    assert re.search(r'id="tasks" hx-get="/service/mine/" hx-trigger="every 30s"[^>]*data-keep-open', html)
