"""The survey link: signed, naming its invitation and a random nonce of which only the digest is kept. It takes
one answer, expires SURVEY_LINK_DAYS (7) days after it was sent, dies when a newer link replaces it, and no link
can be made up or altered."""

from datetime import timedelta

import pytest
from django.core import signing

from huiwu.meetings.services import meeting_cancel
from huiwu.surveys.access import (
    ANSWERED,
    CANCELLED,
    EXPIRED,
    INVALID,
    REPLACED,
    TOKEN_SALT,
    LinkRefused,
    get_invitation_for_token,
    nonce_digest,
    survey_token,
)
from huiwu.surveys.services import survey_link_renew
from huiwu.testing import at


def _token(link: str) -> str:
    return link.removeprefix("/surveys/answer/").removesuffix("/")


def _refusal(token: str):
    with pytest.raises(LinkRefused) as refused:
        get_invitation_for_token(token)
    return refused.value.refusal


def test_it_finds_the_invitation_its_link_names(invitation, link):
    assert get_invitation_for_token(_token(link)) == invitation


def test_it_keeps_only_the_digest_of_the_nonce(invitation, link):
    payload = signing.loads(_token(link), salt=TOKEN_SALT)
    assert payload["i"] == invitation.pk
    assert invitation.nonce_digest == nonce_digest(payload["n"])
    assert payload["n"] not in invitation.nonce_digest
    assert len(payload["n"]) >= 32  # secrets.token_urlsafe(24): 192 random bits


def test_it_keeps_the_link_short_enough_for_a_notification(link):
    assert link.startswith("/surveys/answer/")
    assert len(link) < 200
    assert len("/surveys/answer/" + survey_token(2**63 - 1, "x" * 32) + "/") < 200


@pytest.mark.parametrize(
    "token",
    [
        "x",
        "",
        "eyJpIjoxfQ:1abc:def",
        "a" * 400,
        # Signed with another salt: a value another part of Huiwu might sign is no survey link.
        signing.dumps({"i": 1, "n": "nonce"}, salt="huiwu.other"),
        signing.dumps({"i": 1, "n": "nonce"}, salt=TOKEN_SALT, key="another-secret-key-" * 3),
    ],
)
def test_it_refuses_a_forged_token(invitation, token):
    assert _refusal(token) == INVALID


def test_it_refuses_a_tampered_token(invitation, link):
    token = _token(link)
    payload, signature = token.rsplit(":", 1)
    forged = signing.dumps({"i": invitation.pk + 1, "n": "x"}, salt=TOKEN_SALT).rsplit(":", 1)[0]
    assert _refusal(f"{forged}:{signature}") == INVALID
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    assert _refusal(f"{payload}:{flipped}") == INVALID


def test_it_refuses_a_well_signed_token_of_the_wrong_shape(invitation):
    for payload in ({"i": True, "n": "x"}, {"i": "1", "n": "x"}, {"i": 0, "n": "x"}, [1, "x"], {"i": invitation.pk}):
        assert _refusal(signing.dumps(payload, salt=TOKEN_SALT)) == INVALID


def test_it_refuses_a_token_of_an_invitation_that_does_not_exist(invitation):
    assert _refusal(survey_token(invitation.pk + 1000, "nonce")) == INVALID


def test_it_refuses_a_guessed_nonce_for_a_real_invitation(invitation):
    assert _refusal(survey_token(invitation.pk, "guessed-nonce")) == REPLACED


@pytest.mark.parametrize(
    ("shift", "refused"), [(timedelta(minutes=-1), False), (timedelta(0), True), (timedelta(minutes=1), True)]
)
def test_it_expires_the_link_seven_days_after_it_was_sent(invitation, link, frozen_now, shift, refused):
    assert invitation.sent_at == at("2026-11-26 10:30")
    assert invitation.expires_at == at("2026-12-03 10:30")
    frozen_now.move_to(at("2026-12-03 10:30") + shift)
    if refused:
        assert _refusal(_token(link)) == EXPIRED
    else:
        assert get_invitation_for_token(_token(link)) == invitation


def test_it_follows_the_setting_for_how_long_a_link_works(meeting, contact, client_contact, frozen_now, settings):
    from huiwu.surveys.services import surveys_send_due

    settings.SURVEY_LINK_DAYS = 3
    frozen_now.move_to(at("2026-11-26 10:30"))
    surveys_send_due()
    link = client_contact.notifications.get(kind="survey").url
    frozen_now.move_to(at("2026-11-29 10:29"))
    get_invitation_for_token(_token(link))
    frozen_now.move_to(at("2026-11-29 10:30"))
    assert _refusal(_token(link)) == EXPIRED


def test_it_refuses_a_used_link(invitation, link, answer_with):
    answer_with(invitation)
    assert _refusal(_token(link)) == ANSWERED


def test_it_refuses_the_old_link_once_a_new_one_was_sent(invitation, link, hotline):
    new = survey_link_renew(user=hotline, invitation=invitation)
    assert _refusal(_token(link)) == REPLACED
    assert get_invitation_for_token(_token(new.removeprefix("http://127.0.0.1:8000"))) == invitation


def test_it_refuses_the_link_of_a_cancelled_meeting(invitation, link, hotline):
    meeting_cancel(user=hotline, meeting=invitation.meeting, reason="领导临时出差")
    assert _refusal(_token(link)) == CANCELLED
