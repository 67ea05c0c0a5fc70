import pytest
from django.utils import translation

from huiwu.directory.models import Contact
from huiwu.feedback.services import complaint_receive
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _english(settings):
    # Messages are checked in the English source, which stays put when the Chinese catalogue changes.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def meeting(book):
    """A meeting of 测试委办局 in 701 on 2026-11-26 (today, by the frozen clock) 14:00–16:00."""
    return book("2026-11-26 14:00", "16:00", title="年度工作会")


@pytest.fixture
def contact(client_contact, organization):
    """The client persona's directory entry: the meeting's host, 李小姐."""
    return Contact.objects.create(organization=organization, name="李小姐", phone="13800000001", user=client_contact)


@pytest.fixture
def receive(hotline, meeting, contact, frozen_now):
    """Receive a complaint by the hotline about the meeting, now (2026-11-26 08:00): receive(summary=…)."""

    def make(user=None, **overrides):
        values = {
            "channel": "hotline",
            "complainant_name": "李小姐",
            "complainant_phone": "13800000001",
            "complainant_contact": contact,
            "meeting": meeting,
            "summary": "会场水果不足",
            "statement": "公司花了很多钱，会议进行一半水果就不够了，要求给个说法。",
        }
        return complaint_receive(user=user or hotline, **(values | overrides))

    return make


@pytest.fixture
def complaint(receive):
    return receive()


@pytest.fixture
def task(hotline, meeting, contact, organization):
    from huiwu.delegations.models import DelegatedTask

    return DelegatedTask.objects.create(
        title="代购水果",
        requester_contact=contact,
        organization=organization,
        meeting=meeting,
        due_at=at("2026-11-26 13:30"),
        created_by=hotline,
    )


@pytest.fixture
def answer(meeting, contact):
    """李小姐's survey answer about the meeting: 2 for the tea service."""
    from huiwu.surveys.models import SurveyAnswer, SurveyInvitation

    invitation = SurveyInvitation.objects.create(
        meeting=meeting, contact=contact, nonce_digest="x" * 64, expires_at=at("2026-12-03 16:00")
    )
    return SurveyAnswer.objects.create(
        invitation=invitation, meeting=meeting, venue=4, tea=2, equipment=4, attitude=4, overall=3
    )


STEP_NOTES = {
    "apology": "向主持会议的李小姐表示歉意，承诺查清原因",
    "investigation": "所采购的水果并不少；会前工作繁忙，未请会议职员确认",
    "report": "如实向李小姐反映",
    "rectification": "安排会务服务员及时更新会场水果",
    "acceptance": "取得对方谅解",
}
LESSON = "客户委托事务，完成后应及时求得客户确认或知会客户，增加工作的透明度。"


@pytest.fixture
def walk(hotline):
    """Record these steps of a complaint as the hotline: walk(complaint, "apology", "investigation")."""
    from huiwu.feedback.services import complaint_step_record

    def record(complaint, *steps):
        for step in steps:
            complaint = complaint_step_record(user=hotline, complaint=complaint, step=step, note=STEP_NOTES[step])
        return complaint

    return record


@pytest.fixture
def closed(complaint, hotline, walk):
    """The seed's complaint, accepted and closed under 沟通不及时 with its lesson: a case of the library."""
    from huiwu.feedback.models import RootCause
    from huiwu.feedback.services import complaint_close

    walk(complaint, *STEP_NOTES)
    return complaint_close(
        user=hotline, complaint=complaint, root_cause=RootCause.objects.get(name="沟通不及时"), lesson=LESSON
    )
