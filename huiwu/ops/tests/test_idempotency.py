import hashlib
import json
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.client import encode_multipart
from django.utils import timezone

from huiwu.lostfound import views as lostfound_views
from huiwu.lostfound.models import LostItem
from huiwu.lostfound.tests.test_pages import FORM  # a lost item registered through the form
from huiwu.meetings import services as meeting_services
from huiwu.meetings.models import Meeting
from huiwu.ops import middleware
from huiwu.ops.models import IdempotentRequest
from huiwu.ops.services import (
    Claimed,
    InProgress,
    Replay,
    idempotent_request_claim,
    idempotent_request_complete,
    idempotent_request_release,
    idempotent_requests_prune,
)
from huiwu.testing import NOW, login_as

KEY = "3f0c2a9e-booking-1"


@pytest.fixture
def attendant_client(attendant, room, frozen_now):
    client = Client()
    login_as(client, attendant)
    return client


def _register(client, key=KEY, **overrides):
    return client.post("/lost-and-found/new/", FORM | overrides, headers={"Idempotency-Key": key})


# --- the JSON API's booking --------------------------------------------------------------------------------


def test_it_books_once_for_a_retried_booking_and_answers_it_again(api, hotline, booking, frozen_now):
    first = api(hotline, "post", "/meetings", booking(), **{"Idempotency-Key": KEY})
    again = api(hotline, "post", "/meetings", booking(), **{"Idempotency-Key": KEY})
    assert Meeting.objects.count() == 1
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json; charset=utf-8"
    assert (first.get("Idempotent-Replayed"), again["Idempotent-Replayed"]) == (None, "true")


def test_it_refuses_the_same_key_for_another_booking(api, hotline, booking, frozen_now):
    api(hotline, "post", "/meetings", booking(), **{"Idempotency-Key": KEY})
    other = api(hotline, "post", "/meetings", booking(title="另一个会"), **{"Idempotency-Key": KEY})
    assert other.status_code == 422
    assert other.json() == {
        "code": "idempotency_key_reused",
        "message": "此 Idempotency-Key 已用于另一个请求。",
    }
    assert Meeting.objects.count() == 1


def test_it_answers_409_to_a_retry_while_the_first_is_still_being_answered(api, hotline, booking, monkeypatch):
    original = meeting_services.meeting_create
    during = []

    def slow(**kwargs):
        # The retry arrives while the first request is still in the view.
        during.append(api(hotline, "post", "/meetings", booking(), **{"Idempotency-Key": KEY}))
        return original(**kwargs)

    monkeypatch.setattr(meeting_services, "meeting_create", slow)
    with time_machine.travel(NOW, tick=False):
        first = api(hotline, "post", "/meetings", booking(), **{"Idempotency-Key": KEY})
    assert first.status_code == 201
    [retry] = during
    assert (retry.status_code, retry["Retry-After"], retry.json()["code"]) == (409, "1", "idempotency_key_in_progress")
    assert Meeting.objects.count() == 1


def test_it_keeps_keys_apart_per_caller(api, hotline, manager, booking, other_room, frozen_now):
    assert api(hotline, "post", "/meetings", booking(), **{"Idempotency-Key": KEY}).status_code == 201
    theirs = api(manager, "post", "/meetings", booking(room=other_room.code), **{"Idempotency-Key": KEY})
    assert (theirs.status_code, theirs.get("Idempotent-Replayed")) == (201, None)
    assert Meeting.objects.count() == 2


