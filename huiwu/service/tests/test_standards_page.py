"""The service standards page: service staff read the version in force and its history; a manager changes
them by saving a new version, which moves the checks of the meetings still to come."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from huiwu.service.models import MeetingCheck, ServiceStandard
from huiwu.service.standard_forms import StandardForm
from huiwu.service.standards import EDITABLE_FIELDS, standard_current, standard_default, standard_values
from huiwu.testing import at, login_as

URL = "/service/standards/"

LEVEL_ORDER = (
    "The levels are checked in order: level 1 needs more minutes before the start than level 2, "
    "and level 2 more than level 3."
)
WINDOW_ORDER = "A window cannot close before it opens: “to” must be at least “from”."
BAD_DAY = "Enter a real day of the year as MM-DD, for example 05-01."
EMPTY_LIST = "List at least one item."


def _in_site_language(message: str) -> str:
    """What a page shows for a message: the requests of these tests carry no language, so the site's."""
    with translation.override("zh-hans"):
        return escape(gettext(message))


def _form_data(**changes) -> dict:
    """The standards form as it comes filled in with the version in force, with some fields changed."""
    form = StandardForm(standard=standard_current())
    data = {field.html_name: "" if field.value() is None else field.value() for field in form}
    return data | {"reason": "季度调整"} | changes


def _level1_due(meeting):
    return MeetingCheck.objects.get(meeting=meeting, level=1).due_at


