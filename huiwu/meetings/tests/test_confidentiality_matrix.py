"""Nothing about a confidential meeting leaks: every page and every API operation, requested by each persona.

A marker is written into the meeting's title, its organizer's name and its VIPs' names. The personas who may
not see the meeting (an uncleared attendant, a client of another organization, a user without a role) must
never find it in any response body, whatever they request and however they request it; those who may (the
manager, the cleared attendant assigned to it) find it on its pages.

The organizer and the VIPs are directory entries in their own right: the directory (its pages and API) lists
them to every member of staff, as it lists every organization and leader. There the organizer and VIP
markers are expected; the meeting's title marker is not, anywhere.

A PDF is read for its text (a day sheet is answered to all the team, the meeting on it only to those who may
see it). Walking every page and operation anyway, the tests also check that each response carries the strict
Content-Security-Policy.
"""

import io
import re
import zipfile
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from pypdf import PdfReader

from huiwu.accounts.roles import Role
from huiwu.accounts.services import api_token_create, user_upsert
from huiwu.api import api
from huiwu.delegations.models import DelegatedTask, DelegationEvidence
from huiwu.directory.models import Contact, Department, Organization, Person
from huiwu.feedback.models import COMPLAINT_STEPS, Complaint, FollowUp, RootCause
from huiwu.lostfound.services import lost_item_register
from huiwu.meetings.describe import meeting_busy_describe
from huiwu.meetings.feeds import calendar_feed_for
from huiwu.meetings.services import meeting_create
from huiwu.notify.models import Kind
from huiwu.notify.services import notify_users
from huiwu.ops.services import worker_beat
from huiwu.reception.models import (
    CleaningRecord,
    LeaderOffice,
    Publication,
    ReviewedDocument,
    Subscription,
    TablewareSet,
)
from huiwu.reception.services.routine import day_plan_ensure
from huiwu.reports.services import monthly_report_generate
from huiwu.seating.models import Seat
from huiwu.seating.services import seating_plan_generate
from huiwu.security.models import Authorization
from huiwu.service.services import assignment_add, standard_create
from huiwu.service.standards import standard_current, standard_values
from huiwu.surveys.access import new_nonce, nonce_digest, survey_token
from huiwu.surveys.models import SurveyInvitation
from huiwu.testing import STRICT_CSP, ReadPdf, at

TITLE_MARK = "TITLEMARK7Q"
NAME_MARK = "NAMEMARK4Z"  # in the organizer's and the VIPs' names
# The booking form's contact list (/meetings/contacts/) lists an organization's contacts as the directory does;
# a survey link greets the contact it was sent to (its holder), by name.
DIRECTORY_PREFIXES = (
    "/directory/",
    "/api/v1/organizations",
    "/api/v1/people",
    "/meetings/contacts/",
    "/surveys/answer/",
    "/api/v1/surveys/answer/",
)


