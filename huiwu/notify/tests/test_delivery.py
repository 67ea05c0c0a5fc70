"""Delivery as the worker runs it: retries with backoff, failures visible to administrators, the robots'
limit of 20 requests a minute kept by queueing (never dropping), also with two workers at once."""

import contextlib
import multiprocessing
import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from huiwu.notify import tasks
from huiwu.notify.models import Delivery
from huiwu.notify.tasks import deliver, deliveries_requeue_stale, delivery_enqueue, robot_next_slot
from huiwu.testing import at


def _queued_tasks():
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("run_after"))


def _most_in_any_minute(times) -> int:
    """The most requests in any 60-second window [t, t + 60 s)."""
    times = sorted(times)
    return max(sum(1 for other in times if start <= other < start + timedelta(seconds=60)) for start in times)


# --- failures and retries -----------------------------------------------------------------------------


def test_it_schedules_a_retry_with_backoff_when_a_robot_answers_500(
    robot_server, make_endpoint, make_delivery, frozen_now
):
    robot_server.reply(500, b"Internal Server Error")
    delivery = make_delivery("wecom", endpoint=make_endpoint("wecom"))

    assert deliver.call(delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.QUEUED
    assert delivery.attempts == 1
    assert delivery.last_error == "HTTP 500 Internal Server Error: Internal Server Error"
    [retry] = _queued_tasks()
    assert retry.run_after == at("2026-11-26 08:01")
    assert retry.args_kwargs["kwargs"] == {"delivery_id": delivery.pk, "attempt": 1}


def test_it_records_a_nonzero_errcode_and_retries(robot_server, make_endpoint, make_delivery, frozen_now):
    robot_server.reply(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
    delivery = make_delivery("dingtalk", endpoint=make_endpoint("dingtalk", "/robot/send?access_token=t"))

    assert deliver.call(delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_error) == (Delivery.State.QUEUED, "errcode 45009: api freq out of limit")
    assert [task.run_after for task in _queued_tasks()] == [at("2026-11-26 08:01")]


def test_it_backs_off_1_2_4_8_16_minutes_then_fails_after_the_sixth_attempt(
    robot_server, make_endpoint, make_delivery, frozen_now, run_delivery_tasks
):
    robot_server.always_reply(502, b"Bad Gateway")
    delivery = make_delivery("wecom", endpoint=make_endpoint("wecom"))
    delivery_enqueue(delivery)

    run_delivery_tasks()
    while queued := _queued_tasks():
        # Nothing runs before its time.
        frozen_now.move_to(queued[0].run_after - timedelta(seconds=1))
        assert run_delivery_tasks() == 0
        frozen_now.move_to(queued[0].run_after)
        assert run_delivery_tasks() == 1

    minutes = [round((r.arrived_at - at("2026-11-26 08:00")).total_seconds() / 60) for r in robot_server.requests]
    assert minutes == [0, 1, 3, 7, 15, 31]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.FAILED, 6)
    assert delivery.last_error == "HTTP 502 Bad Gateway: Bad Gateway"
    assert delivery.sent_at is None


def test_it_sends_on_a_retry_after_a_failure(
    robot_server, make_endpoint, make_delivery, frozen_now, run_delivery_tasks
):
    robot_server.reply(500, b"oops")
    delivery = make_delivery("webhook", endpoint=make_endpoint("webhook", "/hook"))
    delivery_enqueue(delivery)
    run_delivery_tasks()
    frozen_now.shift(timedelta(minutes=1))
    run_delivery_tasks()

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (Delivery.State.SENT, 2, "")
    assert len(robot_server.requests) == 2


def test_it_counts_an_unexpected_exception_in_a_channel_as_a_failed_attempt(
    make_endpoint, make_delivery, frozen_now, monkeypatch, run_delivery_tasks
):
    def broken(delivery):
        raise KeyError("text")

    monkeypatch.setattr("huiwu.notify.channels.send_wecom", broken)
    delivery = make_delivery("wecom", endpoint=make_endpoint("wecom"))
    delivery_enqueue(delivery)

    run_delivery_tasks()

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (Delivery.State.QUEUED, 1, "KeyError: 'text'")
    # The task itself finished normally: no crash, and the retry is queued.
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 0
    assert [task.run_after for task in _queued_tasks()] == [at("2026-11-26 08:01")]


def test_it_ignores_a_delivery_already_sent_or_failed(robot_server, make_endpoint, make_delivery):
    endpoint = make_endpoint("wecom")
    sent = make_delivery("wecom", endpoint=endpoint, state=Delivery.State.SENT, attempts=1)
    failed = make_delivery("wecom", endpoint=endpoint, state=Delivery.State.FAILED, attempts=6)

    assert deliver.call(sent.pk) == "skipped"
    assert deliver.call(failed.pk) == "skipped"
    assert deliver.call(987654) == "skipped"  # deleted meanwhile
    assert robot_server.requests == []


def test_it_makes_one_attempt_when_the_same_delivery_is_queued_twice(
    robot_server, make_endpoint, make_delivery, frozen_now, run_delivery_tasks
):
    robot_server.reply(500, b"busy")
    delivery = make_delivery("wecom", endpoint=make_endpoint("wecom"))
    delivery_enqueue(delivery)
    delivery_enqueue(delivery)

    assert run_delivery_tasks() == 2

    # The second task was for the attempt the first one made: it neither sends again nor skips the backoff.
    assert len(robot_server.requests) == 1
    assert [task.run_after for task in _queued_tasks()] == [at("2026-11-26 08:01")]
    frozen_now.shift(timedelta(minutes=1))
    run_delivery_tasks()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 2)
    assert len(robot_server.requests) == 2


