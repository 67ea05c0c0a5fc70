import pytest
from django.utils import translation

from huiwu.lostfound.services import lost_item_register
from huiwu.testing import at


@pytest.fixture(autouse=True)
def _english(settings):
    # Messages are checked in the English source, which stays put when the Chinese catalogue changes.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def register(attendant, room, frozen_now):
    """Register an item as the attendant: register(description="黑色保温杯", found_at=at(…), meeting=…)."""

    def make(**overrides):
        values = {
            "description": "黑色保温杯",
            "found_where": "主席台第三座",
            "found_at": at("2026-11-25 17:30"),
            "stored_where": "7楼服务台",
            "room": room,
        }
        return lost_item_register(user=attendant, **(values | overrides))

    return make


@pytest.fixture
def item(register):
    return register()