@pytest.fixture
def world(db, draft, manager, team_leader, security_officer, qualify, frozen_now, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path}},
    }
    organizer = Organization.objects.create(name=f"{NAME_MARK}委办局")
    vip = Person.objects.create(name=f"{NAME_MARK}局长", title="局长", organization=organizer, precedence=1)
    meeting = meeting_create(
        user=manager,
        draft=draft(
            "2026-11-27 09:00",
            "10:00",
            title=f"{TITLE_MARK}专题会",
            organizer=organizer,
            attendees=[vip],
            confidentiality=2,
            notes="涉密议题",
        ),
    )
    cleared = qualify(
        user_upsert(username="cleared", password="x" * 12, display_name="已授权服务员", roles=[Role.ATTENDANT])
    )
    assignment = assignment_add(user=team_leader, meeting=meeting, attendant=cleared, duty="lead")
    uncleared = user_upsert(
        username="uncleared", password="x" * 12, display_name="未授权服务员", roles=[Role.ATTENDANT]
    )
    stranger = user_upsert(
        username="stranger",
        password="x" * 12,
        display_name="别家联系人",
        roles=[Role.CLIENT],
        organization=Organization.objects.create(name="别的委办局"),
    )
    outsider = user_upsert(username="nobody", password="x" * 12, display_name="无角色", roles=[])
    # Reception (issue 13) reads tomorrow's meetings in its end-of-day review and on its day sheet.
    receptionist = user_upsert(
        username="receptionist", password="x" * 12, display_name="未授权礼仪接待员", roles=[Role.RECEPTION]
    )
    item = lost_item_register(
        user=manager,
        description="黑色保温杯",
        found_where="主席台",
        found_at=at("2026-11-26 07:50"),
        stored_where="服务台",
        meeting=meeting,
    )
    standard = standard_create(user=manager, values=standard_values(standard_current()), reason="首版")
    department = Department.objects.create(organization=organizer, name="办公室")
    contact = Contact.objects.create(organization=organizer, department=department, name=f"{NAME_MARK}联系人")
    # Everyone hears of the meeting; who may not see it reads only its busy block, in the inbox and the API.
    notify_users(
        recipients=[manager, cleared, uncleared, stranger, outsider, receptionist],
        kind=Kind.MEETING_BOOKED,
        title=f"会议变更：{meeting.title}",
        body=f"主办单位：{organizer.name}",
        url=f"/meetings/{meeting.pk}/",
        meeting=meeting,
    )
    # What hangs on the meeting (issue 12): a delegated task with a receipt, a closed complaint (a case), a
    # follow-up, and its client contact's survey invitation. Written as rows: the services' own rules are
    # tested in their apps; here only what each page and operation shows counts.
    task = DelegatedTask.objects.create(
        title=f"{TITLE_MARK}代购水果",
        meeting=meeting,
        organization=organizer,
        requester_contact=contact,
        due_at=meeting.start,
        service_plan=f"{TITLE_MARK}分批摆放",
        created_by=manager,
        state=DelegatedTask.State.AWAITING_CLIENT,
        done_at=meeting.start,
        done_by=manager,
    )
    evidence = DelegationEvidence.objects.create(
        task=task,
        kind=DelegationEvidence.Kind.RECEIPT,
        file=ContentFile(b"%PDF-1.4 receipt", name="receipt.pdf"),
        content_type="application/pdf",
        size=16,
        original_name="receipt.pdf",
        uploaded_by=manager,
    )
    steps = {
        f"{step}_{part}": value
        for step in COMPLAINT_STEPS
        for part, value in (("at", at("2026-11-25 10:00")), ("by", manager), ("note", f"{TITLE_MARK}{step}"))
    }
    complaint = Complaint.objects.create(
        channel=Complaint.Channel.HOTLINE,
        complainant_name=f"{NAME_MARK}小姐",
        complainant_contact=contact,
        organization=organizer,
        meeting=meeting,
        room=meeting.room,
        task=task,
        summary=f"{TITLE_MARK}水果不足",
        statement=f"{TITLE_MARK}水果不够",
        received_at=at("2026-11-25 09:00"),
        received_by=manager,
        closed_at=at("2026-11-25 11:00"),
        closed_by=manager,
        root_cause=RootCause.objects.first(),
        lesson=f"{TITLE_MARK}及时确认",
        **steps,
    )
    follow_up = FollowUp.objects.create(
        source=FollowUp.Source.TASK_DISPUTE,
        task=task,
        meeting=meeting,
        organization=organizer,
        summary=f"{TITLE_MARK}有异议",
        client_note=f"{TITLE_MARK}水果太少",
    )
    nonce = new_nonce()
    invitation = SurveyInvitation.objects.create(
        meeting=meeting, contact=contact, nonce_digest=nonce_digest(nonce), expires_at=at("2026-12-03 10:00")
    )
    # Reception's registers, with a leader of the building (not the meeting's VIP) and today's routine.
    host = Person.objects.create(name="周国庆", title="局长", precedence=2)
    office = LeaderOffice.objects.create(leader=host, room="7楼 706室")
    cleaning = CleaningRecord.objects.create(
        office=office, day=date(2026, 11, 25), cleaner=receptionist, started_at=at("2026-11-25 16:40")
    )
    document = ReviewedDocument.objects.create(
        title="年度工作要点",
        document_number="政办〔2026〕12号",
        reviewing_leader=host,
        office=office,
        cleaning=cleaning,
        retrieved_at=at("2026-11-25 16:50"),
        retrieved_by=receptionist,
        due_at=at("2026-11-26 09:30"),
    )
    publication = Publication.objects.create(name="人民日报")
    Subscription.objects.create(year=2026, leader=host, publication=publication, copies=1)
    tableware = TablewareSet.objects.create(leader=host, number="03")
    routine_item = day_plan_ensure(date(2026, 11, 26)).items.order_by("starts_at").first()
    # The meeting's seating plan (issue 14): its VIP on the rostrum.
    seating_plan_generate(user=manager, meeting=meeting, arrangement="rostrum")
    # The organizer's monthly service report (issue 15): its complaint, handled, and the meeting counted.
    report = monthly_report_generate(organization=organizer, month=date(2026, 11, 1), user=manager)
    # A worker running (issue 17): /readyz answers 200 like every other address, and /metrics (open to the test
    # client's local address) counts the meeting's deadlines without naming them.
    worker_beat(worker_id="matrix")
    return {
        "report": report,
        "reception": {
            "item_id": str(routine_item.pk),
            "office_id": str(office.pk),
            "cleaning_id": str(cleaning.pk),
            "document_id": str(document.pk),
            "tableware_id": str(tableware.pk),
            "year": "2026",
            "leader_id": str(host.pk),
            "publication_id": str(publication.pk),
        },
        "meeting": meeting,
        "task": task,
        "evidence": evidence,
        "complaint": complaint,
        "follow_up": follow_up,
        "invitation": invitation,
        "survey_token": survey_token(invitation.pk, nonce),
        "organizer": organizer,
        "vip": vip,
        "assignment": assignment,
        "item": item,
        "standard": standard,
        "department": department,
        "contact": contact,
        "authorization": Authorization.objects.get(user=cleared),
        "cleared": cleared,
        "uncleared": uncleared,
        "stranger": stranger,
        "outsider": outsider,
        "receptionist": receptionist,
        "manager": manager,
    }


