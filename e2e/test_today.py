"""The today page of each role but the manager's, on a phone and on a desktop: the rows of work it lists fit
the screen, and each role sees its own."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD

ROLES = ["hotline", "team_leader", "env_supervisor", "attendant", "reception", "security_officer", "client", "admin"]


@pytest.fixture
def day_of_work(make_persona, organization, room, other_room, draft):
    """Meetings around now: one soon (its checks due), one later, a client's request, one being served."""
    from huiwu.meetings.services import meeting_create
    from huiwu.service.services import assignment_add, meeting_start

    people = {code: make_persona(code) for code in ROLES}
    people["client"].organization = organization
    people["client"].save()
    now = timezone.localtime().replace(second=0, microsecond=0)
    soon = now + timedelta(minutes=80)
    meeting_create(user=people["hotline"], draft=draft(soon, soon + timedelta(hours=1), title="区政府常务会议"))
    later = now + timedelta(hours=3)
    meeting_create(
        user=people["hotline"],
        draft=draft(later, later + timedelta(hours=2), title="全区安全生产工作部署会", room=other_room),
    )
    tomorrow = now + timedelta(days=1)
    meeting_create(user=people["client"], draft=draft(tomorrow, tomorrow + timedelta(hours=1), title="季度工作会"))
    # Only a manager records a meeting that has already started.
    running = meeting_create(
        user=make_persona("manager"),
        draft=draft(
            now - timedelta(minutes=10),
            now + timedelta(minutes=50),
            title="调研座谈会",
            room=other_room,
            setup_minutes=0,
            teardown_minutes=0,
        ),
    )
    team_leader = make_persona("team_leader")
    assignment_add(user=team_leader, meeting=running, attendant=people["attendant"], duty="lead")
    meeting_start(user=people["attendant"], meeting=running, at=now - timedelta(minutes=10))
    return people


@pytest.mark.parametrize("code", ROLES)
def test_it_shows_each_role_its_work_on_a_phone_and_a_desktop(page, live_server, day_of_work, code):
    sign_in(page, live_server, code, PERSONA_PASSWORD)
    for size, label in ((PHONE, "360"), (DESKTOP, "1280")):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/")
        section = page.locator(f'section[data-role="{code}"]:not([data-titled])')
        expect(section).to_be_visible()
        expect(page.locator("body")).not_to_contain_text("将在此显示")
        if size is PHONE:
            assert_no_sideways_scroll(page)
        screenshot(page, f"today-{code}-{label}")
    if code == "hotline":
        expect(section.get_by_test_id("today-item").filter(has_text="季度工作会")).to_contain_text("确认或拒绝")
    if code == "attendant":
        expect(section.get_by_test_id("today-item").filter(has_text="调研座谈会")).to_be_visible()
    if code == "client":
        expect(section.get_by_test_id("today-item").filter(has_text="季度工作会")).to_contain_text("待确认")
