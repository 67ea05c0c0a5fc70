"""Who may see and do what with the satisfaction surveys, and what a survey link is worth. Every page, API call
and notification goes through these.

Staff who handle feedback (`surveys.view_surveyanswer`: managers, team leaders, the hotline) read the invitations
and answers of the meetings they may see; a client contact reads only their own invitations (their directory
contact's), of their own organization's meetings. A confidential meeting hides its survey from whoever may not
see the meeting (`meetings_visible_to`): 404, and left out of every list.

A survey link carries a signed token naming the invitation and a random nonce; only the nonce's SHA-256 digest is
stored. The link is the credential of a contact answering on a phone without signing in, so reading it refuses
every link that is not the invitation's current, open one — forged, replaced by a new link, used, expired, or
of a meeting called off — each with its own reason.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role, RoleRequired
from huiwu.lib.params import MAX_ID
from huiwu.meetings.access import get_meeting_for_user, meetings_visible_to
from huiwu.meetings.models import ACTIVE_STATUSES, Meeting
from huiwu.surveys.models import SurveyAnswer, SurveyInvitation

RESULTS_PERMISSION = "surveys.view_surveyanswer"

# The token's signature is of this app alone: no other signed value of Huiwu passes for a survey link.
TOKEN_SALT = "huiwu.surveys.answer"  # noqa: S105 -- a namespace for the signature, not a secret
# A real token is about 110 characters; anything far longer is refused before it is decoded.
TOKEN_MAX_LENGTH = 300


# --- staff and clients ----------------------------------------------------------------------------------


def can_view_results(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(RESULTS_PERMISSION)


def require_results_reader(user: User) -> None:
    if not can_view_results(user):
        raise RoleRequired.holding(RESULTS_PERMISSION)


def _is_client(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(Role.CLIENT)


def invitations_visible_to(user: User) -> QuerySet[SurveyInvitation]:
    """Staff: every invitation of a meeting they may see. A client: their own (their directory contact's)."""
    invitations = SurveyInvitation.objects.select_related("meeting__room", "contact__user")
    if can_view_results(user):
        return invitations.filter(meeting__in=meetings_visible_to(user))
    if _is_client(user):
        return invitations.filter(contact__user=user, meeting__in=meetings_visible_to(user))
    return invitations.none()


def answers_visible_to(user: User) -> QuerySet[SurveyAnswer]:
    """The answers staff may read: those of the meetings they may see. Clients read only their own, on their
    invitation (invitations_visible_to)."""
    answers = SurveyAnswer.objects.select_related("meeting__room", "invitation__contact")
    if not can_view_results(user):
        return answers.none()
    return answers.filter(meeting__in=meetings_visible_to(user))


def get_invitation_for_user(user: User, invitation_id: int) -> SurveyInvitation:
    if not 1 <= invitation_id <= MAX_ID:
        raise Http404
    try:
        return invitations_visible_to(user).get(pk=invitation_id)
    except SurveyInvitation.DoesNotExist:
        raise Http404 from None


def get_invitation_to_renew(user: User, invitation_id: int) -> SurveyInvitation:
    """An invitation whose link staff send again: 404 as get_invitation_for_user, then 403 for a client."""
    invitation = get_invitation_for_user(user, invitation_id)
    require_results_reader(user)
    return invitation


def get_meeting_survey_for_user(user: User, meeting_id: int) -> Meeting:
    """A meeting whose survey the user reads: 404 when they may not see the meeting (or, a client, when they
    were not invited to rate it), 403 for staff without the results."""
    meeting = get_meeting_for_user(user, meeting_id)
    if can_view_results(user):
        return meeting
    if _is_client(user):
        if not invitations_visible_to(user).filter(meeting=meeting).exists():
            raise Http404
        return meeting
    raise RoleRequired.holding(RESULTS_PERMISSION)


def get_invitation_to_answer(user: User, meeting_id: int) -> SurveyInvitation:
    """A signed-in client's own invitation to rate a meeting (404 for anyone else, staff included: staff do
    not answer for a client)."""
    if not _is_client(user):
        raise Http404
    meeting = get_meeting_for_user(user, meeting_id)
    own = SurveyInvitation.objects.select_related("meeting__room", "contact__user").filter(meeting=meeting)
    invitation = own.filter(contact__user=user).first()
    if invitation is None:
        raise Http404
    return invitation


# --- the link -------------------------------------------------------------------------------------------


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def nonce_digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def survey_token(invitation_id: int, nonce: str) -> str:
    return signing.dumps({"i": invitation_id, "n": nonce}, salt=TOKEN_SALT)


def survey_path(invitation_id: int, nonce: str) -> str:
    """The link's path, /surveys/answer/<token>/ (well under the 200 characters a notification keeps)."""
    return reverse("surveys:answer", args=[survey_token(invitation_id, nonce)])


@dataclass(frozen=True)
class Refusal:
    """Why a link takes no answer: its code (API), its status (404 for a link that never was, 410 for one
    that was and no longer answers), a short title and what to do about it."""

    code: str
    status: int
    title: Promise
    detail: Promise

    @property
    def explanation(self) -> str:
        return str(self.detail) % {"days": settings.SURVEY_LINK_DAYS}


INVALID = Refusal(
    "link_invalid",
    404,
    _("This link is not valid"),
    _("Check that the whole link was copied, or ask the service hotline to send a new one."),
)
REPLACED = Refusal(
    "link_replaced",
    410,
    _("This link no longer works"),
    _("A newer link was sent for this survey: please use that one."),
)
ANSWERED = Refusal(
    "already_answered",
    410,
    _("You have already rated this meeting. Thank you!"),
    _("Each contact rates a meeting once."),
)
EXPIRED = Refusal(
    "link_expired",
    410,
    _("This link has expired"),
    _("A survey link works for %(days)d days after it is sent."),
)
CANCELLED = Refusal(
    "meeting_cancelled",
    410,
    _("This meeting was cancelled"),
    _("There is nothing to rate."),
)


REFUSALS = {refusal.code: refusal for refusal in (INVALID, REPLACED, ANSWERED, EXPIRED, CANCELLED)}


class LinkRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.code)
        self.refusal = refusal