def _values(world, user, route: str = "") -> dict[str, str]:
    """A concrete value for every URL parameter, pointing at the confidential meeting and what hangs on it.
    Reception's routes name their own rows (its item_id is a routine item's); a matter's task_id is still the
    meeting's delegated task, which reception's matters must not reach."""
    reception = world["reception"] if "reception/" in route else {}
    return {
        "meeting_id": str(world["meeting"].pk),
        "level": "1",
        "assignment_id": str(world["assignment"].pk),
        "item_id": str(world["item"].pk),
        "standard_id": str(world["standard"].pk),
        "authorization_id": str(world["authorization"].pk),
        "user_id": str(world["cleared"].pk),
        "person_id": str(world["vip"].pk),
        "organization_id": str(world["organizer"].pk),
        "code": world["meeting"].room.code,
        "token": calendar_feed_for(user).token,
        "token_id": "1",
        # The user's own notification about the meeting.
        "notification_id": str(user.notifications.get(kind=Kind.MEETING_BOOKED).pk),
        "department_id": str(world["department"].pk),
        "contact_id": str(world["contact"].pk),
        "id": str(world["meeting"].pk),
        "task_id": str(world["task"].pk),
        "evidence_id": str(world["evidence"].pk),
        "complaint_id": str(world["complaint"].pk),
        "follow_up_id": str(world["follow_up"].pk),
        "invitation_id": str(world["invitation"].pk),
        # A valid link: whoever holds it reads of the meeting no more than its busy block.
        "survey_token": world["survey_token"],
        "step": "apology",
        "report_id": str(world["report"].pk),
    } | reception


def _filled(parameter: str, route: str, values: dict[str, str]) -> str:
    return re.sub(parameter, lambda m: values[m.group(1)], route)


