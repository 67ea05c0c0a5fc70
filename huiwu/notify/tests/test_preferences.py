"""Notification settings offer the kinds a person receives, on the channels this deployment has; the inbox is
always on. The page and the API alike."""

import pytest

from huiwu.notify.models import KINDS_BY_ROLE, Endpoint, Kind, Notification, Preference
from huiwu.testing import login_as

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


@pytest.fixture
def robots(db):
    """A WeCom robot for the attendants' group and a DingTalk robot for the managers'."""
    return [
        Endpoint.objects.create(channel="wecom", name="会务组", url="https://qyapi.example/send", roles=["attendant"]),
        Endpoint.objects.create(channel="dingtalk", name="经理群", url="https://oapi.example/send", roles=["manager"]),
    ]


def _page(client, user) -> str:
    login_as(client, user)
    return client.get("/notifications/preferences/").content.decode()


def test_it_lists_who_receives_each_kind_including_the_new_ones():
    receivers = {kind: {role for role, kinds in KINDS_BY_ROLE.items() if kind in kinds} for kind in Kind}
    assert all(receivers.values()), "every kind reaches some role"
    assert receivers[Kind.SERVICE_EXCEPTION] == {"manager"}
    assert receivers[Kind.REQUEST_DECIDED] == {"client"}
    assert receivers[Kind.CLEARANCE_EXPIRY] == {"security_officer"}
    assert Kind.REFILL in KINDS_BY_ROLE["attendant"]


def test_it_offers_only_the_inbox_where_nothing_else_is_set_up(client, attendant, settings):
    settings.EMAIL_BACKEND = CONSOLE
    html = _page(client, attendant)
    assert 'data-testid="inbox-only"' in html
    assert 'data-testid="preferences"' not in html
    assert 'name="meeting_reminder:' not in html


def test_it_offers_e_mail_when_the_deployment_sends_it(client, attendant, settings):
    settings.EMAIL_BACKEND = SMTP
    html = _page(client, attendant)
    assert 'name="meeting_reminder:email"' in html
    assert 'name="meeting_reminder:wecom"' not in html
    assert "站内通知（始终开启）" in html
    # The attendant has no address on the account: said so, not silently dropped.
    assert "您的账号没有邮箱地址" in html


def test_it_offers_the_robots_that_carry_the_users_roles(client, attendant, manager, robots, settings):
    settings.EMAIL_BACKEND = CONSOLE
    attendant_page, manager_page = _page(client, attendant), _page(client, manager)
    assert 'name="refill:wecom"' in attendant_page
    assert ":dingtalk" not in attendant_page
    assert 'name="service_exception:dingtalk"' in manager_page
    assert ":wecom" not in manager_page
    robots[0].is_active = False
    robots[0].save(update_fields=["is_active"])
    assert 'data-testid="inbox-only"' in _page(client, attendant)


def test_it_offers_a_robot_without_roles_to_everybody(client, security_officer, settings):
    settings.EMAIL_BACKEND = CONSOLE
    Endpoint.objects.create(channel="webhook", name="值班系统", url="https://hooks.example/huiwu")
    assert 'name="clearance_expiry:webhook"' in _page(client, security_officer)


def test_it_offers_the_kinds_of_the_users_roles_and_any_other_they_were_sent(client, attendant, settings):
    settings.EMAIL_BACKEND = SMTP
    html = _page(client, attendant)
    for kind in ("meeting_reminder", "assignment", "room_ready", "refill"):
        assert f'name="{kind}:email"' in html
    for kind in ("meeting_booked", "service_check", "service_exception", "request_decided", "clearance_expiry"):
        assert f'name="{kind}:email"' not in html
    Notification.objects.create(recipient=attendant, kind=Kind.CHECK_ALERT, event="notice", title="检查项不合格")
    assert 'name="check_alert:email"' in _page(client, attendant)


