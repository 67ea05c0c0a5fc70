"""The worker's pass also invites the client contacts to the survey of each meeting that has ended."""

import time_machine
from django.core.management import call_command

from huiwu.directory.models import Contact
from huiwu.meetings.services import meeting_create
from huiwu.notify.models import Kind
from huiwu.surveys.models import SurveyInvitation
from huiwu.testing import at


def test_it_invites_to_the_survey_of_a_meeting_that_ended(
    transactional_db, draft, hotline, client_contact, organization
):
    contact = Contact.objects.create(organization=organization, name="周敏", user=client_contact)
    with time_machine.travel(at("2026-11-26 08:00"), tick=False) as clock:
        meeting = meeting_create(user=hotline, draft=draft("2026-11-26 09:00", "10:00", contact=contact))
        call_command("worker", once=True)
        assert not SurveyInvitation.objects.exists()
        clock.move_to(at("2026-11-26 10:00"))
        call_command("worker", once=True)
    assert SurveyInvitation.objects.get().meeting == meeting
    assert client_contact.notifications.filter(kind=Kind.SURVEY, meeting=meeting).count() == 1
