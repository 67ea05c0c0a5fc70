from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from huiwu.feedback.models import FollowUp
from huiwu.feedback.services import follow_up_close, follow_up_open
from huiwu.notify.models import Deadline, Kind, Notification
from huiwu.notify.services import deadlines_process
from huiwu.testing import at


def test_it_opens_a_follow_up_for_a_disputed_task_with_its_meeting_and_organization(task, frozen_now):
    follow_up = follow_up_open(
        source=FollowUp.Source.TASK_DISPUTE, summary="代购水果：有异议", client_note="水果太少", task=task
    )
    follow_up.refresh_from_db()
    assert (follow_up.task, follow_up.meeting, follow_up.organization) == (task, task.meeting, task.organization)
    assert (follow_up.client_note, follow_up.opened_at, follow_up.is_open) == ("水果太少", at("2026-11-26 08:00"), True)


def test_it_opens_a_follow_up_for_a_low_score_with_the_answer_s_meeting(answer, frozen_now):
    follow_up = follow_up_open(source=FollowUp.Source.LOW_SCORE, summary="茶水服务 2 分", answer=answer)
    assert (follow_up.answer, follow_up.meeting, follow_up.organization) == (
        answer,
        answer.meeting,
        answer.meeting.organizer,
    )


def test_it_refuses_a_follow_up_without_what_it_comes_from(task, answer):
    with pytest.raises(ValueError, match="needs the survey answer"):
        follow_up_open(source=FollowUp.Source.LOW_SCORE, summary="?", task=task)
    with pytest.raises(ValueError, match="needs the task"):
        follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="?", answer=answer)
    assert not FollowUp.objects.exists()


def test_it_tells_the_hotline_at_once_with_a_link_to_the_follow_up(task, hotline, manager, frozen_now):
    follow_up = follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="代购水果：有异议", task=task)
    deadlines_process()
    notice = Notification.objects.get(recipient=hotline, kind=Kind.FOLLOW_UP)
    assert notice.url == f"/feedback/follow-ups/{follow_up.pk}/"
    assert "代购水果：有异议" in notice.title
    assert not Notification.objects.filter(recipient=manager, kind=Kind.FOLLOW_UP).exists()


@pytest.mark.parametrize(("minutes", "escalated"), [(-1, False), (0, True), (1, True)])
def test_it_escalates_an_open_follow_up_to_the_manager_after_the_set_hours(
    task, hotline, manager, frozen_now, settings, minutes, escalated
):
    settings.FOLLOW_UP_HOURS = 24
    follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="代购水果：有异议", task=task)
    deadlines_process()
    frozen_now.shift(timedelta(hours=24, minutes=minutes))
    deadlines_process()
    assert Notification.objects.filter(recipient=manager, kind=Kind.FOLLOW_UP).exists() is escalated


def test_it_does_not_escalate_a_follow_up_closed_in_time(task, hotline, manager, frozen_now):
    follow_up = follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="代购水果：有异议", task=task)
    frozen_now.shift(timedelta(hours=23, minutes=59))
    follow_up_close(user=hotline, follow_up=follow_up, resolution="已致电李小姐说明分批摆放，对方表示理解。")
    frozen_now.shift(timedelta(hours=1))
    deadlines_process()
    assert not Notification.objects.filter(recipient=manager, kind=Kind.FOLLOW_UP).exists()
    assert Deadline.objects.get(key=f"follow_up:{follow_up.pk}").state == Deadline.State.DONE


def test_it_runs_inside_the_caller_s_transaction(task, frozen_now):
    from django.db import transaction

    class Undone(Exception):
        pass

    def dispute() -> None:
        with transaction.atomic():
            follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="代购水果：有异议", task=task)
            raise Undone

    with pytest.raises(Undone):
        dispute()
    assert not FollowUp.objects.exists()
    assert not Deadline.objects.filter(key__startswith="follow_up:").exists()


def test_it_closes_a_follow_up_once_with_its_outcome(task, hotline, frozen_now):
    follow_up = follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="代购水果：有异议", task=task)
    with pytest.raises(ValidationError) as refused:
        follow_up_close(user=hotline, follow_up=follow_up, resolution="  ")
    assert refused.value.message_dict == {"resolution": ["Write down the outcome."]}
    follow_up_close(user=hotline, follow_up=follow_up, resolution="已说明")
    follow_up.refresh_from_db()
    assert (follow_up.closed_by, follow_up.resolution) == (hotline, "已说明")
    assert follow_up.closed_at == at("2026-11-26 08:00")
    with pytest.raises(ValidationError) as twice:
        follow_up_close(user=hotline, follow_up=follow_up, resolution="再次")
    assert twice.value.message_dict == {"resolution": ["This follow-up was already closed on 2026-11-26 08:00."]}


def test_it_lets_only_follow_up_handlers_close_one(task, attendant, frozen_now):
    from huiwu.accounts.roles import RoleRequired

    follow_up = follow_up_open(source=FollowUp.Source.TASK_DISPUTE, summary="代购水果：有异议", task=task)
    with pytest.raises(RoleRequired) as refused:
        follow_up_close(user=attendant, follow_up=follow_up, resolution="已说明")
    assert refused.value.roles == ["manager", "team_leader", "hotline"]
    assert FollowUp.objects.get().is_open