def _page_paths(world, user) -> list[str]:
    values = _values(world, user)

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    paths = []
    for route in walk(get_resolver().url_patterns):
        if route.startswith(("api/", "admin/")) or route.startswith("^"):
            continue
        paths.append("/" + _filled(r"<(?:\w+:)?(\w+)>", route, _values(world, user, route)))
    # Pages that take the meeting as a query parameter, and the exports.
    meeting_id = values["meeting_id"]
    paths += [
        f"/lost-and-found/new/?meeting={meeting_id}",
        f"/meetings/contacts/?organizer={values['organization_id']}",
        "/meetings/?export=xlsx",
        "/lost-and-found/?state=all&export=xlsx",
        "/meetings/timeline/?date=2026-11-27",
        "/service/board/?date=2026-11-27",
        "/service/board/rows/?date=2026-11-27",
        "/service/workload/?date=2026-11-27",
        f"/meetings/?q={TITLE_MARK}",
        f"/delegations/new/?meeting={meeting_id}",
        f"/delegations/?meeting={meeting_id}",
        "/delegations/?state=awaiting_client",
        f"/delegations/meetings/{meeting_id}/costs/?export=xlsx",
        f"/feedback/complaints/new/?meeting={meeting_id}",
        f"/feedback/cases/?q={TITLE_MARK}",
        f"/feedback/cases/?room={world['meeting'].room_id}",
        "/feedback/complaints/?state=closed",
        "/feedback/follow-ups/?state=open",
        "/surveys/?month=2026-11",
        f"/rooms/{values['code']}/?week=2026-11-27",
        "/reception/?day=2026-11-27",
        "/reception/journal/review/?day=2026-11-26",
        "/reception/sheet/?day=2026-11-26",
        "/reception/sheet.pdf?day=2026-11-26",
        "/service/board/day-sheet.pdf?date=2026-11-27",
        f"/reception/journal/?q={TITLE_MARK}",
        "/reception/documents/?export=xlsx",
        # The organizer's figures and their workbook: another organization's client is answered 404.
        f"/reports/?organizer={values['organization_id']}&day=2026-11-27",
        f"/reports/?organizer={values['organization_id']}&day=2026-11-27&export=xlsx",
    ]
    return paths


def _api_operations(world, user) -> list[tuple[str, str]]:
    values = _values(world, user)
    operations = []
    for route, methods in api.get_openapi_schema()["paths"].items():
        path = _filled(r"\{(\w+)\}", route, _values(world, user, route))
        operations += [(method, path) for method in methods]
    operations += [
        ("get", "/api/v1/meetings?date_from=2026-11-27&date_to=2026-11-27"),
        ("get", f"/api/v1/meetings?q={TITLE_MARK}"),
        ("get", "/api/v1/service/board?date=2026-11-27"),
        ("get", "/api/v1/timeline?date=2026-11-27"),
        ("get", "/api/v1/lost-items?state=all"),
        ("get", f"/api/v1/tasks?meeting={values['meeting_id']}"),
        ("get", "/api/v1/tasks?awaiting_client=true"),
        ("get", f"/api/v1/cases?q={TITLE_MARK}"),
        ("get", "/api/v1/complaints?state=closed"),
        ("get", "/api/v1/follow-ups?state=open"),
        ("get", f"/api/v1/survey-answers?meeting={values['meeting_id']}"),
        ("get", "/api/v1/reception/review?day=2026-11-26"),
        ("get", "/api/v1/reception/sheet?day=2026-11-26"),
        ("get", "/api/v1/reception/sheet.pdf?day=2026-11-26"),
        ("get", "/api/v1/service/day-sheet.pdf?date=2026-11-27"),
        # The organizer's figures: another organization's client is answered 404.
        ("get", f"/api/v1/reports/figures?organizer={values['organization_id']}&day=2026-11-27"),
        ("get", f"/api/v1/reports/monthly?organization={values['organization_id']}"),
    ]
    return operations


def _text(response) -> str:
    # A PDF made by Huiwu, read for its text: answered at once, or a stored one (a monthly report) streamed.
    # The matrix's uploaded receipt is no real PDF (no end-of-file marker): it is searched as it was stored.
    if response.get("Content-Type") == "application/pdf" and not response.streaming:
        return ReadPdf(response).flat_text
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type") == "application/pdf" and b"%%EOF" in content[-64:]:
        return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    if content[:2] == b"PK":  # an Excel workbook: read the XML inside
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            content = b"".join(workbook.read(name) for name in workbook.namelist())
    return content.decode("utf-8", errors="replace")