def test_it_does_not_post_to_a_robot_switched_off(robot_server, make_endpoint, make_delivery):
    delivery = make_delivery("wecom", endpoint=make_endpoint("wecom", is_active=False))

    deliver.call(delivery.pk)

    assert robot_server.requests == []
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_error) == (Delivery.State.FAILED, "the robot or webhook is switched off")


def test_it_requeues_a_delivery_whose_worker_died_mid_send(
    robot_server, make_endpoint, make_delivery, frozen_now, run_delivery_tasks
):
    endpoint = make_endpoint("wecom")
    orphan = make_delivery("wecom", endpoint=endpoint)
    waiting = make_delivery("wecom", endpoint=endpoint)
    delivery_enqueue(orphan)
    # The worker claimed the task and reserved the attempt, then was killed: RUNNING for ever.
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=timezone.now())
    Delivery.objects.filter(pk=orphan.pk).update(attempts=1, last_attempt_at=timezone.now())
    delivery_enqueue(waiting)  # its task is still to run: alive

    frozen_now.shift(timedelta(minutes=2))
    assert deliveries_requeue_stale() == 0  # a send takes seconds, but give the worker time
    frozen_now.shift(timedelta(minutes=4))
    # Both are well past their time: the orphan, and the waiting one whose worker is not running either.
    # Queuing the latter twice is harmless: only one of its tasks may use its attempt.
    assert deliveries_requeue_stale() == 2
    assert deliveries_requeue_stale() == 0
    run_delivery_tasks()

    orphan.refresh_from_db()
    assert (orphan.state, orphan.attempts) == (Delivery.State.SENT, 2)
    assert len(robot_server.requests) == 2  # the orphan and the waiting one, once each


# --- the robots' limit ----------------------------------------------------------------------------------


def test_it_delivers_30_messages_to_one_robot_but_never_more_than_20_in_a_minute(
    robot_server, make_endpoint, make_delivery, frozen_now, run_delivery_tasks
):
    endpoint = make_endpoint("wecom")
    deliveries = []
    # Thirty reminders within one minute, one every two seconds, the worker running all along.
    for _ in range(30):
        deliveries.append(make_delivery("wecom", endpoint=endpoint))
        delivery_enqueue(deliveries[-1])
        run_delivery_tasks()
        frozen_now.shift(timedelta(seconds=2))
    for _ in range(60):
        if not Delivery.objects.exclude(state=Delivery.State.SENT).exists():
            break
        run_delivery_tasks()
        frozen_now.shift(timedelta(seconds=2))

    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}
    titles = sorted(request.json["text"]["content"].split("\n")[0] for request in robot_server.requests)
    assert len(titles) == 30
    assert len(set(titles)) == 30  # each once
    arrivals = [request.arrived_at for request in robot_server.requests]
    assert _most_in_any_minute(arrivals) == 20
    # Queued, not dropped, and not held back longer than the limit requires.
    assert max(arrivals) - min(arrivals) < timedelta(seconds=90)


