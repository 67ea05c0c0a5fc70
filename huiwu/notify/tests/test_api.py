"""The inbox over JSON: the caller's notifications as the page shows them, and marking them read."""

from datetime import timedelta

import pytest

from huiwu.notify.models import Kind, Notification
from huiwu.notify.services import notify_users
from huiwu.testing import at


def _note(user, title="会议提醒：党组会", **extra):
    return Notification.objects.create(
        recipient=user,
        kind=Kind.MEETING_REMINDER,
        event=Notification.Event.REMINDER,
        title=title,
        url="/meetings/1/",
        **extra,
    )


def test_it_lists_the_callers_notifications_newest_first_with_the_unread_count(api, attendant, hotline, frozen_now):
    older = _note(attendant, title="第一条", created_at=at("2026-11-26 07:00"))
    newer = _note(attendant, title="第二条", created_at=at("2026-11-26 07:30"), read_at=at("2026-11-26 07:40"))
    _note(hotline, title="别人的")

    answer = api(attendant, "get", "/notifications").json()

    assert [item["id"] for item in answer["items"]] == [newer.pk, older.pk]
    assert (answer["count"], answer["unread"]) == (2, 1)
    assert answer["items"][1] == {
        "id": older.pk,
        "kind": "meeting_reminder",
        "kind_label": "会议提醒",
        "event": "reminder",
        "event_label": "提醒",
        "title": "第一条",
        "body": "",
        "url": "/meetings/1/",
        "created_at": "2026-11-26T07:00:00+08:00",
        "read_at": None,
        "outdated": "",
        "outdated_label": "",
    }
    assert answer["items"][0]["read_at"] == "2026-11-26T07:40:00+08:00"


def test_it_filters_unread_ones_and_pages_them(api, attendant, frozen_now):
    for minute in range(5):
        _note(attendant, title=f"第{minute}条", created_at=at(f"2026-11-26 07:0{minute}"))
    _note(attendant, title="已读", read_at=at("2026-11-26 07:50"))

    answer = api(attendant, "get", "/notifications", {"unread": "true", "limit": 2, "offset": 1}).json()

    assert [item["title"] for item in answer["items"]] == ["第3条", "第2条"]
    assert (answer["count"], answer["limit"], answer["offset"], answer["unread"]) == (5, 2, 1, 5)


def test_it_gives_a_user_without_any_role_their_inbox(api, outsider, frozen_now):
    _note(outsider)
    assert api(outsider, "get", "/notifications").json()["count"] == 1


def test_it_shows_a_confidential_meeting_as_written_for_each_recipient(api, book, manager, attendant, frozen_now):
    meeting = book("2026-11-27 09:00", "10:00", title="涉密专题会", confidentiality=1)
    notify_users(
        recipients=[manager, attendant],
        kind=Kind.MEETING_BOOKED,
        title="会议变更：涉密专题会",
        body="议程见附件",
        url=f"/meetings/{meeting.pk}/",
        meeting=meeting,
    )

    [told] = api(manager, "get", "/notifications").json()["items"]
    [kept_out] = api(attendant, "get", "/notifications").json()["items"]

    assert (told["title"], told["body"]) == ("会议变更：涉密专题会", "议程见附件")
    assert "涉密专题会" not in kept_out["title"]
    assert "保密会议" in kept_out["title"]
    assert kept_out["body"] == ""


def test_it_marks_one_read_and_keeps_the_first_reading(api, attendant, frozen_now):
    notification = _note(attendant)

    first = api(attendant, "post", f"/notifications/{notification.pk}/read")
    frozen_now.shift(timedelta(minutes=5))
    again = api(attendant, "post", f"/notifications/{notification.pk}/read")

    assert first.status_code == again.status_code == 200
    assert first.json()["read_at"] == again.json()["read_at"] == "2026-11-26T08:00:00+08:00"
    notification.refresh_from_db()
    assert notification.read_at == at("2026-11-26 08:00")


def test_it_answers_404_for_someone_elses_notification_and_leaves_it_unread(api, attendant, hotline, frozen_now):
    notification = _note(hotline)
    response = api(attendant, "post", f"/notifications/{notification.pk}/read")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("notification_id", ["0", "abc", "true", "99999999999999999999"])
def test_it_refuses_an_id_that_cannot_be_one_with_422(api, attendant, notification_id, frozen_now):
    notification = _note(attendant)
    response = api(attendant, "post", f"/notifications/{notification_id}/read")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["notification_id"]
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_refuses_a_filter_that_is_not_true_or_false_with_422(api, attendant, frozen_now):
    response = api(attendant, "get", "/notifications", {"unread": "maybe"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"unread": ["请填写 true（是）或 false（否）。"]}


def test_it_marks_all_of_the_callers_notifications_read_and_no_one_elses(api, attendant, hotline, frozen_now):
    _note(attendant)
    _note(attendant)
    _note(attendant, read_at=at("2026-11-26 07:00"))
    theirs = _note(hotline)

    response = api(attendant, "post", "/notifications/read-all")

    assert response.json() == {"marked": 2}
    assert not attendant.notifications.filter(read_at__isnull=True).exists()
    assert attendant.notifications.filter(read_at=at("2026-11-26 07:00")).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert api(attendant, "get", "/notifications").json()["unread"] == 0


def test_it_marks_read_through_the_same_service_as_the_page(client, attendant, frozen_now):
    from huiwu.testing import login_as

    notification = _note(attendant, read_at=at("2026-11-26 07:00"))
    login_as(client, attendant)
    client.get(f"/notifications/{notification.pk}/")
    notification.refresh_from_db()
    # Opened again from the page, it keeps the time it was first read, as through the API.
    assert notification.read_at == at("2026-11-26 07:00")