def _client(user) -> Client:
    client = Client()
    if user.roles or user.username == "nobody":
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _requests(world, user, *, unsafe: bool):
    """(label, response) for every page (GET, and POST when `unsafe`) and every API operation."""
    client = _client(user)
    for path in _page_paths(world, user):
        yield f"GET {path}", client.get(path)
        if unsafe:
            yield f"POST {path}", client.post(path, {"action": "refill", "reason": "x", "attendant": user.pk})
    token = api_token_create(user=user, name="matrix")[1]
    headers = {"Authorization": f"Bearer {token}"}
    api_client = Client()
    for method, path in _api_operations(world, user):
        if method == "get":
            yield f"GET {path}", api_client.get(path, headers=headers)
        elif unsafe:
            call = getattr(api_client, method)
            yield f"{method.upper()} {path}", call(path, "{}", content_type="application/json", headers=headers)


@pytest.mark.parametrize("persona", ["uncleared", "stranger", "outsider", "receptionist"])
def test_it_leaks_nothing_to_those_who_may_not_see_the_meeting(world, persona):
    user = world[persona]
    leaks = []
    for label, response in _requests(world, user, unsafe=True):
        assert response.status_code < 500, label
        assert response.headers.get("Content-Security-Policy") == STRICT_CSP, label
        body = _text(response)
        if TITLE_MARK in body:
            leaks.append(f"title in {label}")
        if NAME_MARK in body and not label.split(" ", 1)[1].startswith(DIRECTORY_PREFIXES):
            leaks.append(f"organizer or VIP in {label}")
    assert leaks == []
    # Nor was anything changed by their attempts.
    meeting = world["meeting"]
    meeting.refresh_from_db()
    assert meeting.status == "confirmed"
    assert not meeting.refills.exists()
    assert list(meeting.assignments.values_list("attendant__username", flat=True)) == ["cleared"]
    task = DelegatedTask.objects.get(pk=world["task"].pk)
    assert (task.state, task.notices.count(), task.evidence.count()) == (DelegatedTask.State.AWAITING_CLIENT, 0, 1)
    complaint = Complaint.objects.get(pk=world["complaint"].pk)
    assert complaint.return_visit_at is None
    assert FollowUp.objects.get(pk=world["follow_up"].pk).is_open
    assert SurveyInvitation.objects.get(pk=world["invitation"].pk).answered_at is None
    assert not meeting.survey_answers.exists()
    assert list(Seat.objects.values_list("plan__meeting", "row", "position", "person")) == [
        (meeting.pk, 1, 0, world["vip"].pk)
    ]
    assert meeting.seating_plan.changes.count() == 1


