import pytest

from huiwu.directory.models import Organization
from huiwu.testing import at


@pytest.fixture
def two_meetings(book, other_room, frozen_now):
    """Friday's meeting of 测试委办局 (1 h, in 701) and Saturday's of 市财政局 (2 h, in 702), read on Friday at
    15:00; returns 市财政局."""
    bureau = Organization.objects.create(name="市财政局")
    book("2026-11-27 09:00", "10:00")
    book("2026-11-28 09:00", "11:00", room=other_room, organizer=bureau)
    frozen_now.move_to(at("2026-11-27 15:00"))
    return bureau