def test_it_counts_only_the_last_60_seconds_towards_the_limit(make_endpoint, make_delivery, frozen_now, settings):
    settings.ROBOT_MESSAGES_PER_MINUTE = 3
    endpoint = make_endpoint("wecom")
    now = timezone.now()
    for seconds_ago in (61, 60, 45, 10):
        make_delivery("wecom", endpoint=endpoint, last_attempt_at=now - timedelta(seconds=seconds_ago))

    # 60 s ago is out of the window, so 45 s and 10 s ago are the only ones in it.
    assert robot_next_slot(endpoint.pk, now) is None
    make_delivery("wecom", endpoint=endpoint, last_attempt_at=now)
    assert robot_next_slot(endpoint.pk, now) == now - timedelta(seconds=45) + timedelta(seconds=60)
    # Other robots and webhooks have their own count.
    assert robot_next_slot(make_endpoint("wecom").pk, now) is None


def test_it_queues_the_21st_request_for_when_a_slot_frees(robot_server, make_endpoint, make_delivery, frozen_now):
    endpoint = make_endpoint("dingtalk", "/robot/send?access_token=t")
    now = timezone.now()
    for seconds_ago in range(20):
        make_delivery("dingtalk", endpoint=endpoint, last_attempt_at=now - timedelta(seconds=seconds_ago))
    waiting = make_delivery("dingtalk", endpoint=endpoint)

    assert deliver.call(waiting.pk) == "skipped"

    assert robot_server.requests == []
    waiting.refresh_from_db()
    assert (waiting.state, waiting.attempts, waiting.last_attempt_at) == (Delivery.State.QUEUED, 0, None)
    [later] = _queued_tasks()
    assert later.run_after == now - timedelta(seconds=19) + timedelta(seconds=60)
    assert later.args_kwargs["kwargs"] == {"delivery_id": waiting.pk, "attempt": 0}


def test_it_does_not_limit_webhooks_or_email(robot_server, make_endpoint, make_delivery, frozen_now, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    endpoint = make_endpoint("webhook", "/hook")
    for _ in range(25):
        deliver.call(make_delivery("webhook", endpoint=endpoint).pk)
    assert len(robot_server.requests) == 25


def _send_in_own_process(delivery_ids, barrier, results) -> None:
    try:
        barrier.wait()
        results.put([deliver.call(delivery_id) for delivery_id in delivery_ids])
    except Exception as error:
        results.put(f"error: {error!r}")
    finally:
        connections.close_all()


def test_it_gives_the_last_slot_of_the_minute_to_only_one_of_two_workers(
    transactional_db, robot_server, make_endpoint, make_delivery, frozen_now, monkeypatch
):
    endpoint = make_endpoint("wecom")
    for _ in range(19):
        make_delivery("wecom", endpoint=endpoint, state=Delivery.State.SENT, attempts=1, last_attempt_at=timezone.now())
    ids = [make_delivery("wecom", endpoint=endpoint).pk for _ in range(10)]
    context = multiprocessing.get_context("fork")
    start, counted = context.Barrier(2), context.Barrier(2)
    real_next_slot = tasks.robot_next_slot

    def next_slot_then_wait_for_the_other(endpoint_id, now):
        # Each worker waits after counting until the other has counted too. Were the count not guarded,
        # both would see 19 and both take the twentieth slot; guarded, the other cannot count yet, the
        # wait times out, and the barrier stays broken (no more waiting).
        answer = real_next_slot(endpoint_id, now)
        with contextlib.suppress(threading.BrokenBarrierError):
            counted.wait(timeout=1)
        return answer

    monkeypatch.setattr("huiwu.notify.tasks.robot_next_slot", next_slot_then_wait_for_the_other)
    results = context.Queue()
    connections.close_all()  # each process opens its own connection
    processes = [context.Process(target=_send_in_own_process, args=(ids[half::2], start, results)) for half in (0, 1)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)

    assert all(isinstance(outcome, list) for outcome in outcomes), outcomes
    flat = [result for outcome in outcomes for result in outcome]
    assert (flat.count("sent"), flat.count("skipped")) == (1, 9), outcomes
    assert len(robot_server.requests) == 1
    # The other nine wait for the next minute, none dropped.
    waiting = set(Delivery.objects.filter(state=Delivery.State.QUEUED, attempts=0).values_list("pk", flat=True))
    queued_for = {task.args_kwargs["kwargs"]["delivery_id"]: task.run_after for task in _queued_tasks()}
    assert len(waiting) == 9
    assert set(queued_for) == waiting
    assert set(queued_for.values()) == {timezone.now() + timedelta(seconds=60)}


# --- administration -------------------------------------------------------------------------------------


@pytest.fixture
def failed_and_sent(make_endpoint, make_delivery):
    endpoint = make_endpoint("wecom")
    sent = make_delivery("wecom", endpoint=endpoint, state=Delivery.State.SENT, title="已送达的提醒")
    failed = make_delivery(
        "wecom",
        endpoint=endpoint,
        state=Delivery.State.FAILED,
        attempts=6,
        last_error="errcode 93000: invalid webhook url",
        title="送不出的提醒",
    )
    return failed, sent


def test_it_lists_failed_deliveries_first_in_admin_with_their_error(admin_client, failed_and_sent):
    page = admin_client.get("/admin/notify/delivery/").content.decode()
    assert page.index("送不出的提醒") < page.index("已送达的提醒")
    assert "errcode 93000: invalid webhook url" in page
    assert "已送达的提醒" not in admin_client.get("/admin/notify/delivery/?state__exact=failed").content.decode()
    assert admin_client.get("/admin/notify/delivery/?channel__exact=email").status_code == 200


def test_it_retries_failed_deliveries_from_admin(
    admin_client, failed_and_sent, robot_server, run_delivery_tasks, django_capture_on_commit_callbacks
):
    failed, sent = failed_and_sent
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/notify/delivery/", {"action": "retry_now", "_selected_action": [failed.pk, sent.pk]}, follow=True
        )
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 2, messages

    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (Delivery.State.QUEUED, 0)
    run_delivery_tasks()
    failed.refresh_from_db()
    assert failed.state == Delivery.State.SENT
    assert len(robot_server.requests) == 1  # the one that had been sent is left alone