def test_it_saves_a_new_version_and_moves_the_checks_of_meetings_still_to_come(client, manager, book, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00")
    assert _level1_due(meeting) == at("2026-11-27 07:00")
    login_as(client, manager)

    response = client.post(URL, _form_data(level1_minutes="150", reason="一级检查提前"))
    assert response.status_code == 302
    assert response["Location"] == URL
    first = ServiceStandard.objects.get()
    assert (first.level1_minutes, first.changed_by, first.reason) == (150, manager, "一级检查提前")
    assert _level1_due(meeting) == at("2026-11-27 06:30")
    kept = standard_values(first) | {"changed_at": first.changed_at, "reason": first.reason}

    frozen_now.shift(timedelta(hours=1))
    response = client.post(URL, _form_data(level1_minutes="180", reason="领导要求再提前"), follow=True)
    assert ServiceStandard.objects.count() == 2
    first.refresh_from_db()
    assert standard_values(first) | {"changed_at": first.changed_at, "reason": first.reason} == kept
    assert standard_current().level1_minutes == 180
    assert _level1_due(meeting) == at("2026-11-27 06:00")

    html = response.content.decode()
    assert [str(message) for message in response.context["messages"]]
    history = html[html.index('data-testid="versions"') :]
    assert history.index("领导要求再提前") < history.index("一级检查提前")
    assert reverse("service:standard_detail", args=[first.pk]) in history


def test_it_saves_every_editable_value_from_the_form(client, manager, site, frozen_now):
    login_as(client, manager)
    changes = {
        "summer_refill1_from": "5",
        "summer_refill1_to": "12",
        "winter_refill3_from": "30",
        "winter_refill3_to": "40",
        "summer_from": "5-15",
        "summer_until": "09-20",
        f"site{site.pk}_from": "06-01",
        f"site{site.pk}_until": "09-15",
        "recess_headcount": "80",
        "ready_minutes": "45",
        "confirm_early_minutes": "20",
        "ready_item": "开门开灯，茶水到位",
        "recess_item": "休会换茶杯",
        "after_items": "提醒带好随身物品\n\n  检查遗留物品  \n提醒带好随身物品x",
    }
    assert client.post(URL, _form_data(**changes)).status_code == 302
    saved = ServiceStandard.objects.get()
    default = standard_default()
    assert saved.summer_refills == [[5, 12], *default.summer_refills[1:]]
    assert saved.winter_refills == [*default.winter_refills[:2], [30, 40]]
    assert (saved.summer_from, saved.summer_until) == ("05-15", "09-20")
    assert saved.site_seasons == {"tower": ["06-01", "09-15"]}
    assert (saved.recess_headcount, saved.ready_minutes, saved.confirm_early_minutes) == (80, 45, 20)
    assert (saved.ready_item, saved.recess_item) == ("开门开灯，茶水到位", "休会换茶杯")
    assert saved.after_items == ["提醒带好随身物品", "检查遗留物品", "提醒带好随身物品x"]
    assert saved.level2_items == default.level2_items
    assert set(standard_values(saved)) == set(EDITABLE_FIELDS)


def test_it_shows_the_seed_defaults_with_a_note_until_a_version_is_saved(client, hotline, manager):
    login_as(client, hotline)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="seed-note"' in html
    assert _in_site_language("No version has been saved yet: these are the seed defaults.") in html
    assert escape(standard_default().level1_items[0]) in html
    login_as(client, manager)
    html = client.get(URL).content.decode()
    assert 'data-testid="seed-note"' in html
    assert 'data-testid="standard-form"' in html


def test_it_lets_other_service_staff_read_the_standards_but_not_change_them(client, hotline, manager, frozen_now):
    login_as(client, manager)
    client.post(URL, _form_data(level2_minutes="70", reason="二级检查提前"))
    version = ServiceStandard.objects.get()
    login_as(client, hotline)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"] is None
    assert 'data-testid="standard-form"' not in html
    assert 'data-testid="standard-summary"' in html
    assert "二级检查提前" in html
    assert "各级检查到期前 30 分钟起" in html
    assert client.post(URL, _form_data(level2_minutes="90")).status_code == 403
    assert list(ServiceStandard.objects.all()) == [version]
    assert client.get(reverse("service:standard_detail", args=[version.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["client_contact", "outsider"])
def test_it_refuses_the_standards_to_clients_and_outsiders(client, manager, persona, request, frozen_now):
    login_as(client, manager)
    client.post(URL, _form_data(level3_minutes="20"))
    version = ServiceStandard.objects.get()
    login_as(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form_data(level3_minutes="25")).status_code == 403
    assert client.get(reverse("service:standard_detail", args=[version.pk])).status_code == 403
    assert ServiceStandard.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"level1_minutes": "60", "level2_minutes": "60"}, "level1_minutes", LEVEL_ORDER),
        ({"level2_minutes": "20", "level3_minutes": "30"}, "level2_minutes", LEVEL_ORDER),
        ({"summer_refill2_from": "25", "summer_refill2_to": "20"}, "summer_refill2_to", WINDOW_ORDER),
        ({"summer_from": "02-30"}, "summer_from", BAD_DAY),
        ({"summer_until": "13-01"}, "summer_until", BAD_DAY),
        ({"summer_until": "0930"}, "summer_until", BAD_DAY),
        ({"level3_items": "\n  \n"}, "level3_items", EMPTY_LIST),
        ({"confirm_early_minutes": "241"}, "confirm_early_minutes", "请填写 1 至 240 之间的整数分钟数。"),
    ],
)
def test_it_refuses_invalid_input_shows_why_and_changes_nothing(client, manager, book, changes, field, message):
    meeting = book("2026-11-27 09:00", "10:00")
    due = _level1_due(meeting)
    login_as(client, manager)
    response = client.post(URL, _form_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert _in_site_language(message) in [escape(error) for error in errors[field]], errors
    assert _in_site_language(message) in response.content.decode()
    assert not ServiceStandard.objects.exists()
    assert _level1_due(meeting) == due


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"before_items": "会场清洁\n会场清洁"}, "before_items"),
        ({"after_items": "长" * 201}, "after_items"),
        ({"before_items": "会场清洁\n开门开灯", "ready_item": "开门开灯"}, "before_items"),
        ({"reason": ""}, "reason"),
        ({"summer_refill1_from": "0"}, "summer_refill1_from"),
        ({"winter_refill3_to": "241"}, "winter_refill3_to"),
    ],
)
def test_it_refuses_duplicate_long_or_missing_items_and_windows_out_of_range(
    client, manager, frozen_now, changes, field
):
    login_as(client, manager)
    response = client.post(URL, _form_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ServiceStandard.objects.exists()


def test_it_asks_for_both_days_of_a_sites_summer(client, manager, site, frozen_now):
    login_as(client, manager)
    response = client.post(URL, _form_data(**{f"site{site.pk}_from": "06-01"}))
    assert f"site{site.pk}_until" in response.context["form"].errors
    assert not ServiceStandard.objects.exists()


def test_it_refuses_a_version_that_changes_nothing(client, manager, frozen_now):
    login_as(client, manager)
    client.post(URL, _form_data(level1_minutes="150"))
    response = client.post(URL, _form_data(reason="再存一次"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ServiceStandard.objects.count() == 1


def test_it_warns_once_when_another_manager_saved_meanwhile(client, manager, frozen_now):
    login_as(client, manager)
    stale = _form_data(level2_minutes="50", reason="我的修改")
    client.post(URL, _form_data(level1_minutes="150", reason="别人的修改"))
    response = client.post(URL, stale)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ServiceStandard.objects.count() == 1
    # Sent again as re-rendered (now based on the version in force), it is saved.
    assert client.post(URL, stale | {"based_on": str(standard_current().pk)}).status_code == 302
    assert standard_current().reason == "我的修改"


def test_it_shows_a_past_version_with_who_changed_it_when_and_why(client, manager, hotline, frozen_now):
    login_as(client, manager)
    client.post(URL, _form_data(level1_minutes="150", reason="一级检查提前"))
    first = ServiceStandard.objects.get()
    frozen_now.shift(timedelta(days=1))
    client.post(URL, _form_data(level1_minutes="180", reason="再提前"))
    second = standard_current()
    login_as(client, hotline)
    response = client.get(reverse("service:standard_detail", args=[first.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    facts = html[html.index('data-testid="version-facts"') :]
    assert "一级检查提前" in facts
    assert str(manager) in facts
    assert reverse("service:standard_detail", args=[second.pk]) in facts  # replaced by the second
    assert response.context["summary"]
    assert "各级检查到期前 30 分钟起" in html
    assert client.get(reverse("service:standard_detail", args=[999999])).status_code == 404
