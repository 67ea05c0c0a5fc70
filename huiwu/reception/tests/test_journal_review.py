"""The end-of-day review (seed 篇3 (二) 9): today's journal, the next working day's meetings from booking (a
confidential one the user may not see is a busy block, never its title), the team's open matters, the
documents still waiting, and the one tap "reviewed" of today's review item."""

from datetime import date

import pytest
import time_machine
from django.utils import translation

from huiwu.delegations.services import task_create
from huiwu.reception.models import JournalEntry, ReviewedDocument, RoutineItem
from huiwu.reception.selectors.journal import end_of_day_review
from huiwu.reception.services.journal import journal_write
from huiwu.reception.services.matters import matter_confirm, matter_done, matter_record
from huiwu.reception.services.routine import day_plan_ensure
from huiwu.testing import at, login_as

URL = "/reception/journal/review/"
THURSDAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def evening(frozen_now):
    frozen_now.move_to(at("2026-11-26 17:00"))
    return frozen_now


@pytest.fixture
def meetings(book, frozen_now):
    """Booked on Thursday morning: two on Friday (one confidential), one on Monday, one this afternoon."""
    return {
        "weekly": book("2026-11-27 09:00", "10:00", title="周例会"),
        "secret": book("2026-11-27 14:00", "15:00", title="绝密专题会", confidentiality=2),
        "monday": book("2026-11-30 09:00", "10:00", title="周一碰头会"),
        "today": book("2026-11-26 15:00", "16:00", title="今天的会"),
    }


@pytest.fixture
def document(reception, leader, frozen_now):
    return ReviewedDocument.objects.create(
        title="关于2026年度预算的请示",
        document_number="机管发〔2026〕45号",
        reviewing_leader=leader,
        retrieved_at=at("2026-11-25 17:10"),
        retrieved_by=reception,
        due_at=at("2026-11-26 09:30"),
    )


def _matter(reception, title="送材料至市政府办公厅", due="2026-11-27 10:00"):
    return matter_record(
        user=reception, title=title, requester_name="总经办 王主任", due_at=at(due), assignee=reception
    )


# --- what it shows ------------------------------------------------------------------------------------


def test_it_shows_the_next_working_day_s_meetings_and_hides_confidential_titles(client, reception, meetings, evening):
    login_as(client, reception)
    response = client.get(URL)
    html = response.content.decode()
    review = response.context["review"]
    assert review.next_day == date(2026, 11, 27)
    assert [(line.title, line.hidden) for line in review.meetings] == [
        ("周例会", False),
        ("Confidential meeting", True),
    ]
    assert "周例会" in html
    assert 'data-testid="busy-block"' in html
    assert "绝密专题会" not in html
    assert "周一碰头会" not in html
    assert "今天的会" not in html
    assert "Next working day: November 27, Friday" in html


def test_it_shows_a_confidential_meeting_to_who_may_see_it(manager, meetings, evening):
    review = end_of_day_review(manager, THURSDAY)
    assert [line.title for line in review.meetings] == ["周例会", "绝密专题会"]


def test_it_looks_from_friday_to_monday(reception, meetings):
    with time_machine.travel(at("2026-11-27 17:00"), tick=False):
        review = end_of_day_review(reception, date(2026, 11, 27))
    assert review.next_day == date(2026, 11, 30)
    assert [line.title for line in review.meetings] == ["周一碰头会"]


def test_it_looks_past_national_day_to_the_first_working_day_after_it(reception):
    with time_machine.travel(at("2026-09-30 17:00"), tick=False):
        assert end_of_day_review(reception, date(2026, 9, 30)).next_day == date(2026, 10, 8)


def test_it_says_so_when_the_calendar_has_no_next_working_day(reception, monkeypatch, evening):
    from huiwu.reception.selectors import journal

    def no_working_day(day):
        raise ValueError("none")

    monkeypatch.setattr(journal, "next_workday_after", no_working_day)
    review = end_of_day_review(reception, THURSDAY)
    assert (review.next_day, review.meetings) == (None, [])
    assert "check the override table" in review.calendar_problem


