"""Ad-hoc matters (随机性事务, seed 篇3 (五)): delegated tasks of kind errand given to the team by the GM office,
leaders or departments — recorded, given to a member of the team (chosen), started, done, and confirmed with
whoever gave it (who has no account: phone, WeCom or in person). Each step is a journal line linking to the
task's page."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.delegations.models import DelegatedTask, DelegationEvent
from huiwu.delegations.services import task_create
from huiwu.reception.models import JournalEntry
from huiwu.reception.selectors.team import matters_of_day, team_matters
from huiwu.reception.services.matters import matter_assign, matter_confirm, matter_done, matter_record, matter_start
from huiwu.testing import PERSONA_PASSWORD, at

State = DelegatedTask.State


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def colleague(db):
    return user_upsert(username="reception2", password=PERSONA_PASSWORD, display_name="王敏", roles=[Role.RECEPTION])


@pytest.fixture
def record(reception, frozen_now):
    def make(**overrides):
        values = {
            "title": "将会议纪要送至市政府办公厅",
            "requester_name": "总经办 王主任",
            "due_at": at("2026-11-26 11:00"),
            "assignee": reception,
            "details": "送交秘书处",
        }
        return matter_record(user=reception, **(values | overrides))

    return make


def _journal() -> list[tuple[str, str, str]]:
    return [(entry.source, entry.text, entry.url) for entry in JournalEntry.objects.order_by("at", "id")]


def test_it_records_a_matter_as_an_accepted_errand_with_no_client(record, reception):
    task = record()
    assert (task.kind, task.state, task.requester_name, task.assignee) == (
        DelegatedTask.Kind.ERRAND,
        State.ACCEPTED,
        "总经办 王主任",
        reception,
    )
    assert (task.organization, task.requester_contact, task.created_by) == (None, None, reception)
    ((source, text, url),) = _journal()
    assert source == JournalEntry.Source.MATTER
    assert url == f"/delegations/{task.pk}/"
    assert "将会议纪要送至市政府办公厅" in text
    assert "总经办 王主任" in text


def test_it_takes_the_matter_through_its_steps_each_in_the_journal(record, reception, colleague, frozen_now):
    task = record()
    matter_assign(user=reception, task=task, assignee=colleague)
    matter_start(user=colleague, task=task)
    frozen_now.move_to(at("2026-11-26 09:30"))
    matter_done(user=colleague, task=task, note="秘书处签收")
    frozen_now.move_to(at("2026-11-26 09:40"))
    notice = matter_confirm(user=reception, task=task, method="phone", answer="收到")
    task.refresh_from_db()
    assert task.state == State.NOTIFIED
    assert task.is_complete
    assert (task.assignee, task.done_by, task.done_note) == (colleague, colleague, "秘书处签收")
    assert (notice.method, notice.notified_at, notice.client_answer) == ("phone", at("2026-11-26 09:40"), "收到")
    texts = [text for _source, text, _url in _journal()]
    assert len(texts) == 5
    assert "given to 王敏" in texts[1]
    assert "started" in texts[2]
    assert "秘书处签收" in texts[3]
    assert "confirmed with 总经办 王主任 (Phone)" in texts[4]
    assert {url for _source, _text, url in _journal()} == {f"/delegations/{task.pk}/"}
    actions = list(DelegationEvent.objects.filter(task=task).values_list("action", flat=True))
    assert actions == ["recorded", "changed", "started", "done", "notified"]


def test_it_records_who_was_told_when_not_the_requester(record, reception):
    task = record()
    matter_done(user=reception, task=task)
    notice = matter_confirm(user=reception, task=task, method="in_person", notified_person="总经办 张秘书")
    assert notice.notified_person == "总经办 张秘书"
    assert "confirmed with 总经办 张秘书 (In person)" in _journal()[-1][1]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"requester_name": ""}, "requester_name", "Say who gave the matter"),
        ({"requester_name": "   "}, "requester_name", "Say who gave the matter"),
        ({"assignee": None}, "assignee", "Choose who of the team does it."),
        ({"title": ""}, "title", "Say what is to be done"),
        ({"due_at": None}, "due_at", "Say by when"),
        ({"due_at": at("2026-11-26 07:58")}, "due_at", "already passed"),
        ({"title": "字" * 201}, "title", "At most 200 characters"),
    ],
)
def test_it_refuses_a_matter_missing_what_it_needs_and_records_nothing(record, overrides, field, message):
    with pytest.raises(ValidationError) as error:
        record(**overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert not DelegatedTask.objects.exists()
    assert not JournalEntry.objects.exists()


def test_it_says_every_problem_at_once(record):
    with pytest.raises(ValidationError) as error:
        record(title="", requester_name="", assignee=None)
    assert sorted(error.value.message_dict) == ["assignee", "requester_name", "title"]


def test_it_refuses_a_matter_for_someone_outside_the_team(record, attendant):
    with pytest.raises(ValidationError) as error:
        record(assignee=attendant)
    assert "Choose an active member of the reception team." in error.value.message_dict["assignee"]
    assert not DelegatedTask.objects.exists()


def test_it_refuses_to_give_a_matter_to_someone_outside_the_team(record, reception, attendant):
    task = record()
    with pytest.raises(ValidationError):
        matter_assign(user=reception, task=task, assignee=attendant)
    task.refresh_from_db()
    assert task.assignee == reception


def test_it_refuses_the_portal_as_the_way_the_requester_was_told(record, reception):
    task = record()
    matter_done(user=reception, task=task)
    with pytest.raises(ValidationError) as error:
        matter_confirm(user=reception, task=task, method="portal")
    assert "by phone, on WeCom or in person" in error.value.message_dict["method"][0]
    task.refresh_from_db()
    assert task.state == State.AWAITING_CLIENT


def test_it_refuses_a_confirmation_before_the_matter_is_done(record, reception):
    task = record()
    with pytest.raises(ValidationError) as error:
        matter_confirm(user=reception, task=task, method="phone")
    assert "not possible yet" in error.value.messages[0]
    assert len(_journal()) == 1


def test_it_refuses_a_step_twice(record, reception):
    task = record()
    matter_start(user=reception, task=task)
    with pytest.raises(ValidationError):
        matter_start(user=reception, task=task)
    assert len(_journal()) == 2


def test_it_refuses_the_steps_on_a_client_s_purchase(reception, hotline, organization, frozen_now):
    purchase = task_create(
        user=hotline,
        title="代购水果",
        organization=organization,
        requester_name="张处长",
        due_at=at("2026-11-27 09:00"),
    )
    with pytest.raises(ValidationError) as error:
        matter_start(user=reception, task=purchase)
    assert "not one of the reception team's ad-hoc matters" in error.value.messages[0]
    assert not team_matters(reception).exists()


@pytest.mark.parametrize("persona", ["team_leader", "manager", "hotline", "attendant", "outsider"])
def test_it_lets_only_reception_record_and_work_matters(request, persona, record):
    task = record()
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        matter_record(user=user, title="x", requester_name="总经办", due_at=at("2026-11-26 11:00"), assignee=None)
    for step in (matter_start, matter_done):
        with pytest.raises(PermissionDenied):
            step(user=user, task=task)
    assert DelegatedTask.objects.count() == 1


def test_it_lists_the_open_matters_and_those_of_the_day(record, reception, frozen_now):
    old_open = record(title="上周的事", due_at=at("2026-11-26 12:00"))
    DelegatedTask.objects.filter(pk=old_open.pk).update(created_at=at("2026-11-19 09:00"))
    done_today = record(title="今天办结")
    matter_done(user=reception, task=done_today)
    matter_confirm(user=reception, task=done_today, method="wecom")
    done_before = record(title="昨天办结")
    matter_done(user=reception, task=done_before)
    matter_confirm(user=reception, task=done_before, method="phone")
    DelegatedTask.objects.filter(pk=done_before.pk).update(
        created_at=at("2026-11-25 09:00"), done_at=at("2026-11-25 10:00"), due_at=at("2026-11-25 11:00")
    )
    done_before.notices.update(notified_at=at("2026-11-25 10:10"))
    rows = matters_of_day(reception, date(2026, 11, 26))
    assert [task.title for task in rows] == ["上周的事", "今天办结"]
    assert rows[1].state_text == "Confirmed"
    assert rows[1].last_notice.method == "wecom"
    assert [task.title for task in matters_of_day(reception, date(2026, 11, 25))] == ["上周的事", "昨天办结"]
