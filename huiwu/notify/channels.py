"""Sending one Delivery on its channel: e-mail, a WeCom or DingTalk group robot, or a generic JSON webhook.

Each sender either returns (the message was accepted) or raises `DeliveryError`; the task in `tasks.py`
records the failure and retries. Robots and webhooks are posted to with the standard library and a short
timeout, at whatever URL the endpoint row gives (private deployments such as 政务微信 have their own host).
"""

import base64
import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.utils import timezone

from huiwu.lib.i18n import site_language
from huiwu.notify.models import Channel, Delivery

TIMEOUT_SECONDS = 5
# WeCom refuses a text longer than 2048 bytes (UTF-8); DingTalk gets the same cap.
ROBOT_TEXT_MAX_BYTES = 2048
# How much of a reply is kept to explain a failure.
_REPLY_EXCERPT = 200


class DeliveryError(Exception):
    """The message was not accepted. `permanent`: trying again cannot help (e.g. no e-mail address)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def absolute_url(path: str) -> str:
    """The link back into Huiwu: SITE_ROOT plus the notification's path (the start page if it has none)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_ROOT.rstrip("/") + "/" + path.lstrip("/")


def _headline(delivery: Delivery) -> str:
    """ "【提醒】title": the event in the site's language (robots and mail have no user session), then the title."""
    notification = delivery.notification
    with site_language():
        event = str(notification.get_event_display())
    return f"【{event}】" + " ".join(_external(notification)[0].split())


def _external(notification) -> tuple[str, str]:
    """(title, body) as they may leave Huiwu: a confidential meeting's are replaced by its busy block."""
    if notification.external_title:
        return notification.external_title, ""
    return notification.title, notification.body


def _truncate_utf8(text: str, max_bytes: int) -> str:
    if len(text.encode()) <= max_bytes:
        return text
    ellipsis = "…"
    budget = max_bytes - len(ellipsis.encode())
    if budget <= 0:
        return ""
    return text.encode()[:budget].decode(errors="ignore").rstrip() + ellipsis


def robot_text(delivery: Delivery, *, suffix: str = "", max_bytes: int = ROBOT_TEXT_MAX_BYTES) -> str:
    """Headline, body and link on three lines (and `suffix`), shortened to `max_bytes`: the body gives way
    first, then the headline; the link always stays whole."""
    notification = delivery.notification
    link = absolute_url(notification.url)
    tail = "\n" + link + (("\n" + suffix) if suffix else "")
    budget = max_bytes - len(tail.encode())
    headline = _truncate_utf8(_headline(delivery), max(budget, 0))
    body = _external(notification)[1].strip()
    if body:
        room = budget - len(headline.encode()) - 1  # the newline before the body
        body = _truncate_utf8(body, room) if room > 0 else ""
    return "\n".join(part for part in (headline, body) if part) + tail


# --- HTTP ---------------------------------------------------------------------------------------------


def _post_json(url: str, payload: dict) -> tuple[int, bytes]:
    """POST `payload` as UTF-8 JSON; returns (status, body) of a 2xx answer, raises DeliveryError otherwise."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise DeliveryError(f"not an http(s) URL: {url[:100]}", permanent=True)
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 -- the scheme is checked above
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 -- checked above
            return response.status, response.read(64 * 1024)
    except urllib.error.HTTPError as error:
        excerpt = error.read(_REPLY_EXCERPT).decode(errors="replace") if error.fp else ""
        raise DeliveryError(f"HTTP {error.code} {error.reason}: {excerpt}".strip().rstrip(":")) from error
    except urllib.error.URLError as error:
        raise DeliveryError(f"cannot reach {_host(url)}: {error.reason}") from error
    except TimeoutError as error:
        raise DeliveryError(f"{_host(url)} timed out after {TIMEOUT_SECONDS} s") from error
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryError(f"{_host(url)}: {type(error).__name__}: {error}") from error


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc


def _check_errcode(body: bytes) -> None:
    """WeCom and DingTalk answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; anything else is a refusal."""
    try:
        reply = json.loads(body)
    except ValueError:
        reply = None
    if not isinstance(reply, dict) or "errcode" not in reply:
        raise DeliveryError("unexpected reply: " + body[:_REPLY_EXCERPT].decode(errors="replace"))
    if reply["errcode"] != 0:
        raise DeliveryError(f"errcode {reply['errcode']}: {reply.get('errmsg', '')}"[:500])


def _endpoint_url(delivery: Delivery) -> str:
    if delivery.endpoint is None:
        raise DeliveryError("no robot or webhook given", permanent=True)
    return delivery.endpoint.url


# --- the channels -------------------------------------------------------------------------------------


def send_email(delivery: Delivery) -> None:
    notification = delivery.notification
    address = notification.recipient.email
    if not address:
        raise DeliveryError("the recipient has no e-mail address", permanent=True)
    body = _external(notification)[1].strip()
    message = (body + "\n\n" if body else "") + absolute_url(notification.url) + "\n"
    # Django waits for ever on a silent mail server unless told otherwise.
    connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 10)
    try:
        send_mail(_headline(delivery), message, None, [address], connection=connection)
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryError(f"mail server: {type(error).__name__}: {error}") from error


def send_wecom(delivery: Delivery) -> None:
    """WeCom (企业微信) group robot: a text message, @-mentioning people by their phone numbers."""
    payload = {
        "msgtype": "text",
        "text": {"content": robot_text(delivery), "mentioned_mobile_list": list(delivery.mentions)},
    }
    _status, body = _post_json(_endpoint_url(delivery), payload)
    _check_errcode(body)


def dingtalk_signed_url(url: str, secret: str, *, timestamp_ms: int | None = None) -> str:
    """A DingTalk robot URL with the `timestamp` and `sign` of its "加签" security setting appended."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else round(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if urllib.parse.urlsplit(url).query else ("" if url.endswith("?") else "?")
    return f"{url}{separator}timestamp={timestamp}&sign={sign}"


def send_dingtalk(delivery: Delivery) -> None:
    """DingTalk (钉钉) group robot: a text message, signed when the endpoint has a secret. A phone number is
    @-mentioned only when it also appears in the text, so the mentions end the text."""
    url = _endpoint_url(delivery)
    if delivery.endpoint.secret:
        url = dingtalk_signed_url(url, delivery.endpoint.secret)
    mentions = list(delivery.mentions)
    payload = {
        "msgtype": "text",
        "text": {"content": robot_text(delivery, suffix=" ".join(f"@{phone}" for phone in mentions))},
        "at": {"atMobiles": mentions, "isAtAll": False},
    }
    _status, body = _post_json(url, payload)
    _check_errcode(body)


def send_webhook(delivery: Delivery) -> None:
    """A generic JSON webhook: any 2xx answer is success."""
    notification = delivery.notification
    title, body = _external(notification)
    payload = {
        "kind": notification.kind,
        "event": notification.event,
        "title": title,
        "body": body,
        "url": absolute_url(notification.url),
        "mentions": list(delivery.mentions),
        "sent_at": timezone.now().isoformat(),
    }
    _post_json(_endpoint_url(delivery), payload)


def send(delivery: Delivery) -> None:
    """Send one delivery on its channel; raises DeliveryError when it was not accepted."""
    senders = {
        Channel.EMAIL: send_email,
        Channel.WECOM: send_wecom,
        Channel.DINGTALK: send_dingtalk,
        Channel.WEBHOOK: send_webhook,
    }
    sender = senders.get(delivery.channel)
    if sender is None:
        raise DeliveryError(f"unknown channel {delivery.channel!r}", permanent=True)
    sender(delivery)
