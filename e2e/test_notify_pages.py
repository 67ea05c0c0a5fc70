"""The inbox, the notification settings, the widened timeline, the administration and the API documentation,
on a 360 px phone and on a desktop, each with its screenshot (var/screenshots/notify-*.png)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, SCREENSHOTS, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD

SIZES = {"phone": PHONE, "desktop": DESKTOP}


def _day_after_tomorrow(hour: int, minute: int = 0):
    start = timezone.localtime() + timedelta(days=2)
    return start.replace(hour=hour, minute=minute, second=0, microsecond=0)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_it_marks_an_old_reminder_of_a_moved_meeting_outdated_and_marks_one_read(
    page, live_server, hotline, manager, draft, size
):
    from huiwu.meetings.services import meeting_create, meeting_reschedule
    from huiwu.notify.models import Kind, Notification

    start = _day_after_tomorrow(9)
    meeting = meeting_create(user=hotline, draft=draft(start, start + timedelta(hours=1), title="党组会"))
    Notification.objects.create(
        recipient=hotline,
        kind=Kind.MEETING_REMINDER,
        event=Notification.Event.REMINDER,
        title=f"会议提醒：党组会 · {start:%m月%d日} 09:00–10:00 · 701会议室",
        url=f"/meetings/{meeting.pk}/",
        meeting=meeting,
        created_at=timezone.now() - timedelta(hours=1),
    )
    later = timedelta(hours=5)
    meeting_reschedule(
        user=manager, meeting=meeting, start=meeting.start + later, end=meeting.end + later, reason="领导行程调整"
    )

    page.set_viewport_size(SIZES[size])
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/notifications/")
    inbox = page.get_by_test_id("inbox")
    expect(inbox.get_by_test_id("outdated")).to_have_text("已过时：会议已改期")
    expect(inbox.get_by_test_id("notification")).to_have_count(2)
    expect(inbox.locator("time").first).to_contain_text("今天")
    if size == "phone":
        assert_no_sideways_scroll(page)
    screenshot(page, f"notify-inbox-{size}")

    # The change notice is unread; marking it read swaps the entry in place (htmx).
    newest = inbox.get_by_test_id("notification").first
    expect(newest).to_have_class("list-group-item hw-note hw-note-unread")
    newest.get_by_role("button", name="标为已读").click()
    expect(inbox.get_by_test_id("notification").first).to_have_class("list-group-item hw-note")
    assert hotline.notifications.filter(read_at__isnull=True).count() == 1


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_it_offers_only_the_channels_this_deployment_has(page, live_server, attendant, settings, size):
    from huiwu.notify.models import Endpoint

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    Endpoint.objects.create(channel="wecom", name="会务组群", url="https://qyapi.example/send", roles=["attendant"])
    Endpoint.objects.create(channel="dingtalk", name="经理群", url="https://oapi.example/send", roles=["manager"])

    page.set_viewport_size(SIZES[size])
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/notifications/preferences/")
    form = page.get_by_test_id("preferences")
    expect(form.get_by_text("站内通知（始终开启）").first).to_be_visible()
    expect(form.get_by_label("企业微信群机器人").first).to_be_visible()
    expect(form.get_by_label("钉钉群机器人")).to_have_count(0)
    expect(form.get_by_text("续水")).to_be_visible()
    expect(form.get_by_text("资质即将到期")).to_have_count(0)
    if size == "phone":
        assert_no_sideways_scroll(page)
    screenshot(page, f"notify-preferences-{size}")
    form.get_by_label("企业微信群机器人").first.uncheck()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("通知设置已保存")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_it_widens_the_timeline_to_an_early_meeting_and_marks_it(page, live_server, hotline, draft, size):
    from huiwu.meetings.services import meeting_create

    start = _day_after_tomorrow(6, 30)
    meeting_create(user=hotline, draft=draft(start, start + timedelta(minutes=90), title="早班交接会", setup_minutes=0))
    late = _day_after_tomorrow(21)
    meeting_create(
        user=hotline, draft=draft(late, late + timedelta(minutes=90), title="夜间保障会", teardown_minutes=0)
    )

    page.set_viewport_size(SIZES[size])
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/meetings/timeline/?date={start:%Y-%m-%d}")
    expect(page.get_by_test_id("widened")).to_contain_text("06:30 至 22:30")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_test_id("early")).to_have_text("早场")
    expect(timeline.get_by_test_id("late")).to_have_text("晚场")
    if size == "phone":
        assert_no_sideways_scroll(page)
    screenshot(page, f"notify-timeline-{size}")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_it_shows_the_administration_in_chinese(page, live_server, sysadmin, size):
    page.set_viewport_size(SIZES[size])
    sign_in(page, live_server, "admin", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#content")).to_contain_text("通知")
    screenshot(page, f"notify-admin-{size}")
    page.goto(f"{live_server.url}/admin/venues/site/add/")
    expect(page.get_by_text("日程起始时间")).to_be_visible()
    screenshot(page, f"notify-admin-site-{size}")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_it_links_the_api_documentation_back_to_huiwu(page, live_server, attendant, size):
    page.set_viewport_size(SIZES[size])
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)  # the schema is built on first use
    back = page.get_by_test_id("back-to-huiwu")
    expect(back).to_have_text("← 返回会务系统")
    screenshot(page, f"notify-swagger-{size}")
    # The whole page is very long: its top, as one first sees it, too.
    page.screenshot(path=str(SCREENSHOTS / f"notify-swagger-top-{size}.png"))
    back.click()
    expect(page).to_have_url(f"{live_server.url}/")
