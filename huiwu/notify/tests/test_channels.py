"""Each channel against a real HTTP server on 127.0.0.1 (or Django's in-memory mail box): the payloads have
the documented shapes, DingTalk's signature verifies, and a refusal is an error."""

import base64
import hashlib
import hmac
import urllib.parse
from datetime import datetime

import pytest
from django.core import mail

from huiwu.notify.channels import ROBOT_TEXT_MAX_BYTES, DeliveryError, dingtalk_signed_url, send
from huiwu.notify.models import Delivery
from huiwu.notify.tasks import deliver

SITE = "https://huiwu.example.gov.cn"


@pytest.fixture(autouse=True)
def _site_root(settings):
    settings.SITE_ROOT = SITE + "/"


def test_it_posts_the_documented_wecom_payload(robot_server, make_endpoint, make_delivery, frozen_now):
    endpoint = make_endpoint("wecom", "/cgi-bin/webhook/send?key=693a91f6")
    delivery = make_delivery(
        "wecom", endpoint=endpoint, title="会议提醒：周例会", mentions=["13800000001", "13900000002"]
    )

    assert deliver.call(delivery.pk) == "sent"

    [request] = robot_server.requests
    assert request.path == "/cgi-bin/webhook/send"
    assert request.query == {"key": ["693a91f6"]}
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    payload = request.json
    assert payload == {
        "msgtype": "text",
        "text": {"content": payload["text"]["content"], "mentioned_mobile_list": ["13800000001", "13900000002"]},
    }
    headline, body, link = payload["text"]["content"].split("\n")
    assert headline.startswith("【")
    assert headline.endswith("】会议提醒：周例会")
    assert body == "请提前30分钟布置会场。"
    assert link == f"{SITE}/meetings/12/"
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.sent_at == datetime.fromisoformat("2026-11-26 08:00+08:00")
    assert delivery.attempts == 1


def test_it_signs_dingtalk_posts_so_that_the_signature_verifies(robot_server, make_endpoint, make_delivery, frozen_now):
    secret = "SEC1c9b7e3f0a2d4b6c8e1f3a5b7d9c0e2f4a6b8d0c2e4f6a8b0d2c4e6f8a0b2c4e6"
    endpoint = make_endpoint("dingtalk", "/robot/send?access_token=4f1c2e", secret=secret)
    delivery = make_delivery("dingtalk", endpoint=endpoint, mentions=["13800000001"])

    assert deliver.call(delivery.pk) == "sent"

    [request] = robot_server.requests
    assert request.path == "/robot/send"
    assert set(request.query) == {"access_token", "timestamp", "sign"}
    assert request.query["access_token"] == ["4f1c2e"]
    timestamp = request.query["timestamp"][0]
    assert int(timestamp) == int(datetime.fromisoformat("2026-11-26 08:00+08:00").timestamp() * 1000)
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert request.query["sign"] == [expected]
    # The signature travels URL-encoded (base64 has "+", "/" and "=").
    assert f"sign={urllib.parse.quote_plus(expected)}" in request.raw_query
    payload = request.json
    assert payload == {
        "msgtype": "text",
        "text": {"content": payload["text"]["content"]},
        "at": {"atMobiles": ["13800000001"], "isAtAll": False},
    }
    content = payload["text"]["content"]
    assert f"{SITE}/meetings/12/" in content
    # DingTalk highlights an @-mention only if the phone number is in the text too.
    assert content.endswith("\n@13800000001")


def test_it_starts_the_dingtalk_query_when_the_url_has_none(robot_server, make_endpoint, make_delivery, frozen_now):
    endpoint = make_endpoint("dingtalk", "/robot/send", secret="SECabc")
    deliver.call(make_delivery("dingtalk", endpoint=endpoint).pk)

    [request] = robot_server.requests
    assert request.path == "/robot/send"
    assert set(request.query) == {"timestamp", "sign"}
    assert dingtalk_signed_url("http://h/robot/send?", "s", timestamp_ms=1).startswith(
        "http://h/robot/send?timestamp=1&"
    )


def test_it_posts_to_dingtalk_unsigned_when_there_is_no_secret(robot_server, make_endpoint, make_delivery):
    endpoint = make_endpoint("dingtalk", "/robot/send?access_token=abc")
    deliver.call(make_delivery("dingtalk", endpoint=endpoint).pk)

    [request] = robot_server.requests
    assert request.query == {"access_token": ["abc"]}


