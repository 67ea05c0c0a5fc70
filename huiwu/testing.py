"""Pytest plugin shared by every test (loaded with `-p huiwu.testing`): fixed personas and helpers.

Each persona is a user named by its role code holding just that role, plus `outsider`, who has none.
"""

import io

import pytest
from hypothesis import settings as hypothesis_settings
from pypdf import PdfReader

# Property-based tests draw the same examples on every run and keep no database of them: CI and a laptop see
# the same cases, and a failure names its example in the report.
hypothesis_settings.register_profile("huiwu", derandomize=True, database=None, deadline=None)
hypothesis_settings.load_profile("huiwu")

PERSONA_PASSWORD = "persona-password-1"

# The Content-Security-Policy of every response, written out rather than read from the settings, so that
# loosening the setting fails the tests that compare against it.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


@pytest.fixture
def make_persona(db):
    from huiwu.accounts.roles import Role
    from huiwu.accounts.services import user_upsert
    from huiwu.directory.models import Organization

    def make(code: str):
        roles = [] if code == "outsider" else [Role(code)]
        organization = None
        if code == "client":
            organization, _created = Organization.objects.get_or_create(name="测试委办局")
        return user_upsert(
            username=code,
            password=PERSONA_PASSWORD,
            display_name=f"{code} 测试",
            roles=roles,
            organization=organization,
        )

    return make


def _persona_fixture(code: str, name: str | None = None):
    @pytest.fixture(name=name or code)
    def persona(make_persona):
        return make_persona(code)

    return persona


manager = _persona_fixture("manager")
team_leader = _persona_fixture("team_leader")
env_supervisor = _persona_fixture("env_supervisor")
hotline = _persona_fixture("hotline")
attendant = _persona_fixture("attendant")
reception = _persona_fixture("reception")
security_officer = _persona_fixture("security_officer")
# Not "client" and "admin_user": pytest-django already uses those names.
client_contact = _persona_fixture("client", "client_contact")
sysadmin = _persona_fixture("admin", "sysadmin")
outsider = _persona_fixture("outsider")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that are about hashing switch it back on.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    # The manifest exists only after collectstatic; tests find static files where they lie.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_snapshots_from_other_tests():
    # Each test rolls its rows back, and SQLite then numbers the next test's rows the same: a snapshot keyed by
    # those numbers would outlive the data it was built from.
    from huiwu.lib.snapshots import snapshots_clear

    snapshots_clear()


@pytest.fixture(autouse=True)
def _language_of_the_site():
    # A request in English (a cookie, a header) leaves English active in the thread after it: the next test
    # starts in the site's language whatever the last one asked for.
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def api(db):
    """Call the API as a user with a personal token: api(user, "post", "/meetings", {...}, **headers)."""
    from django.test import Client

    from huiwu.accounts.services import api_token_create

    secrets = {}

    def call(user, method, path, body=None, **headers):
        if user.pk not in secrets:
            secrets[user.pk] = api_token_create(user=user, name="tests")[1]
        headers = {"Authorization": f"Bearer {secrets[user.pk]}", **headers}
        if method == "get":
            return Client().get(f"/api/v1{path}", body, headers=headers)
        return getattr(Client(), method)(f"/api/v1{path}", body or {}, content_type="application/json", headers=headers)

    return call


@pytest.fixture
def booking(room, organization):
    """A valid JSON booking request in `room` for `organization`; overrides: booking(start=…, headcount=…)."""

    def make(**overrides):
        return {
            "title": "周例会",
            "organizer_id": organization.pk,
            "room": room.code,
            "start": "2026-11-27T09:00:00+08:00",
            "end": "2026-11-27T10:00:00+08:00",
            "headcount": 10,
            "setup_minutes": 30,
            "teardown_minutes": 30,
        } | overrides

    return make