def test_it_masks_robot_secrets_in_the_admin_list(admin_client, make_endpoint):
    make_endpoint("dingtalk", "/robot/send?access_token=t", secret="SEC0123456789abcdef")
    page = admin_client.get("/admin/notify/endpoint/").content.decode()
    assert "SEC0123456789abcdef" not in page
    assert "SEC••••••ef" in page


def test_it_lets_an_administrator_add_a_robot_with_roles_as_check_boxes(admin_client, db):
    from huiwu.notify.models import Endpoint

    form = admin_client.get("/admin/notify/endpoint/add/").content.decode()
    assert 'type="checkbox" name="roles" value="hotline"' in form
    response = admin_client.post(
        "/admin/notify/endpoint/add/",
        {
            "channel": "wecom",
            "name": "会务组群",
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            "secret": "",
            "roles": ["team_leader", "hotline"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Endpoint.objects.get().roles == ["team_leader", "hotline"]


def test_it_shows_deadlines_and_notifications_read_only_in_admin(admin_client, make_delivery):
    notification = make_delivery("email").notification
    assert admin_client.get(f"/admin/notify/notification/{notification.pk}/change/").status_code == 200
    assert admin_client.get("/admin/notify/notification/add/").status_code == 403
    assert admin_client.get("/admin/notify/deadline/").status_code == 200
    assert admin_client.get("/admin/notify/deadline/add/").status_code == 403


def test_it_keeps_a_survey_link_out_of_group_robots_and_webhooks(notify_recipient, make_endpoint, settings):
    from huiwu.notify.models import Delivery, Kind
    from huiwu.notify.services import notify_users

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    make_endpoint("wecom")
    make_endpoint("webhook", path="/hook")
    # The same notice of another kind reaches the robot and the webhook: only the survey's link stays personal.
    notify_users(recipients=[notify_recipient], kind=Kind.DELEGATION, title="请确认", body="", url="/delegations/1/")
    notify_users(recipients=[notify_recipient], kind=Kind.SURVEY, title="请评价", body="", url="/surveys/answer/x/")
    channels = {
        kind: sorted(Delivery.objects.filter(notification__kind=kind).values_list("channel", flat=True))
        for kind in (Kind.DELEGATION, Kind.SURVEY)
    }
    assert channels == {Kind.DELEGATION: ["email", "webhook", "wecom"], Kind.SURVEY: ["email"]}
