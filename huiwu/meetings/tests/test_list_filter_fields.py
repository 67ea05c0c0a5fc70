"""The meeting list's filter fields (views._filter_fields), kept rendered: opened again they are served as they
were, and a room, a floor, a site or an organization changed, other input or another language renders them
again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huiwu.directory.models import Organization
from huiwu.testing import login_as
from huiwu.venues.models import Floor, Room, Site


def _fields(client, query: str = "") -> tuple[str, int]:
    """The filter form's fields as the list shows them, and the queries of the whole page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/meetings/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<form method="get"')
    return html[start : html.index("</form>", start)], len(queries)


@pytest.fixture
def listing(client, hotline, room, organization):
    login_as(client, hotline)
    return client


def test_it_serves_the_fields_again_without_reading_the_rooms_and_organizations(listing):
    built, built_queries = _fields(listing)
    served, served_queries = _fields(listing)
    assert served == built
    assert "701会议室" in served
    assert "测试委办局" in served
    # Not read again: the rooms (with their floors and sites) and the organizations.
    assert served_queries == built_queries - 2


@pytest.mark.parametrize("change", ["room", "organization renamed", "organization added"])
def test_it_shows_a_change_of_the_choices_at_the_next_view(listing, change, room, organization):
    _fields(listing)
    if change == "room":
        Room.objects.filter(pk=room.pk).update(name="702会议室")
    elif change == "organization renamed":
        Organization.objects.filter(pk=organization.pk).update(name="办公厅")
    else:
        Organization.objects.create(name="办公厅")
    assert ("702会议室" if change == "room" else "办公厅") in _fields(listing)[0]


@pytest.mark.parametrize("change", ["floor", "site"])
def test_it_orders_the_rooms_anew_when_a_floor_or_a_site_changes(listing, change, room, site):
    # The rooms are listed by site, floor level and name (sites named so that any collation orders them alike).
    Site.objects.filter(pk=site.pk).update(name="C座")
    other_site = Site.objects.create(name="B座", code="b") if change == "site" else site
    eighth = Floor.objects.create(site=other_site, name="8F", level=8)
    Room.objects.create(floor=eighth, name="801会议室", code="801", capacity=20)

    def first() -> str:
        fields = _fields(listing)[0]
        return "701" if fields.index("701会议室") < fields.index("801会议室") else "801"

    assert first() == ("801" if change == "site" else "701")
    if change == "floor":
        Floor.objects.filter(pk=room.floor_id).update(level=9)
    else:
        Site.objects.filter(pk=site.pk).update(name="A座")
    assert first() == ("701" if change == "site" else "801")


def test_it_renders_the_fields_with_what_they_were_given_and_its_errors(listing):
    assert 'value="2026-11-27"' in _fields(listing, "date_from=2026-11-27")[0]
    wrong = _fields(listing, "date_from=2026-11-27&room=nowhere")[0]
    assert 'value="2026-11-27"' in wrong
    assert "选择一个有效的选项" in wrong
    assert "选择一个有效的选项" not in _fields(listing, "date_from=2026-11-27")[0]


def test_it_renders_the_fields_in_the_readers_language(listing):
    assert "会议室" in _fields(listing)[0]
    listing.cookies["django_language"] = "en"
    english = _fields(listing)[0]
    assert "Room" in english
    assert "Organizer" in english