@pytest.fixture
def board_account(db):
    """A screen's account given the right to read meetings and the board, and no staff role: the directory's
    leaders and guests are not for it."""
    from django.contrib.auth.models import Permission

    from huiwu.accounts.services import user_upsert

    account = user_upsert(username="screen", password="screen-password-1", display_name="看板", roles=[])
    account.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_meeting", "view_board"], content_type__app_label__in=["meetings", "service"]
        )
    )
    return account


def login_as(client, user) -> None:
    """Sign a test client in without the login form (django-axes needs a request for the form)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


# --- venues and meetings ---------------------------------------------------------------------------------

# Tests that book run at this moment (Thursday morning in Shanghai) unless they travel elsewhere.
NOW = "2026-11-26 08:00 +0800"


@pytest.fixture
def frozen_now():
    import time_machine

    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def site(db):
    from huiwu.venues.models import Site

    return Site.objects.create(name="会议大厦", code="tower")


@pytest.fixture
def room(site):
    from huiwu.venues.models import Floor, Room

    floor = Floor.objects.create(site=site, name="7F", level=7)
    return Room.objects.create(
        floor=floor, name="701会议室", code="701", capacity=20, layouts=["boardroom", "hollow_square"]
    )


@pytest.fixture
def other_room(room):
    from huiwu.venues.models import Room

    return Room.objects.create(floor=room.floor, name="702会议室", code="702", capacity=40)


@pytest.fixture
def organization(db):
    from huiwu.directory.models import Organization

    return Organization.objects.get_or_create(name="测试委办局")[0]


def at(text: str):
    """An aware datetime from "2026-11-27 09:00" in Asia/Shanghai."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def draft(room, organization):
    """Make a MeetingDraft in `room` for `organization`: draft("2026-11-27 09:00", "10:00", title=…)."""
    from huiwu.meetings.services import MeetingDraft

    def make(start="2026-11-27 09:00", end="10:00", **overrides):
        # Strings are Shanghai times; an end without a date is on the start's day.
        if isinstance(start, str):
            day = start.split(" ")[0]
            start = at(start)
            if isinstance(end, str):
                end = at(end if " " in end else f"{day} {end}")
        values = {
            "title": "周例会",
            "organizer": organization,
            "room": room,
            "start": start,
            "end": end,
            "headcount": 10,
            "setup_minutes": 30,
            "teardown_minutes": 30,
        }
        return MeetingDraft(**(values | overrides))

    return make


@pytest.fixture
def book(draft, hotline, frozen_now):
    """Book as the hotline (booking staff): book("2026-11-27 09:00", "10:00", room=…)."""
    from huiwu.meetings.services import meeting_create

    def make(*args, user=None, **overrides):
        return meeting_create(user=user or hotline, draft=draft(*args, **overrides))

    return make


class ReadPdf:
    """A PDF answered by a page or the API, read back: its text page by page and the fonts embedded in it."""

    def __init__(self, response) -> None:
        answered = (response.status_code, response.get("Content-Type"))
        if answered != (200, "application/pdf"):
            raise AssertionError(f"not a PDF: {answered}")
        self.reader = PdfReader(io.BytesIO(response.content))

    @property
    def pages(self) -> list[str]:
        return [page.extract_text() for page in self.reader.pages]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def flat_text(self) -> str:
        """The text without any white space: letter-spaced names read as written."""
        return "".join(self.text.split())

    def embedded_fonts(self) -> set[str]:
        """The base names of the fonts whose file is inside the PDF, e.g. "ABCDEF+Noto-Sans-CJK-SC"."""
        fonts = set()
        for page in self.reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                for descendant in font.get("/DescendantFonts") or [font]:
                    descriptor = descendant.get_object().get("/FontDescriptor")
                    if descriptor and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                        fonts.add(str(font["/BaseFont"]))
        return fonts

    def has_cjk_font(self) -> bool:
        return any("Noto-Sans-CJK-SC" in font for font in self.embedded_fonts())

    def in_order(self, names: list[str]) -> bool:
        """Each name appears, and in this order."""
        text = self.flat_text
        return all(name in text for name in names) and [text.index(n) for n in names] == sorted(
            text.index(n) for n in names
        )
