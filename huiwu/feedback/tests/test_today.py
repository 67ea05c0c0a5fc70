"""The hotline's and the manager's complaint sections of the today page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from huiwu.feedback.models import FollowUp
from huiwu.feedback.services import follow_up_open
from huiwu.feedback.today import today_sections
from huiwu.lib.today import Tone
from huiwu.testing import login_as


def lists(section) -> dict:
    return {str(entry.title): entry for entry in section.lists}


def counts(section) -> dict:
    return {str(count.label): count.value for count in section.counts}


def test_it_shows_the_hotline_its_open_complaints_with_the_next_step_due(hotline, complaint, frozen_now):
    frozen_now.shift(timedelta(minutes=18))
    (section,) = today_sections(hotline)
    assert str(section.title) == "Complaints and follow-ups"
    (item,) = lists(section)["Open complaints"].items
    assert (item.title, item.place, str(item.status), item.tone) == (
        "会场水果不足",
        "701会议室",
        "apology",
        Tone.WAITING,
    )
    assert item.detail == "Apology: by 08:30 (12 min left)"
    assert item.url == f"/feedback/complaints/{complaint.pk}/"


@pytest.mark.parametrize(("minutes", "late"), [(29, False), (30, True)])
def test_it_marks_a_late_complaint_in_red(hotline, complaint, frozen_now, minutes, late):
    frozen_now.shift(timedelta(minutes=minutes))
    (section,) = today_sections(hotline)
    (item,) = lists(section)["Open complaints"].items
    assert (item.tone == Tone.ALERT) is late
    assert counts(section)["Overdue"] == int(late)


def test_it_shows_open_follow_ups_and_return_visits_due(hotline, task, closed, frozen_now):
    follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="代购水果：有异议", task=task)
    (section,) = today_sections(hotline)
    assert [item.title for item in lists(section)["Follow-ups open"].items] == ["代购水果：有异议"]
    assert lists(section)["Return visits due"].items == []
    frozen_now.shift(timedelta(days=3))
    (section,) = today_sections(hotline)
    assert [item.title for item in lists(section)["Return visits due"].items] == ["会场水果不足"]
    assert counts(section)["Return visits due"] == 1


def test_it_shows_the_manager_late_complaints_and_those_closed_this_month(manager, receive, closed, frozen_now):
    receive(summary="话筒没有声音")
    (section,) = today_sections(manager)
    assert counts(section) == {"Open complaints": 1, "Overdue": 0, "Closed this month": 1}
    assert lists(section)["Late complaints"].items == []
    frozen_now.shift(timedelta(minutes=30))
    (section,) = today_sections(manager)
    assert [item.title for item in lists(section)["Late complaints"].items] == ["话筒没有声音"]
    assert section.waiting == "1 complaint late"


def test_it_counts_only_this_month_s_closings(manager, closed, frozen_now):
    frozen_now.shift(timedelta(days=5))  # 2026-12-01
    (section,) = today_sections(manager)
    assert counts(section)["Closed this month"] == 0


def test_it_gives_other_roles_no_complaint_section(attendant, team_leader, client_contact, complaint):
    for user in (attendant, team_leader, client_contact):
        assert today_sections(user) == []


def test_it_costs_a_fixed_number_of_queries(hotline, manager, receive, task, walk, django_assert_max_num_queries):
    receive()
    follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="有异议", task=task)
    with django_assert_max_num_queries(20) as few:
        today_sections(hotline)
        today_sections(manager)
    for number in range(5):
        walk(receive(summary=f"投诉 {number}"), "apology")
        follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary=f"有异议 {number}", task=task)
    with django_assert_max_num_queries(len(few.captured_queries)):
        today_sections(hotline)
        today_sections(manager)


def test_it_renders_on_the_today_page(client, hotline, complaint):
    login_as(client, hotline)
    html = client.get(reverse("core:today")).content.decode()
    assert "Complaints and follow-ups" in html
    assert f"/feedback/complaints/{complaint.pk}/" in html
