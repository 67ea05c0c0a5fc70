import re

import pytest

from huiwu.notify.models import Kind, Notification
from huiwu.testing import at, login_as


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


def test_it_marks_one_read_in_place_with_htmx(client, attendant):
    first, second = _note(attendant, title="第一条"), _note(attendant, title="第二条")
    login_as(client, attendant)
    response = client.post(f"/notifications/{first.pk}/read/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{first.pk}"' in html
    assert "hw-note-unread" not in html
    assert "标为已读" not in html  # no button left to press
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_it_marks_one_read_without_script_and_comes_back_to_the_same_page(client, attendant):
    notification = _note(attendant)
    login_as(client, attendant)
    response = client.post(f"/notifications/{notification.pk}/read/", {"page": "2"})
    assert response["Location"] == "/notifications/?page=2"
    assert client.post(f"/notifications/{notification.pk}/read/", {"page": "x"})["Location"] == "/notifications/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_it_refuses_to_mark_somebody_elses_notification_read(client, attendant, hotline):
    notification = _note(hotline)
    login_as(client, attendant)
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{notification.pk}/read/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def _entry(html: str, notification: Notification) -> str:
    match = re.search(rf'<li [^>]*id="notification-{notification.pk}".*?</li>', html, re.DOTALL)
    assert match, f"notification {notification.pk} not in the inbox"
    return match.group(0)


def test_it_marks_unread_entries_and_gives_each_a_large_link_and_a_read_button(client, attendant, frozen_now):
    unread = _note(attendant, title="未读的", body="请提前30分钟布置会场，" * 20)
    read = _note(attendant, title="读过的", read_at=at("2026-11-26 07:50"))
    login_as(client, attendant)
    html = client.get("/notifications/").content.decode()
    unread_entry, read_entry = _entry(html, unread), _entry(html, read)
    assert "hw-note-unread" in unread_entry
    assert '<span class="visually-hidden">未读：</span>' in unread_entry
    assert f'<a class="hw-note-link" href="/notifications/{unread.pk}/">' in unread_entry
    assert f'action="/notifications/{unread.pk}/read/"' in unread_entry
    assert 'class="hw-note-body"' in unread_entry  # the long body wraps (huiwu.css)
    assert "hw-note-unread" not in read_entry
    assert "未读" not in read_entry
    assert f'action="/notifications/{read.pk}/read/"' not in read_entry


@pytest.mark.parametrize(
    ("created", "shown"),
    [
        ("2026-11-26 07:05", "今天 07:05"),
        ("2026-11-26 00:00", "今天 00:00"),
        ("2026-11-25 23:59", "昨天 23:59"),
        ("2026-11-25 00:00", "昨天 00:00"),
        ("2026-11-24 23:59", "11月24日 23:59"),
        ("2026-01-01 00:00", "1月1日 00:00"),
        ("2025-12-31 23:59", "2025年12月31日 23:59"),
    ],
)
def test_it_shows_when_a_notification_came_in_shanghai_time(client, attendant, frozen_now, created, shown):
    # Asia/Shanghai: 2026-11-26 00:00 there is 2026-11-25 16:00 UTC, still "yesterday" in UTC.
    _note(attendant, created_at=at(created))
    login_as(client, attendant)
    assert f">{shown}</time>" in client.get("/notifications/").content.decode()


def test_it_shows_when_a_notification_came_in_english(client, attendant, frozen_now):
    _note(attendant, created_at=at("2026-11-26 07:05"))
    _note(attendant, created_at=at("2026-11-20 09:10"))
    login_as(client, attendant)
    html = client.get("/notifications/", headers={"Accept-Language": "en"}).content.decode()
    assert ">Today 07:05</time>" in html
    assert ">11/20 09:10</time>" in html
