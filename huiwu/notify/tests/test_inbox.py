from huiwu.notify.models import Kind, Notification, Preference
from huiwu.testing import login_as


def _note(user, title="会议提醒：党组会", url="/meetings/1/", **extra):
    return Notification.objects.create(
        recipient=user, kind=Kind.MEETING_REMINDER, event=Notification.Event.REMINDER, title=title, url=url, **extra
    )


def test_it_counts_unread_notifications_in_the_bell(client, attendant):
    _note(attendant)
    _note(attendant)
    login_as(client, attendant)
    html = client.get("/notifications/badge/", headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="unread">2<' in html


def test_it_lists_the_inbox_newest_first(client, attendant):
    _note(attendant, title="第一条")
    _note(attendant, title="第二条")
    login_as(client, attendant)
    html = client.get("/notifications/").content.decode()
    assert html.index("第二条") < html.index("第一条")


def test_it_marks_a_notification_read_when_opened_and_goes_to_its_subject(client, attendant):
    notification = _note(attendant)
    login_as(client, attendant)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/meetings/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_it_never_redirects_to_another_host(client, attendant):
    notification = _note(attendant, url="https://evil.example.com/")
    login_as(client, attendant)
    assert client.get(f"/notifications/{notification.pk}/")["Location"] == "/notifications/"


def test_it_hides_other_peoples_notifications(client, attendant, hotline):
    notification = _note(hotline)
    login_as(client, attendant)
    assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    assert "会议提醒" not in client.get("/notifications/").content.decode()


def test_it_marks_all_read(client, attendant, hotline):
    _note(attendant)
    _note(hotline)
    login_as(client, attendant)
    client.post("/notifications/read-all/")
    assert not attendant.notifications.filter(read_at__isnull=True).exists()
    assert hotline.notifications.filter(read_at__isnull=True).exists()


def test_it_saves_channel_preferences_per_kind(client, attendant):
    login_as(client, attendant)
    html = client.get("/notifications/preferences/").content.decode()
    assert 'name="meeting_reminder:email"' in html
    client.post("/notifications/preferences/", {"meeting_reminder:wecom": "on"})
    saved = {(p.kind, p.channel): p.enabled for p in Preference.objects.filter(user=attendant)}
    assert saved[("meeting_reminder", "wecom")] is True
    assert saved[("meeting_reminder", "email")] is False
    assert saved[("meeting_booked", "dingtalk")] is False
