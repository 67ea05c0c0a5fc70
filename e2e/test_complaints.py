"""The seed's complaint (篇2) handled to the end: the hotline records it on a desktop, walks it through the
procedure — apology, findings, facts reported, corrective action, the client's acceptance — closes it with its
root cause and lesson, and finds it in the case library by "水果"; the complaint page and the library on a
phone."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, assert_no_sideways_scroll, screenshot, sign_in
from huiwu.testing import PERSONA_PASSWORD

STEPS = [
    ("apology", "致歉", "向主持会议的李小姐表示歉意，承诺查清原因"),
    (
        "investigation",
        "调查结果",
        "所采购的水果并不少；会前工作繁忙，未请会议职员确认；会议只要求休息时提供水果，为保持新鲜未在现场摆放太多",
    ),
    ("report", "向客户如实反映", "如实向李小姐反映：水果按委托数量采购，分批摆放以保持新鲜"),
    ("rectification", "整改措施", "安排会务服务员及时更新会场水果"),
    ("acceptance", "客户谅解", "取得对方谅解"),
]
LESSON = "客户委托事务，完成后应及时求得客户确认或知会客户，增加工作的透明度。"


def test_it_handles_the_seed_s_complaint_to_the_case_library(page, live_server, hotline, manager, attendant, draft):
    from huiwu.feedback.models import RootCause
    from huiwu.meetings.services import meeting_create

    # The live server's database is emptied after each browser test, the migration's root causes with it.
    RootCause.objects.get_or_create(name="沟通不及时")
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    meeting_create(user=manager, draft=draft(start, start + timedelta(hours=3), title="年度工作会"))

    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/feedback/complaints/")
    page.get_by_test_id("new").click()
    expect(page.get_by_role("heading", name="记录投诉")).to_be_visible()
    page.get_by_label("渠道").select_option("hotline")
    page.get_by_label("投诉人", exact=True).fill("李小姐")
    page.get_by_label("投诉人电话").fill("13900000021")
    page.get_by_label("会议", exact=True).select_option(index=1)
    page.get_by_label("事由").fill("会场水果不足")
    page.get_by_label("投诉内容").fill(
        "主持会议的李小姐来电，对今天的会务服务安排很不满意：公司花了很多钱，服务处却没能提供相应的服务。"
        "会议进行一半时她到现场查看，发现水果不够多。"
    )
    screenshot(page, "complaint-form-1280")
    page.get_by_role("button", name="记录", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("投诉已记录：请先向客户致歉。")
    apology = page.get_by_test_id("step-apology")
    expect(apology.get_by_test_id("due")).to_contain_text("致歉：")
    expect(apology.get_by_test_id("due")).to_contain_text("前（还剩 ")
    screenshot(page, "complaint-received-1280")

    for key, label, note in STEPS:
        step = page.get_by_test_id(f"step-{key}")
        step.get_by_label("处理情况").fill(note)
        step.get_by_role("button", name=f"记录{label}").click()
        expect(page.get_by_role("alert")).to_contain_text(f"已记录{label}。")
        expect(page.get_by_test_id(f"step-{key}")).to_contain_text(note)

    close = page.get_by_test_id("close-form")
    close.get_by_label("原因分类").select_option(label="沟通不及时")
    close.get_by_label("经验教训").fill(LESSON)
    screenshot(page, "complaint-to-close-1280")
    close.get_by_role("button", name="结案").click()
    expect(page.get_by_role("alert")).to_contain_text("投诉已结案，并已收入案例库。")
    expect(page.get_by_test_id("state")).to_have_text("已结案")
    expect(page.get_by_test_id("step-return_visit").get_by_test_id("due")).to_contain_text("前（还剩 ")
    screenshot(page, "complaint-closed-1280")

    page.set_viewport_size(PHONE)
    assert_no_sideways_scroll(page)
    screenshot(page, "complaint-closed-360")

    page.goto(f"{live_server.url}/feedback/cases/")
    page.get_by_label("搜索").fill("水果")
    page.get_by_role("button", name="搜索").click()
    case = page.get_by_test_id("cases").get_by_role("link")
    expect(case).to_have_count(1)
    expect(case).to_contain_text("会场水果不足")
    expect(case).to_contain_text("沟通不及时")
    expect(case).to_contain_text("客户委托事务")
    assert_no_sideways_scroll(page)
    screenshot(page, "case-library-360")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "case-library-1280")

    # A member of staff who only reads cases learns the lesson without the complainant's name or phone.
    page.context.clear_cookies()
    sign_in(page, live_server, "attendant", PERSONA_PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/feedback/cases/?q=水果")
    page.get_by_test_id("cases").get_by_role("link").click()
    expect(page.get_by_test_id("complainant")).to_have_text("（已隐去）")
    expect(page.get_by_test_id("lesson")).to_have_text(LESSON)
    expect(page.locator("main")).not_to_contain_text("13900000021")
    assert_no_sideways_scroll(page)
    screenshot(page, "case-360")


def test_it_shows_a_new_complaint_s_apology_due_on_a_phone(page, live_server, hotline):
    from huiwu.feedback.services import complaint_receive

    complaint = complaint_receive(
        user=hotline,
        channel="hotline",
        complainant_name="李小姐",
        complainant_phone="13900000021",
        summary="会场水果不足",
        statement="会议进行一半时到现场查看，发现水果不够多。",
    )
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "hotline", PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/feedback/complaints/{complaint.pk}/")
    expect(page.get_by_test_id("step-apology").get_by_test_id("due")).to_contain_text("还剩")
    assert_no_sideways_scroll(page)
    screenshot(page, "complaint-received-360")
    page.goto(f"{live_server.url}/feedback/complaints/")
    assert_no_sideways_scroll(page)
    screenshot(page, "complaint-list-360")
