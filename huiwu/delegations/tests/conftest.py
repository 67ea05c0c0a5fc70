"""Delegated tasks' fixtures. The clock is frozen at Thursday 2026-11-26 08:00 (huiwu.testing.NOW); the
meeting of most tests is that afternoon, 14:00–16:00 in 701, for 测试委办局, whose client contact is
`client_contact`."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from huiwu.accounts.roles import Role
from huiwu.accounts.services import user_upsert
from huiwu.delegations.services import task_create, task_done
from huiwu.directory.models import Organization
from huiwu.testing import at

PLAN = "水果仅在休息时提供，分批摆放以保持新鲜"


@pytest.fixture(autouse=True)
def _english(settings):
    # Messages are checked in the English source, which stays put when the Chinese catalogue changes.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _frozen(frozen_now):
    """Every test starts at huiwu.testing.NOW; `frozen_now` moves the clock."""


@pytest.fixture(autouse=True)
def _private_files(monkeypatch, tmp_path):
    # Evidence goes to a private storage of the test's own (the field holds its storage from start-up on).
    from django.core.files.storage import FileSystemStorage

    from huiwu.delegations.models import DelegationEvidence

    monkeypatch.setattr(DelegationEvidence._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))


@pytest.fixture
def meeting(book, client_contact):
    return book("2026-11-26 14:00", "16:00", title="季度工作会")


@pytest.fixture
def other_client(db):
    """A client contact of another organization."""
    return user_upsert(
        username="stranger",
        password="x" * 12,
        display_name="别家联系人",
        roles=[Role.CLIENT],
        organization=Organization.objects.create(name="别的委办局"),
    )


@pytest.fixture
def record(hotline, attendant, meeting, organization):
    """Record a task as the hotline: the fruit for the meeting, done by the attendant, due 13:30."""

    def make(**overrides):
        values = {
            "title": "代购水果",
            "quantity": "时令水果 5 公斤",
            "budget": Decimal("300.00"),
            "due_at": at("2026-11-26 13:30"),
            "meeting": meeting,
            "requester_name": "周敏",
            "organization": organization,
            "assignee": attendant,
            "service_plan": PLAN,
        }
        return task_create(user=overrides.pop("user", hotline), **(values | overrides))

    return make


@pytest.fixture
def task(record):
    return record()


@pytest.fixture
def done(task, attendant):
    """The fruit, marked done by the attendant at 08:00 with its cost: awaiting the client."""
    return task_done(user=attendant, task=task, actual_cost=Decimal("268.50"), note="分三批摆放")


def image_upload(name="receipt.jpg", *, size=(40, 30), fmt="JPEG", exif=None) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format=fmt, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def qualify(security_officer):
    """qualify(user, level=2): every paper a person needs to serve (and so see) confidential meetings up to
    `level`, valid through 2027."""
    from datetime import date

    from huiwu.security.models import (
        Authorization,
        BackgroundCheck,
        ConfidentialityAgreement,
        StaffProfile,
        TrainingRecord,
    )

    def make(user, level=2):
        StaffProfile.objects.update_or_create(user=user, defaults={"clearance_level": level})
        span = {"valid_from": date(2026, 1, 1), "valid_until": date(2027, 12, 31), "recorded_by": security_officer}
        BackgroundCheck.objects.create(user=user, issuer="市公安局", **span)
        ConfidentialityAgreement.objects.create(user=user, **span)
        Authorization.objects.create(user=user, **span)
        TrainingRecord.objects.create(
            user=user,
            course=TrainingRecord.Course.CONFIDENTIALITY,
            completed_on=date(2026, 3, 1),
            passed=True,
            recorded_by=security_officer,
        )
        return user

    return make


@pytest.fixture
def secret_task(book, manager, other_room, record, qualify, attendant):
    """The fruit for a confidential meeting (level 1) of 测试委办局, recorded by the manager for the cleared
    attendant and done by them: the hotline, who is not cleared, may not see it."""
    secret = book("2026-11-26 14:00", "16:00", room=other_room, title="保密专题会", confidentiality=1, user=manager)
    qualify(attendant)
    task = record(user=manager, meeting=secret)
    return task_done(user=attendant, task=task)
