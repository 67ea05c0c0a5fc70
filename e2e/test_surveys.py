"""The satisfaction survey in the browser: on a 360 px phone, not signed in, the client opens the link of her
invitation and rates the meeting; a second visit says it was rated. The staff read the results at 1280 px and
send a contact without an account a link by hand."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD


def _ended_meeting(manager, draft, contact, title: str, hours_ago: int):
    from huiwu.meetings.services import meeting_create

    end = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=hours_ago)
    return meeting_create(user=manager, draft=draft(end - timedelta(minutes=90), end, title=title, contact=contact))


def _score(page, aspect: str, score: int) -> None:
    page.locator(f'label[for="id_{aspect}_{score}"]').click()


def test_it_lets_the_client_rate_a_meeting_on_a_phone_without_signing_in(
    page, browser, live_server, manager, hotline, client_contact, organization, draft
):
    from huiwu.directory.models import Contact
    from huiwu.surveys.services import surveys_send_due

    contact = Contact.objects.create(organization=organization, name="周敏", user=client_contact)
    offline = Contact.objects.create(organization=organization, name="吴磊", phone="13800000035")
    meeting = _ended_meeting(manager, draft, contact, "季度工作会", hours_ago=1)
    other = _ended_meeting(manager, draft, offline, "节能工作推进会", hours_ago=4)
    surveys_send_due()
    link = client_contact.notifications.get(kind="survey", meeting=meeting).url

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", name="满意度调查")).to_be_visible()
    expect(page.get_by_test_id("survey-meeting")).to_contain_text("季度工作会")
    expect(page.get_by_test_id("survey-meeting")).to_contain_text("701会议室")
    assert_no_sideways_scroll(page)
    screenshot(page, "survey-link-360")
    # Nothing is chosen for her: submitting at once asks for every row.
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("alert")).to_contain_text("请为每一项选择分数。")
    for aspect, score in (("venue", 5), ("tea", 4), ("equipment", 5), ("attitude", 5)):
        _score(page, aspect, score)
    page.get_by_label("留言").fill("茶水及时，服务周到。")
    assert_no_sideways_scroll(page)
    pill = page.locator('label[for="id_venue_1"]').bounding_box()
    assert pill["height"] >= 44
    assert pill["width"] >= 44
    screenshot(page, "survey-form-360")
    _score(page, "overall", 5)
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_test_id("survey-thanks")).to_contain_text("感谢您的评价！")
    assert_no_sideways_scroll(page)
    screenshot(page, "survey-thanks-360")

    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_test_id("survey-refused")).to_contain_text("已提交过评价，感谢！")
    assert_no_sideways_scroll(page)
    screenshot(page, "survey-answered-360")

    # The hotline sends 吴磊, who has no account, a link by hand, and he gives the equipment a 2.
    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    desk.grant_permissions(["clipboard-read", "clipboard-write"])
    staff = desk.new_page()
    sign_in(staff, live_server, "hotline", PERSONA_PASSWORD)
    staff.goto(f"{live_server.url}/surveys/meetings/{other.pk}/")
    row = staff.get_by_test_id("invitation").filter(has_text="吴磊")
    expect(row.get_by_test_id("invitation-state")).to_have_text("链接待发送")
    row.get_by_role("button", name="发送链接").click()
    new_link = staff.get_by_test_id("new-link").locator("input").input_value()
    staff.get_by_test_id("new-link").get_by_role("button", name="复制").click()
    expect(staff.get_by_test_id("new-link").get_by_role("button")).to_have_text("已复制")
    assert staff.evaluate("navigator.clipboard.readText()") == new_link
    assert new_link.startswith("http")
    assert "/surveys/answer/" in new_link
    screenshot(staff, "survey-meeting-link-1280")
    staff.set_viewport_size(PHONE)
    assert_no_sideways_scroll(staff)
    screenshot(staff, "survey-meeting-link-360")
    staff.set_viewport_size(DESKTOP)

    page.goto(live_server.url + new_link[new_link.index("/surveys/answer/") :])
    for aspect, score in (("venue", 4), ("tea", 4), ("equipment", 2), ("attitude", 4), ("overall", 3)):
        _score(page, aspect, score)
    page.get_by_label("留言").fill("投影仪中途黑屏两次，影响了汇报。")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_test_id("survey-thanks")).to_contain_text("服务热线将与您联系")

    staff.goto(f"{live_server.url}/surveys/")
    expect(staff.get_by_test_id("month").first).to_contain_text("50.0%")
    low = staff.get_by_test_id("answer").filter(has_text="节能工作推进会")
    expect(low.get_by_test_id("low")).to_have_text("低分")
    expect(low).to_contain_text("设备保障 2")
    screenshot(staff, "survey-results-1280")
    staff.set_viewport_size(PHONE)
    staff.reload()
    assert_no_sideways_scroll(staff)
    screenshot(staff, "survey-results-360")
    staff.set_viewport_size(DESKTOP)
    staff.goto(f"{live_server.url}/surveys/meetings/{other.pk}/")
    expect(staff.get_by_test_id("invitation").filter(has_text="吴磊").get_by_test_id("invitation-state")).to_have_text(
        "已评价"
    )
    screenshot(staff, "survey-meeting-1280")
    desk.close()


def test_it_asks_the_signed_in_client_to_rate_from_her_today_page(
    page, live_server, manager, client_contact, organization, draft
):
    from huiwu.directory.models import Contact
    from huiwu.surveys.services import surveys_send_due

    contact = Contact.objects.create(organization=organization, name="周敏", user=client_contact)
    _ended_meeting(manager, draft, contact, "季度工作会", hours_ago=2)
    surveys_send_due()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "client", PERSONA_PASSWORD)
    row = page.get_by_test_id("today-item").filter(has_text="季度工作会").filter(has_text="请评价")
    expect(row).to_contain_text("评价截止")
    screenshot(page, "survey-today-client-360")
    row.get_by_role("link", name="评价").click()
    for aspect in ("venue", "tea", "equipment", "attitude", "overall"):
        _score(page, aspect, 4)
    assert_no_sideways_scroll(page)
    screenshot(page, "survey-signed-in-form-360")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("alert").first).to_contain_text("感谢您的评价！")
    expect(page.get_by_test_id("own-survey")).to_contain_text("已评价，感谢")
    screenshot(page, "survey-signed-in-rated-360")
