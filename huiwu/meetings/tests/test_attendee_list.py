"""The leaders and guests on a meeting's page: a numbered list, or words saying there are none."""

import re

from huiwu.directory.models import Person
from huiwu.testing import login_as


def _attendees_card(html: str) -> str:
    return html.split("领导和来宾", 1)[1].split('<div class="card mb-3">', 1)[0]


def test_it_says_there_are_no_attendees_instead_of_numbering_the_empty_list(client, hotline, book):
    meeting = book("2026-11-27 09:00", "10:00")
    login_as(client, hotline)
    card = _attendees_card(client.get(f"/meetings/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert 'data-testid="no-attendees">暂无记录。</p>' in card
    assert "<ol" not in card
    assert "<li" not in card


def test_it_numbers_the_attendees_it_has(client, hotline, book):
    chief = Person.objects.create(name="周国庆", title="局长", precedence=1)
    meeting = book("2026-11-27 09:00", "10:00", attendees=[chief])
    login_as(client, hotline)
    card = _attendees_card(client.get(f"/meetings/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert re.search(r'<ol class="[^"]*list-group-numbered[^"]*" data-testid="attendees">', card)
    assert "周国庆" in card
    assert "no-attendees" not in card
