"""The monthly service report (月度会务服务报告): one organization's month as a PDF, kept; made by the manager
on demand and by the worker from the first working day of the next month; listed and downloaded by the
manager and the organization's own contacts, over the pages and the API."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from pypdf import PdfReader

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.directory.models import Organization
from huiwu.feedback.models import COMPLAINT_STEPS, Complaint, RootCause
from huiwu.reports.models import MonthlyReport, MonthlyReportRun
from huiwu.reports.monthly import month_filters, notable_meetings
from huiwu.reports.services import monthly_report_generate, monthly_reports_due
from huiwu.testing import at, login_as

NOVEMBER = date(2026, 11, 1)


@pytest.fixture
def bureau(db):
    return Organization.objects.create(name="市财政局")


@pytest.fixture
def november(book, other_room, organization, bureau, hotline, frozen_now):
    """测试委办局: 党组会 (18 people), a confidential 专题会, and a complaint; 市财政局: 预算会. Booked on
    20 November, read on the 26th."""
    frozen_now.move_to(at("2026-11-20 08:00"))
    book("2026-11-24 09:00", "10:00", title="党组会", headcount=18)
    book("2026-11-25 09:00", "10:00", title="专题会", confidentiality=1, headcount=8)
    book("2026-11-24 14:00", "16:00", title="预算会", room=other_room, organizer=bureau)
    # Every step of the procedure recorded, in order, on the day (the feedback app tests the procedure itself).
    steps = {}
    for minutes, step in enumerate(COMPLAINT_STEPS):
        steps |= {f"{step}_at": at(f"2026-11-24 11:{20 + minutes:02d}"), f"{step}_by": hotline, f"{step}_note": "已办"}
    steps["rectification_note"] = "分批摆放并提前确认数量"
    Complaint.objects.create(
        channel=Complaint.Channel.HOTLINE,
        complainant_name="王女士",
        organization=organization,
        summary="会场水果不足",
        statement="水果不够",
        received_at=at("2026-11-24 11:00"),
        received_by=hotline,
        closed_at=at("2026-11-24 16:00"),
        closed_by=hotline,
        # Its own cause: the seeded ones are gone once a transactional test has flushed the tables.
        root_cause=RootCause.objects.get_or_create(name="物品准备不足")[0],
        lesson="事前确认",
        **steps,
    )
    frozen_now.move_to(at("2026-11-26 08:00"))


def _text(data: bytes) -> str:
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _stored_text(report: MonthlyReport) -> str:
    with report.file.open("rb") as stored:
        return _text(stored.read())


@pytest.fixture
def other_client(bureau):
    return user_upsert(
        username="caizheng", password="x" * 12, display_name="财政局联系人", roles=[Role.CLIENT], organization=bureau
    )


# --- making one -------------------------------------------------------------------------------------------------


def test_it_makes_the_report_of_an_organizations_month_with_its_own_meetings_only(november, organization, manager):
    report = monthly_report_generate(organization=organization, month=date(2026, 11, 15), user=manager)
    assert (report.month, report.generated_by, report.size > 0) == (NOVEMBER, manager, True)
    text = _stored_text(report)
    for expected in ("月度会务服务报告", "测试委办局", "2026年11月", "党组会"):
        assert expected in text, expected
    for expected in ("会场水果不足", "分批摆放并提前确认数量"):  # the complaint and its handling
        assert expected in text, expected
    assert "预算会" not in text  # another organization's meeting
    # The month is not over: the report says up to when it counts.
    assert "2026-11-01至2026-11-26" in text


def test_it_counts_a_confidential_meeting_but_names_it_only_as_such(november, organization, manager):
    text = _stored_text(monthly_report_generate(organization=organization, month=NOVEMBER, user=manager))
    assert "专题会" not in text
    assert "保密会议" in text
    assert "2场会议" in text  # 党组会 and the confidential one


def test_it_writes_the_report_in_the_sites_language_whoever_asks(november, organization, manager, settings):
    from django.utils import translation

    with translation.override("en"):
        report = monthly_report_generate(organization=organization, month=NOVEMBER, user=manager)
    assert "月度会务服务报告" in _stored_text(report)


def test_it_replaces_the_report_made_before_and_its_file(
    november, organization, manager, frozen_now, django_capture_on_commit_callbacks
):
    first = monthly_report_generate(organization=organization, month=NOVEMBER, user=manager)
    old_name = first.file.name
    frozen_now.move_to(at("2026-11-26 18:00"))
    with django_capture_on_commit_callbacks(execute=True):
        again = monthly_report_generate(organization=organization, month=NOVEMBER, user=None)
    assert again.pk == first.pk
    assert MonthlyReport.objects.count() == 1
    assert (again.generated_at, again.generated_by) == (at("2026-11-26 18:00"), None)
    assert again.file.name != old_name
    assert not first.file.storage.exists(old_name)  # the file it replaced is gone
    assert again.file.storage.exists(again.file.name)


@pytest.mark.parametrize(
    ("month", "message"),
    [
        (date(2026, 12, 1), "只能生成本月或以前月份的报告。"),  # the month after the current one
        (date(2019, 12, 1), "报告从2020-01起才能生成。"),  # the month before the first
    ],
)
def test_it_refuses_a_month_to_come_or_before_the_first(november, organization, manager, month, message):
    with pytest.raises(ValidationError) as refused:
        monthly_report_generate(organization=organization, month=month, user=manager)
    assert refused.value.message_dict == {"month": [message]}
    assert not MonthlyReport.objects.exists()


def test_it_makes_the_first_month_there_is(organization, manager, frozen_now):
    report = monthly_report_generate(organization=organization, month=date(2020, 1, 1), user=manager)
    assert report.month == date(2020, 1, 1)


# --- the worker, on the first working day -------------------------------------------------------------------


def test_it_makes_last_months_reports_from_the_first_working_day(november, frozen_now, django_assert_num_queries):
    frozen_now.move_to(at("2026-11-30 23:59"))
    assert monthly_reports_due() == 0
    frozen_now.move_to(at("2026-12-01 00:00"))  # a Tuesday: the first working day of December
    # One organization a call, until each one that held a meeting in November has its report.
    assert monthly_reports_due() == 1
    assert monthly_reports_due() == 1
    assert monthly_reports_due() == 0
    made = MonthlyReport.objects.order_by("organization__name")
    assert [(r.organization.name, r.month, r.generated_by) for r in made] == [
        ("市财政局", NOVEMBER, None),
        ("测试委办局", NOVEMBER, None),
    ]
    assert MonthlyReportRun.objects.filter(month=NOVEMBER).exists()
    with django_assert_num_queries(1):
        assert monthly_reports_due() == 0


def test_it_waits_for_the_first_working_day_after_a_holiday(book, frozen_now):
    frozen_now.move_to(at("2026-09-10 08:00"))
    book("2026-09-15 09:00", "10:00")
    frozen_now.move_to(at("2026-10-07 23:59"))  # the last day of the National Day holiday
    assert monthly_reports_due() == 0
    frozen_now.move_to(at("2026-10-08 00:00"))
    assert monthly_reports_due() == 1
    assert MonthlyReport.objects.get().month == date(2026, 9, 1)


def test_it_makes_again_a_report_made_before_its_month_was_over(november, organization, bureau, manager, frozen_now):
    early = monthly_report_generate(organization=organization, month=NOVEMBER, user=manager)
    frozen_now.move_to(at("2026-12-01 08:00"))
    monthly_report_generate(organization=bureau, month=NOVEMBER, user=manager)  # made after November: kept
    assert monthly_reports_due() == 1
    early.refresh_from_db()
    assert (early.generated_by, early.generated_at) == (None, at("2026-12-01 08:00"))
    assert monthly_reports_due() == 0
    assert MonthlyReport.objects.get(organization=bureau).generated_by == manager


def test_it_makes_no_report_for_an_organization_without_a_meeting_that_month(organization, frozen_now):
    frozen_now.move_to(at("2026-12-01 09:00"))
    assert monthly_reports_due() == 0
    assert not MonthlyReport.objects.exists()
    assert MonthlyReportRun.objects.filter(month=NOVEMBER).exists()


# --- the pages ------------------------------------------------------------------------------------------------


URL = "/reports/monthly/"


def test_it_lets_the_manager_make_a_report_and_lists_it(client, november, organization, manager):
    login_as(client, manager)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'value="2026-10"' in page.content.decode()  # the month before, proposed
    response = client.post(URL, {"organization": organization.pk, "month": "2026-11"})
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    html = client.get(URL).content.decode()
    assert "测试委办局" in html
    assert f"/reports/monthly/{report.pk}/pdf" in html


@pytest.mark.parametrize(
    ("month", "message"),
    [("2026-12", "只能生成本月或以前月份的报告。"), ("2026-13", "输入一个有效的日期。"), ("", "这个字段是必填项。")],
)
def test_it_refuses_a_bad_month_on_the_page_and_makes_nothing(client, november, organization, manager, month, message):
    login_as(client, manager)
    response = client.post(URL, {"organization": organization.pk, "month": month})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_it_shows_a_client_their_organizations_reports_only(
    client, november, organization, bureau, manager, client_contact
):
    own = monthly_report_generate(organization=organization, month=NOVEMBER, user=manager)
    other = monthly_report_generate(organization=bureau, month=NOVEMBER, user=manager)
    login_as(client, client_contact)
    html = client.get(URL).content.decode()
    assert f"/reports/monthly/{own.pk}/pdf" in html
    assert f"/reports/monthly/{other.pk}/pdf" not in html
    assert 'name="organization"' not in html  # no form: only the manager makes one
    download = client.get(f"/reports/monthly/{own.pk}/pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert "测试委办局" in _text(b"".join(download.streaming_content))
    assert client.get(f"/reports/monthly/{other.pk}/pdf").status_code == 404
    assert client.post(URL, {"organization": organization.pk, "month": "2026-11"}).status_code == 403


def test_it_shows_the_reports_to_nobody_else(client, november, organization, manager, attendant):
    report = monthly_report_generate(organization=organization, month=NOVEMBER, user=manager)
    login_as(client, attendant)
    assert client.get(URL).status_code == 403
    assert client.get(f"/reports/monthly/{report.pk}/pdf").status_code == 403


# --- the API --------------------------------------------------------------------------------------------------


def test_it_makes_and_lists_the_reports_over_the_api(api, november, organization, manager):
    made = api(manager, "post", "/reports/monthly", {"organization_id": organization.pk, "month": "2026-11"})
    assert made.status_code == 201
    body = made.json()
    assert (body["organization"]["name"], body["month"]) == ("测试委办局", "2026-11")
    assert body["generated_by"]["id"] == manager.pk
    assert body["pdf_url"] == f"/api/v1/reports/monthly/{body['id']}/pdf"
    listed = api(manager, "get", "/reports/monthly").json()
    assert (listed["count"], listed["items"][0]["id"]) == (1, body["id"])
    download = api(manager, "get", f"/reports/monthly/{body['id']}/pdf")
    assert download.status_code == 200
    assert "会场水果不足" in _text(b"".join(download.streaming_content))


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"month": "2026-12"}, 422, "month"),
        ({"month": "2026-13"}, 422, "month"),
        ({"month": "2026-1"}, 422, "month"),
        ({"month": "2019-12"}, 422, "month"),
        ({"organization_id": 999999}, 422, "organization_id"),
        ({"organization_id": 0}, 422, "organization_id"),
    ],
)
def test_it_refuses_a_bad_request_over_the_api_and_makes_nothing(
    api, november, organization, manager, payload, status, field
):
    request = {"organization_id": organization.pk, "month": "2026-11"} | payload
    answer = api(manager, "post", "/reports/monthly", request)
    assert answer.status_code == status
    assert field in answer.json()["errors"]
    assert not MonthlyReport.objects.exists()


def test_it_answers_a_client_their_own_reports_and_404_for_another(
    api, november, organization, bureau, manager, client_contact, other_client
):
    own = monthly_report_generate(organization=organization, month=NOVEMBER, user=manager)
    other = monthly_report_generate(organization=bureau, month=NOVEMBER, user=manager)
    listed = api(client_contact, "get", "/reports/monthly").json()
    assert [item["id"] for item in listed["items"]] == [own.pk]
    assert api(client_contact, "get", "/reports/monthly", {"organization": bureau.pk}).status_code == 404
    assert api(client_contact, "get", f"/reports/monthly/{other.pk}/pdf").status_code == 404
    assert api(other_client, "get", f"/reports/monthly/{own.pk}/pdf").status_code == 404
    refused = api(client_contact, "post", "/reports/monthly", {"organization_id": organization.pk, "month": "2026-11"})
    assert (refused.status_code, refused.json()["roles"]) == (403, ["manager"])


def test_it_lists_the_ten_largest_meetings_and_each_one_with_a_complaint_or_a_missed_check(
    book, organization, hotline, frozen_now
):
    frozen_now.move_to(at("2026-11-01 08:00"))
    meetings = [book(f"2026-11-{day:02d} 09:00", "10:00", title=f"会{day}", headcount=day) for day in range(2, 14)]
    smallest, second = meetings[0], meetings[1]  # 2 and 3 people: not among the ten largest
    Complaint.objects.create(
        channel=Complaint.Channel.HOTLINE,
        complainant_name="王女士",
        organization=organization,
        meeting=second,
        summary="茶水不及时",
        statement="茶水不及时",
        received_at=at("2026-11-03 11:00"),
        received_by=hotline,
    )
    # Read before any of them started: no check level is missed yet.
    before = notable_meetings(month_filters(NOVEMBER, organization.pk), at("2026-11-01 09:00"))
    assert [row.meeting.headcount for row in before] == [3, *range(4, 14)]
    assert [(row.title, row.note) for row in before[:1]] == [("会3", "有投诉")]
    # Once the smallest has started with its levels unconfirmed, it is listed too.
    after = notable_meetings(month_filters(NOVEMBER, organization.pk), at("2026-11-02 09:30"))
    assert [(row.meeting.pk, row.note) for row in after[:1]] == [(smallest.pk, "开始时检查未完成")]
    assert len(after) == 12


@pytest.mark.parametrize("report_id", ["99999999999999999999999", "0"])
def test_it_answers_404_for_a_report_id_no_report_can_have(client, api, manager, report_id):
    login_as(client, manager)
    assert client.get(f"/reports/monthly/{report_id}/pdf").status_code == 404
    assert api(manager, "get", f"/reports/monthly/{report_id}/pdf").status_code == 404


def test_it_makes_the_reports_on_the_workers_pass(transactional_db, november, frozen_now):
    frozen_now.move_to(at("2026-12-01 08:00"))
    call_command("worker", once=True)
    call_command("worker", once=True)
    assert MonthlyReport.objects.filter(month=NOVEMBER, generated_by=None).count() == 2