@pytest.mark.parametrize("persona", ["manager", "cleared"])
def test_it_shows_the_meeting_to_those_who_may_see_it(world, persona):
    user = world[persona]
    seen = set()
    for label, response in _requests(world, user, unsafe=False):
        assert response.headers.get("Content-Security-Policy") == STRICT_CSP, label
        if TITLE_MARK in _text(response):
            seen.add(label)
    meeting_id = world["meeting"].pk
    for expected in (
        f"GET /meetings/{meeting_id}/",
        f"GET /service/meetings/{meeting_id}/",
        f"GET /api/v1/meetings/{meeting_id}",
        "GET /meetings/timeline/?date=2026-11-27",
        "GET /api/v1/timeline?date=2026-11-27",
        "GET /service/board/?date=2026-11-27",
        "GET /notifications/",
        "GET /api/v1/notifications",
        "GET /api/v1/meetings/export.xlsx",
        "GET /api/v1/lost-items/export.xlsx",
        f"GET /api/v1/assignments/{world['assignment'].pk}",
        f"GET /delegations/{world['task'].pk}/",
        f"GET /api/v1/tasks/{world['task'].pk}",
        f"GET /delegations/meetings/{meeting_id}/costs/",
        f"GET /api/v1/meetings/{meeting_id}/costs",
        f"GET /api/v1/meetings/{meeting_id}/costs.xlsx",
        f"GET /feedback/cases/{world['complaint'].pk}/",
        f"GET /api/v1/cases/{world['complaint'].pk}",
        # The papers, read for their text.
        f"GET /service/meetings/{meeting_id}/service-sheet.pdf",
        f"GET /service/meetings/{meeting_id}/sign-in-sheet.pdf",
        f"GET /seating/meetings/{meeting_id}/chart.pdf",
        f"GET /seating/meetings/{meeting_id}/name-cards.pdf",
        "GET /service/board/day-sheet.pdf?date=2026-11-27",
        f"GET /api/v1/meetings/{meeting_id}/service-sheet.pdf",
        f"GET /api/v1/meetings/{meeting_id}/sign-in-sheet.pdf",
        f"GET /api/v1/meetings/{meeting_id}/seating.pdf",
        f"GET /api/v1/meetings/{meeting_id}/name-cards.pdf",
        "GET /api/v1/service/day-sheet.pdf?date=2026-11-27",
    ):
        assert expected in seen, expected
    # The organizer's monthly report (its complaint, by subject) is the manager's to read, not the attendant's.
    report_id = world["report"].pk
    for expected in (f"GET /reports/monthly/{report_id}/pdf", f"GET /api/v1/reports/monthly/{report_id}/pdf"):
        assert (expected in seen) is (persona == "manager"), expected
    # The manager reads reception's day: tomorrow's meetings in the end-of-day review and on the day sheet.
    for expected in (
        "GET /reception/journal/review/?day=2026-11-26",
        "GET /reception/sheet/?day=2026-11-26",
        "GET /api/v1/reception/review?day=2026-11-26",
        "GET /api/v1/reception/sheet?day=2026-11-26",
        "GET /reception/sheet.pdf?day=2026-11-26",
        "GET /api/v1/reception/sheet.pdf?day=2026-11-26",
    ):
        assert (expected in seen) is (persona == "manager"), expected
    client = _client(user)
    page = _text(client.get(f"/meetings/{meeting_id}/"))
    assert NAME_MARK in page  # the organizer and the VIP, on the meeting's own page
    token = api_token_create(user=user, name="seating")[1]
    seating = Client().get(f"/api/v1/meetings/{meeting_id}/seating", headers={"Authorization": f"Bearer {token}"})
    assert NAME_MARK in _text(seating)  # the VIP on the rostrum


def test_it_shows_the_busy_block_to_the_uncleared_attendant(world):
    client = _client(world["uncleared"])
    for path in ("/meetings/timeline/?date=2026-11-27", "/meetings/", "/service/board/?date=2026-11-27"):
        assert "保密会议" in client.get(path).content.decode(), path
    assert client.get(f"/meetings/{world['meeting'].pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["uncleared", "stranger", "outsider"])
def test_it_shows_the_inbox_entry_about_the_meeting_as_its_busy_block(world, persona, api):
    answer = api(world[persona], "get", "/notifications").json()
    [entry] = answer["items"]
    assert entry["title"] == meeting_busy_describe(world["meeting"])
    assert "保密会议" in entry["title"]
    assert entry["body"] == ""
    assert answer["unread"] == 1


def test_it_names_the_meeting_in_the_inbox_of_those_who_may_see_it(world, api):
    items = api(world["cleared"], "get", "/notifications").json()["items"]
    [entry] = [item for item in items if item["kind"] == Kind.MEETING_BOOKED]
    assert entry["title"] == f"会议变更：{TITLE_MARK}专题会"
    assert NAME_MARK in entry["body"]


def test_it_shows_reception_tomorrows_confidential_meeting_as_its_busy_block(world):
    client = _client(world["receptionist"])
    for path in ("/reception/journal/review/?day=2026-11-26", "/reception/sheet/?day=2026-11-26"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "保密会议" in response.content.decode(), path
    for path in ("/reception/", "/reception/offices/", f"/reception/cleanings/{world['reception']['cleaning_id']}/"):
        assert client.get(path).status_code == 200, path
