"""Reception's day on a 360 px phone (seed 篇3): at 08:41 the reception attendant opens the timeline and ticks
the 7F office door and the hot water with one tap each; at 16:40 she marks a leader out on the presence board,
cleans the office (the knock protocol, the steps in order, the checks), takes back a reviewed document and
locks the door; the register then holds the document, due to the GM office by 09:30 the next working day.
The team leader reads the same day on the desktop."""

from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD

THURSDAY = date(2026, 11, 26)  # a working day in the official 2026 schedule


@pytest.fixture
def office(db):
    from huiwu.directory.models import Person
    from huiwu.reception.models import LeaderOffice

    leader = Person.objects.create(name="周国庆", title="局长", kind=Person.Kind.LEADER, precedence=1)
    return LeaderOffice.objects.create(leader=leader, room="7楼 706室", is_principal=True)


@pytest.fixture
def thursday_morning(settings):
    # The live server runs in this process, so it reads the travelled clock; the browser keeps its own. A
    # session cookie without an expiry date stays valid whatever the two clocks say.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel("2026-11-26 08:41 +0800", tick=True) as traveller:
        yield traveller


def _phone(browser):
    return browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce")


def test_it_runs_reception_from_the_morning_items_to_a_cleaned_office_and_its_document(
    thursday_morning, page, browser, live_server, reception, team_leader, office
):
    from huiwu.reception.models import CleaningRecord, JournalEntry, ReviewedDocument, RoutineItem

    phone = _phone(browser).new_page()
    sign_in(phone, live_server, "reception", PERSONA_PASSWORD)

    # 08:41: the door (08:40–08:45) and the hot water are due; each is one tap.
    phone.goto(f"{live_server.url}/reception/")
    door, water = phone.get_by_test_id("item-door"), phone.get_by_test_id("item-hot_water")
    expect(door).to_have_attribute("data-state", "due_soon")
    expect(water).not_to_have_attribute("data-state", "done")
    assert_no_sideways_scroll(phone)
    screenshot(phone, "reception-day-360")
    door.get_by_test_id("do-door").click()
    expect(door.get_by_test_id("feedback")).to_be_visible()
    expect(door.get_by_test_id("done-by")).to_contain_text("08:41")
    water.get_by_test_id("do-hot_water").click()
    expect(water).to_have_attribute("data-state", "done")
    screenshot(phone, "reception-day-ticked-360")
    ticked = RoutineItem.objects.filter(plan__day=THURSDAY, done_by=reception)
    assert set(ticked.values_list("code", flat=True)) == {"door", "hot_water"}

    # 16:40: the leader has gone out; she says so on the presence board, then cleans the office.
    thursday_morning.move_to("2026-11-26 16:40 +0800")
    phone.goto(f"{live_server.url}/reception/offices/")
    card = phone.get_by_test_id("office")
    card.get_by_test_id("set-out").click()
    expect(card.get_by_test_id("presence")).to_have_text("不在")
    assert_no_sideways_scroll(phone)
    screenshot(phone, "reception-offices-360")
    card.get_by_test_id("clean").click()
    expect(phone.get_by_test_id("knock-protocol")).to_be_visible()
    phone.get_by_test_id("knock").click()
    steps = phone.get_by_test_id("step")
    expect(steps.first).to_be_visible()
    for done in range(1, steps.count() + 1):
        phone.get_by_test_id("do-step").click()
        expect(steps.filter(has_text="✓")).to_have_count(done)
    expect(phone.get_by_test_id("do-step")).to_have_count(0)

    # A reviewed document lies on the desk: she takes it back and records it, then answers the other checks.
    phone.get_by_test_id("take-back").locator("summary").click()
    form = phone.get_by_test_id("document-form")
    form.get_by_label("文件标题").fill("关于2027年度预算编制的请示")
    form.get_by_label("文件字号").fill("财预〔2026〕58号")
    form.get_by_test_id("record-document").click()
    expect(phone.get_by_test_id("documents")).to_contain_text("财预〔2026〕58号")
    for inspection in phone.get_by_test_id("inspection").all():
        answers = inspection.locator("button[data-testid^='answer-']")
        if answers.count():
            answers.first.click()
            expect(inspection).to_contain_text("✓")
    assert_no_sideways_scroll(phone)
    screenshot(phone, "reception-cleaning-360")
    phone.get_by_test_id("do-lock").click()
    expect(phone.get_by_test_id("locked")).to_contain_text("16:4")
    cleaning = CleaningRecord.objects.get(office=office, day=THURSDAY)
    assert (cleaning.cleaner, cleaning.locked_at.isoformat()[:16]) == (reception, "2026-11-26T08:40")

    # The register: due to the GM office by 09:30 tomorrow, Friday the 27th.
    phone.goto(f"{live_server.url}/reception/documents/")
    expect(phone.get_by_test_id("register")).to_contain_text("财预〔2026〕58号")
    assert_no_sideways_scroll(phone)
    screenshot(phone, "reception-documents-360")
    document = ReviewedDocument.objects.get()
    assert (document.reviewing_leader, document.cleaning) == (office.leader, cleaning)
    assert document.due_at.isoformat() == "2026-11-27T01:30:00+00:00"
    assert JournalEntry.objects.filter(day=THURSDAY, source="cleaning", author=reception).exists()

    # The team leader reads the day and its journal on the desktop.
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "team_leader", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/reception/journal/")
    expect(page.get_by_text("财预〔2026〕58号").first).to_be_visible()
    screenshot(page, "reception-journal-1280")