def test_it_releases_the_key_when_the_answer_is_a_server_error(api, hotline, booking, monkeypatch, frozen_now):
    original = meeting_services.meeting_create

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(meeting_services, "meeting_create", broken)
    assert api(hotline, "post", "/meetings", booking(), **{"Idempotency-Key": KEY}).status_code == 500
    assert not IdempotentRequest.objects.exists()
    monkeypatch.setattr(meeting_services, "meeting_create", original)
    retry = api(hotline, "post", "/meetings", booking(), **{"Idempotency-Key": KEY})
    assert (retry.status_code, retry.get("Idempotent-Replayed")) == (201, None)
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("key", ["", " ", "a b", "x" * 256, "é", "tab\there"])
def test_it_refuses_a_malformed_key_in_json_under_the_api(api, hotline, booking, frozen_now, key):
    response = api(hotline, "post", "/meetings", booking(), **{"Idempotency-Key": key, "Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "idempotency_key_invalid",
        "message": "The Idempotency-Key header must be 1 to 255 visible ASCII characters.",
    }
    assert not Meeting.objects.exists()


def test_it_takes_keys_of_1_and_255_visible_characters(api, hotline, booking, other_room, frozen_now):
    assert api(hotline, "post", "/meetings", booking(), **{"Idempotency-Key": "~"}).status_code == 201
    long_key = "!" + "k" * 254
    answer = api(hotline, "post", "/meetings", booking(room=other_room.code), **{"Idempotency-Key": long_key})
    assert answer.status_code == 201


# --- form posts -----------------------------------------------------------------------------------------


def test_it_registers_once_for_a_retried_form_and_replays_the_redirect(attendant_client):
    first = _register(attendant_client)
    again = _register(attendant_client)
    item = LostItem.objects.get()
    assert (first.status_code, first["Location"]) == (302, f"/lost-and-found/{item.pk}/")
    assert (again.status_code, again["Location"], again["Idempotent-Replayed"]) == (302, first["Location"], "true")
    assert not again.cookies


def test_it_refuses_a_malformed_key_in_plain_text_in_the_callers_language(attendant_client):
    chinese = _register(attendant_client, key="")
    assert (chinese.status_code, chinese["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert chinese.content.decode() == "Idempotency-Key 请求头须为 1 至 255 个可见 ASCII 字符。"
    english = attendant_client.post(
        "/lost-and-found/new/", FORM, headers={"Idempotency-Key": "", "Accept-Language": "en"}
    )
    assert english.content.decode() == "The Idempotency-Key header must be 1 to 255 visible ASCII characters."
    assert not LostItem.objects.exists()


def test_it_changes_nothing_for_posts_without_a_key_or_other_methods(attendant_client):
    attendant_client.post("/lost-and-found/new/", FORM)
    attendant_client.post("/lost-and-found/new/", FORM)
    attendant_client.get("/lost-and-found/", headers={"Idempotency-Key": KEY})
    assert LostItem.objects.count() == 2
    assert not IdempotentRequest.objects.exists()


def test_it_releases_the_key_of_a_post_refused_by_the_csrf_check(attendant, room, frozen_now):
    strict = Client(enforce_csrf_checks=True)
    login_as(strict, attendant)
    assert _register(strict).status_code == 403
    assert not IdempotentRequest.objects.exists()
    strict.get("/lost-and-found/new/")
    answer = _register(strict, csrfmiddlewaretoken=strict.cookies["csrftoken"].value)
    assert answer.status_code == 302
    assert LostItem.objects.count() == 1


def test_it_releases_the_key_when_the_view_fails(attendant, room, frozen_now, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(lostfound_views, "lost_item_register", broken)
    client = Client(raise_request_exception=False)
    login_as(client, attendant)
    assert _register(client).status_code == 500
    assert not IdempotentRequest.objects.exists()


def _claim_back_in_progress(seconds_ago: float) -> None:
    """Make the stored answer a claim still being answered, taken `seconds_ago`."""
    IdempotentRequest.objects.update(completed_at=None, claimed_at=timezone.now() - timedelta(seconds=seconds_ago))


def test_it_takes_over_a_claim_older_than_a_request_may_last(attendant_client, settings):
    settings.WEB_TIMEOUT_SECONDS = 60
    _register(attendant_client)
    _claim_back_in_progress(69)
    busy = _register(attendant_client)
    assert (busy.status_code, busy["Retry-After"]) == (409, "1")
    assert busy.content.decode() == "使用此 Idempotency-Key 的请求仍在处理中，请稍后重试。"
    _claim_back_in_progress(70)
    taken = _register(attendant_client)
    assert (taken.status_code, taken.get("Idempotent-Replayed")) == (302, None)
    assert LostItem.objects.count() == 2
    row = IdempotentRequest.objects.get()
    assert (row.completed_at, row.claimed_at, row.location) == (timezone.now(), timezone.now(), taken["Location"])


def test_it_leaves_a_claim_taken_over_to_the_server_that_took_it(db, settings):
    settings.WEB_TIMEOUT_SECONDS = 60
    now = timezone.now()
    crashed = idempotent_request_claim(scope="user:1", key=KEY, fingerprint="f", now=now)
    later = now + timedelta(seconds=70)
    taker = idempotent_request_claim(scope="user:1", key=KEY, fingerprint="f", now=later)
    assert isinstance(taker, Claimed)
    assert taker.pk == crashed.pk
    # The first server comes back after all: neither its answer nor its failure touches the new claim.
    idempotent_request_complete(claim=crashed, status_code=201, content_type="text/plain", location="", body=b"old")
    idempotent_request_release(claim=crashed)
    row = IdempotentRequest.objects.get()
    assert (row.claimed_at, row.completed_at) == (later, None)
    idempotent_request_complete(claim=taker, status_code=201, content_type="text/plain", location="", body=b"new")
    replay = idempotent_request_claim(scope="user:1", key=KEY, fingerprint="f", now=later)
    assert replay == Replay(201, "text/plain", "", b"new")


def test_it_answers_in_progress_when_the_key_was_released_between_insert_and_read(db, monkeypatch):
    def taken(**fields):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(IdempotentRequest.objects, "create", taken)
    assert isinstance(idempotent_request_claim(scope="user:1", key=KEY, fingerprint="f"), InProgress)


def test_it_forgets_a_key_as_old_as_idempotency_key_hours(attendant_client, attendant, settings, frozen_now):
    settings.IDEMPOTENCY_KEY_HOURS = 24
    # Still signed in a day later: the key's caller stays the same.
    settings.SESSION_COOKIE_AGE = 7 * 24 * 3600
    login_as(attendant_client, attendant)
    _register(attendant_client)
    frozen_now.shift(timedelta(hours=24) - timedelta(seconds=1))
    assert _register(attendant_client)["Idempotent-Replayed"] == "true"
    frozen_now.shift(timedelta(seconds=1))
    anew = _register(attendant_client, notes="第二天")
    assert (anew.status_code, anew.get("Idempotent-Replayed")) == (302, None)
    assert LostItem.objects.count() == 2
    assert IdempotentRequest.objects.get().created_at == timezone.now()


def test_it_prunes_keys_from_idempotency_key_hours_on(db, settings):
    settings.IDEMPOTENCY_KEY_HOURS = 24
    now = timezone.now()
    for key, age in [
        ("before", timedelta(hours=24) - timedelta(seconds=1)),
        ("at", timedelta(hours=24)),
        ("after", timedelta(hours=24, seconds=1)),
    ]:
        IdempotentRequest.objects.create(
            scope="user:1", key=key, fingerprint="f", created_at=now - age, claimed_at=now - age
        )
    assert idempotent_requests_prune(now=now) == 2
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["before"]


# --- the middleware's parts -------------------------------------------------------------------------------


def _request(request, user=None):
    """A request as the middleware meets it: after authentication."""
    request.user = user or AnonymousUser()
    return request


def test_it_scopes_keys_by_session_user_then_token_then_address(attendant):
    factory = RequestFactory()
    signed_in = _request(factory.post("/x"), user=attendant)
    assert middleware._scope(signed_in) == f"user:{attendant.pk}"
    token = _request(factory.post("/x", headers={"Authorization": "Bearer hw_secret"}))
    assert middleware._scope(token) == "token:" + hashlib.sha256(b"Bearer hw_secret").hexdigest()
    anonymous = _request(factory.post("/x", REMOTE_ADDR="10.0.0.7"))
    assert middleware._scope(anonymous) == "anon:10.0.0.7"


def test_it_fingerprints_a_multipart_form_by_its_fields_not_its_boundary():
    factory = RequestFactory()

    def sent(boundary, content=b"receipt"):
        data = {"kind": "receipt", "file": SimpleUploadedFile("r.jpg", content)}
        body = encode_multipart(boundary, data)
        return factory.post("/x", body, content_type=f"multipart/form-data; boundary={boundary}")

    assert middleware._fingerprint(sent("one")) == middleware._fingerprint(sent("two"))
    assert middleware._fingerprint(sent("one")) != middleware._fingerprint(sent("one", b"other receipt"))


def test_it_fingerprints_the_method_the_full_path_and_the_body():
    factory = RequestFactory()

    def sent(path="/x?a=1", body=None):
        return factory.post(path, json.dumps(body or {"a": 1}), content_type="application/json")

    assert middleware._fingerprint(sent()) == middleware._fingerprint(sent())
    assert middleware._fingerprint(sent()) != middleware._fingerprint(sent("/x?a=2"))
    assert middleware._fingerprint(sent()) != middleware._fingerprint(sent(body={"a": 2}))


@pytest.mark.parametrize(("size", "kept"), [(middleware.MAX_KEPT_BODY, True), (middleware.MAX_KEPT_BODY + 1, False)])
def test_it_replays_an_answer_too_large_to_keep_as_its_status_and_location(db, size, kept):
    def view(request):
        return HttpResponse(b"x" * size, status=201, headers={"Location": "/made/7/"}, content_type="text/csv")

    handler = middleware.IdempotencyMiddleware(view)
    request = _request(RequestFactory().post("/x", headers={"Idempotency-Key": KEY}))
    assert handler(request).status_code == 201
    again = handler(_request(RequestFactory().post("/x", headers={"Idempotency-Key": KEY})))
    assert (again.status_code, again["Location"], again["Idempotent-Replayed"]) == (201, "/made/7/", "true")
    assert (len(again.content) == size, again["Content-Type"] == "text/csv") == (kept, kept)


def test_it_releases_the_key_when_an_exception_escapes(db):
    def view(request):
        raise SystemExit("worker aborted")

    handler = middleware.IdempotencyMiddleware(view)
    with pytest.raises(SystemExit):
        handler(_request(RequestFactory().post("/x", headers={"Idempotency-Key": KEY})))
    assert not IdempotentRequest.objects.exists()