def test_it_lists_the_team_s_open_matters_and_not_a_client_s_purchase(
    client, reception, hotline, organization, evening
):
    open_matter = _matter(reception)
    done = _matter(reception, title="已办结的事")
    matter_done(user=reception, task=done)
    matter_confirm(user=reception, task=done, method="phone")
    task_create(
        user=hotline,
        title="代购水果",
        organization=organization,
        requester_name="测试委办局 张处长",
        due_at=at("2026-11-27 09:00"),
    )
    login_as(client, reception)
    review = client.get(URL).context["review"]
    assert [task.pk for task in review.matters] == [open_matter.pk]
    assert review.matters[0].state_text == "Accepted"


def test_it_lists_the_documents_still_to_hand_over_overdue_marked(client, reception, document, evening):
    login_as(client, reception)
    response = client.get(URL)
    assert [doc.pk for doc in response.context["review"].documents] == [document.pk]
    html = response.content.decode()
    assert "机管发〔2026〕45号" in html
    assert "text-danger" in html.split('data-testid="waiting-documents"')[1].split("</section>")[0]


def test_it_shows_today_s_journal_in_the_order_written(client, reception, evening):
    journal_write(author=reception, source=JournalEntry.Source.MANUAL, text="下午", at=at("2026-11-26 15:00"))
    journal_write(author=reception, source=JournalEntry.Source.MANUAL, text="上午", at=at("2026-11-26 09:00"))
    journal_write(author=reception, source=JournalEntry.Source.MANUAL, text="昨天", at=at("2026-11-25 09:00"))
    login_as(client, reception)
    assert [entry.text for entry in client.get(URL).context["review"].journal] == ["上午", "下午"]


def test_it_reads_the_review_in_a_bounded_number_of_queries(
    client, reception, meetings, document, evening, django_assert_max_num_queries
):
    for number in range(20):
        _matter(reception, title=f"事务{number}")
        journal_write(author=reception, source=JournalEntry.Source.MANUAL, text=f"第{number}条")
    login_as(client, reception)
    client.get(URL)
    with django_assert_max_num_queries(25):
        assert client.get(URL).status_code == 200


# --- access and the tap -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["attendant", "client_contact", "outsider"])
def test_it_refuses_who_does_not_read_the_reception_day(client, request, persona, evening):
    login_as(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}done/").status_code == 403


def test_it_ticks_today_s_review_item_with_one_tap(client, reception, evening):
    day_plan_ensure(THURSDAY)
    login_as(client, reception)
    assert 'data-testid="reviewed"' in client.get(URL).content.decode()
    response = client.post(f"{URL}done/", follow=True)
    item = RoutineItem.objects.get(plan__day=THURSDAY, code=RoutineItem.Code.REVIEW)
    assert (item.done_by, item.done_at) == (reception, at("2026-11-26 17:00"))
    assert "The end-of-day review is ticked as done." in response.content.decode()
    assert "Reviewed by reception 测试 at 17:00." in response.content.decode()


def test_it_plans_the_day_when_the_review_is_opened_first(client, reception, evening):
    login_as(client, reception)
    assert client.get(URL).context["review"].item.code == RoutineItem.Code.REVIEW


def test_it_says_why_the_review_cannot_be_ticked_yet(client, reception, frozen_now):
    day_plan_ensure(THURSDAY)
    login_as(client, reception)
    response = client.post(f"{URL}done/", follow=True)
    assert "Not yet: this can be done from 16:30." in response.content.decode()
    assert RoutineItem.objects.get(plan__day=THURSDAY, code=RoutineItem.Code.REVIEW).done_at is None


def test_it_says_there_is_nothing_to_tick_on_a_day_off(client, reception):
    with time_machine.travel(at("2026-11-28 17:00"), tick=False):
        login_as(client, reception)
        assert "no review item" in client.get(URL).content.decode()
        response = client.post(f"{URL}done/", follow=True)
    assert "Today has no timeline" in response.content.decode()


@pytest.mark.parametrize("persona", ["team_leader", "manager"])
def test_it_lets_readers_see_the_review_without_the_tap(client, request, db, persona, evening):
    day_plan_ensure(THURSDAY)
    login_as(client, request.getfixturevalue(persona))
    assert 'data-testid="reviewed"' not in client.get(URL).content.decode()
    assert client.post(f"{URL}done/").status_code == 403
    assert RoutineItem.objects.get(plan__day=THURSDAY, code=RoutineItem.Code.REVIEW).done_at is None