def test_it_offers_the_new_kinds_to_the_manager_and_the_client(client, manager, client_contact, settings):
    settings.EMAIL_BACKEND = SMTP
    assert 'name="service_exception:email"' in _page(client, manager)
    assert 'name="request_decided:email"' in _page(client, client_contact)
    assert 'name="service_exception:email"' not in _page(client, client_contact)


def test_it_saves_the_switches_shown_and_nothing_else(client, attendant, robots, settings):
    settings.EMAIL_BACKEND = SMTP
    login_as(client, attendant)
    response = client.post(
        "/notifications/preferences/",
        {"refill:wecom": "on", "meeting_reminder:email": "on", "meeting_booked:email": "on", "refill:dingtalk": "on"},
    )
    assert response.status_code == 302
    saved = {(p.kind, p.channel): p.enabled for p in Preference.objects.filter(user=attendant)}
    assert saved[("refill", "wecom")] is True
    assert saved[("refill", "email")] is False
    assert saved[("meeting_reminder", "email")] is True
    assert saved[("assignment", "wecom")] is False
    # Neither a kind the attendant does not receive nor a channel they do not have.
    assert ("meeting_booked", "email") not in saved
    assert not any(channel == "dingtalk" for _kind, channel in saved)
    page = client.get("/notifications/preferences/").content.decode()
    assert 'name="refill:wecom" role="switch" class="form-check-input" id="id_refill:wecom" checked>' in page
    assert 'name="refill:email" role="switch" class="form-check-input" id="id_refill:email">' in page


# --- the API ------------------------------------------------------------------------------------------


def test_it_reads_the_settings_over_the_api(api, attendant, robots, settings):
    settings.EMAIL_BACKEND = SMTP
    Preference.objects.create(user=attendant, kind="refill", channel="wecom", enabled=False)
    answer = api(attendant, "get", "/notifications/preferences").json()
    assert answer["inbox"] is True
    assert answer["channels"] == [
        {"code": "email", "label": "电子邮件"},
        {"code": "wecom", "label": "企业微信群机器人"},
    ]
    kinds = {row["kind"]: row for row in answer["kinds"]}
    assert set(kinds) == {"meeting_reminder", "assignment", "room_ready", "refill", "delegation"}
    assert kinds["refill"]["channels"] == {"email": True, "wecom": False}
    assert kinds["refill"]["kind_label"] == str(Kind.REFILL.label)


def test_it_answers_only_the_inbox_over_the_api_where_nothing_else_is_set_up(api, attendant, settings):
    settings.EMAIL_BACKEND = CONSOLE
    answer = api(attendant, "get", "/notifications/preferences").json()
    assert answer["channels"] == []
    assert all(row["channels"] == {} for row in answer["kinds"])


def test_it_changes_only_what_is_named_over_the_api(api, attendant, robots, settings):
    settings.EMAIL_BACKEND = SMTP
    Preference.objects.create(user=attendant, kind="assignment", channel="email", enabled=False)
    response = api(
        attendant, "patch", "/notifications/preferences", {"kinds": [{"kind": "refill", "channels": {"wecom": False}}]}
    )
    assert response.status_code == 200
    kinds = {row["kind"]: row["channels"] for row in response.json()["kinds"]}
    assert kinds["refill"] == {"email": True, "wecom": False}
    assert kinds["assignment"] == {"email": False, "wecom": True}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kinds": [{"kind": "refill", "channels": {"dingtalk": True}}]}, "channel"),
        ({"kinds": [{"kind": "clearance_expiry", "channels": {"email": False}}]}, "kind"),
        ({"kinds": [{"kind": "refill", "channels": {"inbox": False}}]}, "kinds.0.channels.inbox.[key]"),
        ({"kinds": [{"kind": "refill", "channels": {"email": "no"}}]}, "kinds.0.channels.email"),
    ],
)
def test_it_refuses_a_channel_or_kind_it_cannot_set_and_changes_nothing(api, attendant, robots, settings, body, field):
    settings.EMAIL_BACKEND = SMTP
    response = api(attendant, "patch", "/notifications/preferences", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Preference.objects.exists()
