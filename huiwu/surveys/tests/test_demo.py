"""The demo's surveys: answered ones with a low score among them, and 周敏's open invitation to yesterday's meeting."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from huiwu.accounts.models import User
from huiwu.feedback.models import FollowUp
from huiwu.surveys import demo
from huiwu.surveys.models import SurveyAnswer, SurveyInvitation
from huiwu.surveys.selectors import open_invitations
from huiwu.surveys.today import today_sections


def test_it_loads_the_demo_surveys_idempotently(db, capsys):
    for _run in range(2):
        call_command("demo")
        demo.demo_load()
    client = User.objects.get(username="client")
    rated = SurveyAnswer.objects.filter(invitation__contact__user=client)
    assert rated.count() == 5
    assert rated.filter(overall__gte=4).count() == 4
    low = FollowUp.objects.get(answer__invitation__contact__user=client)
    assert low.answer.equipment == 2
    waiting = open_invitations(SurveyInvitation.objects.filter(contact__user=client), timezone.now())
    yesterday = timezone.localdate() - timedelta(days=1)
    assert [timezone.localdate(row.meeting.end) for row in waiting.filter(meeting__title="公务用车管理专题会")] == [
        yesterday
    ]
    assert client.notifications.filter(kind="survey", meeting__title="公务用车管理专题会").count() == 1
    assert any(section.title == "Satisfaction surveys" for section in today_sections(client))
    assert "/surveys/answer/" not in capsys.readouterr().out
