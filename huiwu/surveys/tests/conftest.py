import pytest
from django.utils import translation

from huiwu.directory.models import Contact
from huiwu.surveys.models import SurveyInvitation
from huiwu.surveys.services import survey_answer, surveys_send_due
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _english(settings):
    # Messages are checked in the English source, which stays put when the Chinese catalogue changes.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def contact(client_contact, organization):
    """The client persona's directory entry, 周敏 of 测试委办局: her inbox is reached."""
    return Contact.objects.create(organization=organization, name="周敏", phone="13800000008", user=client_contact)


@pytest.fixture
def offline_contact(organization):
    """吴磊 of 测试委办局, without an account: a link reaches him only by hand."""
    return Contact.objects.create(organization=organization, name="吴磊", phone="13800000035")


@pytest.fixture
def meeting(book, contact):
    """测试委办局's meeting in 701 on 2026-11-26 (today by the frozen clock) 09:00–10:00, 周敏 its contact."""
    return book("2026-11-26 09:00", "10:00", title="年度工作会", contact=contact)


@pytest.fixture
def ended(meeting, frozen_now):
    """The meeting over by the clock (10:00) and its contacts invited at 10:30; the clock stays at 10:30."""
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    return meeting


@pytest.fixture
def invitation(ended, contact):
    return SurveyInvitation.objects.get(meeting=ended, contact=contact)


@pytest.fixture
def link(invitation, client_contact):
    """The survey link of 周敏's inbox entry."""
    return client_contact.notifications.get(kind="survey").url


SCORES = {"venue": 5, "tea": 4, "equipment": 4, "attitude": 5, "overall": 4}


@pytest.fixture
def answer_with():
    """answer_with(invitation, overall=2, comment=…): survey_answer with good scores unless told otherwise."""

    def make(invitation, **overrides):
        return survey_answer(invitation=invitation, **(SCORES | overrides))

    return make
