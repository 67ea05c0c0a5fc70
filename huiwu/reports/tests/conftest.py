import pytest
from django.core.files.storage import FileSystemStorage

from huiwu.directory.models import Organization
from huiwu.reports.models import MonthlyReport
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _private_files(monkeypatch, tmp_path):
    # The monthly reports go to a private storage of the test's own (the field holds its storage from start-up).
    monkeypatch.setattr(MonthlyReport._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))


@pytest.fixture
def two_meetings(book, other_room, frozen_now):
    """Friday's meeting of 测试委办局 (1 h, in 701) and Saturday's of 市财政局 (2 h, in 702), read on Friday at
    15:00; returns 市财政局."""
    bureau = Organization.objects.create(name="市财政局")
    book("2026-11-27 09:00", "10:00")
    book("2026-11-28 09:00", "11:00", room=other_room, organizer=bureau)
    frozen_now.move_to(at("2026-11-27 15:00"))
    return bureau