def test_it_posts_the_webhook_json_shape(robot_server, make_endpoint, make_delivery, frozen_now):
    endpoint = make_endpoint("webhook", "/hooks/huiwu")
    delivery = make_delivery(
        "webhook", endpoint=endpoint, title="会议提醒：周例会", event="escalation", mentions=["13800000001"]
    )
    robot_server.reply(204, b"")

    assert deliver.call(delivery.pk) == "sent"

    [request] = robot_server.requests
    assert request.path == "/hooks/huiwu"
    assert request.json == {
        "kind": "meeting_reminder",
        "event": "escalation",
        "title": "会议提醒：周例会",
        "body": "请提前30分钟布置会场。",
        "url": f"{SITE}/meetings/12/",
        "mentions": ["13800000001"],
        "sent_at": "2026-11-26T00:00:00+00:00",
    }
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


def test_it_takes_a_webhook_answer_as_success_whatever_its_body(robot_server, make_endpoint, make_delivery):
    endpoint = make_endpoint("webhook", "/hooks/huiwu")
    robot_server.reply(202, b"<html>accepted</html>")
    delivery = make_delivery("webhook", endpoint=endpoint)

    send(delivery)  # no DeliveryError: any 2xx will do

    robot_server.reply(404, b"no such hook")
    with pytest.raises(DeliveryError, match="HTTP 404"):
        send(delivery)


@pytest.mark.parametrize("channel", ["wecom", "dingtalk"])
def test_it_refuses_a_robot_answer_with_a_nonzero_errcode(robot_server, make_endpoint, make_delivery, channel):
    delivery = make_delivery(channel, endpoint=make_endpoint(channel))
    robot_server.reply(200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    with pytest.raises(DeliveryError, match="errcode 93000: invalid webhook url"):
        send(delivery)
    robot_server.reply(200, b"<html>proxy login</html>")
    with pytest.raises(DeliveryError, match="unexpected reply"):
        send(delivery)


def test_it_shortens_a_long_robot_text_but_keeps_the_link_whole(robot_server, make_endpoint, make_delivery):
    endpoint = make_endpoint("wecom")
    url = "/meetings/12/?" + "x" * 150
    delivery = make_delivery("wecom", endpoint=endpoint, title="标" * 200, body="会" * 500, url=url)

    send(delivery)

    content = robot_server.requests[0].json["text"]["content"]
    assert len(content.encode()) <= ROBOT_TEXT_MAX_BYTES
    assert content.endswith("\n" + SITE + url)
    headline, body, _link = content.split("\n")
    assert headline.endswith("标" * 200)
    assert body.startswith("会" * 100)
    assert body.endswith("…")


def test_it_gives_up_on_a_robot_that_does_not_answer_in_time(robot_server, make_endpoint, make_delivery, monkeypatch):
    monkeypatch.setattr("huiwu.notify.channels.TIMEOUT_SECONDS", 0.2)
    robot_server.delay_seconds = 1
    with pytest.raises(DeliveryError, match="timed out"):
        send(make_delivery("wecom", endpoint=make_endpoint("wecom")))


def test_it_reports_a_robot_host_that_cannot_be_reached(make_endpoint, make_delivery):
    endpoint = make_endpoint("wecom", url="http://127.0.0.1:9/cgi-bin/webhook/send?key=k")
    with pytest.raises(DeliveryError, match=r"cannot reach 127\.0\.0\.1:9"):
        send(make_delivery("wecom", endpoint=endpoint))


def test_it_emails_the_recipient_with_a_link_back(settings, make_delivery, notify_recipient, frozen_now):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    delivery = make_delivery("email", title="会议提醒：周例会", body="请提前30分钟布置会场。", mentions=[])

    assert deliver.call(delivery.pk) == "sent"

    [message] = mail.outbox
    assert message.to == ["hotline@huiwu.example"]
    assert message.subject.startswith("【")
    assert message.subject.endswith("】会议提醒：周例会")
    assert message.body == f"请提前30分钟布置会场。\n\n{SITE}/meetings/12/\n"
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


def test_it_fails_an_email_to_a_recipient_without_an_address_at_once(settings, make_delivery, notify_recipient):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notify_recipient.email = ""
    notify_recipient.save(update_fields=["email"])
    delivery = make_delivery("email", mentions=[])

    assert deliver.call(delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (
        Delivery.State.FAILED,
        1,
        "the recipient has no e-mail address",
    )
    assert mail.outbox == []