def _payload(token: str) -> tuple[int, str]:
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise LinkRefused(INVALID)
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
    except (signing.BadSignature, ValueError):
        raise LinkRefused(INVALID) from None
    invitation_id = payload.get("i") if isinstance(payload, dict) else None
    nonce = payload.get("n") if isinstance(payload, dict) else None
    # Only a token of ours has a valid signature; the shape is checked all the same (a key once leaked).
    if type(invitation_id) is not int or not 1 <= invitation_id <= MAX_ID or not isinstance(nonce, str):
        raise LinkRefused(INVALID)
    return invitation_id, nonce


def invitation_state(invitation: SurveyInvitation, *, now=None) -> Refusal | None:
    """Why the invitation no longer takes an answer (answered, meeting called off, expired), or None."""
    now = now or timezone.now()
    if invitation.answered_at is not None:
        return ANSWERED
    if invitation.meeting.status not in ACTIVE_STATUSES:
        return CANCELLED
    if now >= invitation.expires_at:
        return EXPIRED
    return None


def get_invitation_for_token(token: str, *, open_only: bool = True) -> SurveyInvitation:
    """The invitation a survey link names, or LinkRefused: forged or tampered (INVALID), replaced by a newer
    link (REPLACED) and, when `open_only`, answered, of a meeting called off, or expired."""
    invitation_id, nonce = _payload(token)
    invitation = SurveyInvitation.objects.select_related("meeting__room", "contact__user").filter(pk=invitation_id)
    invitation = invitation.first()
    if invitation is None:
        raise LinkRefused(INVALID)
    if not hmac.compare_digest(invitation.nonce_digest, nonce_digest(nonce)):
        raise LinkRefused(REPLACED)
    if open_only and (refusal := invitation_state(invitation)) is not None:
        raise LinkRefused(refusal)
    return invitation
