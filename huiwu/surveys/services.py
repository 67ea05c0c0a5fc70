"""Writes of the satisfaction survey: the invitations the worker sends when a meeting has ended, a new link
sent by hand, and the answer.

Rules fail with ValidationError in the user's language and save nothing: a score or the comment with the
field it concerns; an invitation that takes no answer (already answered, expired, meeting cancelled) as a
whole, with the code of its refusal (access.Refusal). Pages and the API both call these.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.directory.models import Contact
from huiwu.feedback.models import FollowUp
from huiwu.feedback.services import follow_up_open
from huiwu.lib.i18n import site_language
from huiwu.lib.text import UNSAFE_CHARACTERS_MESSAGE, has_unsafe_characters
from huiwu.meetings.access import audit_meeting
from huiwu.meetings.describe import meeting_busy_describe, meeting_describe
from huiwu.meetings.models import ACTIVE_STATUSES, Meeting
from huiwu.notify.channels import absolute_url
from huiwu.notify.models import Kind, Notification
from huiwu.notify.services import notification_read, notify_users
from huiwu.security.models import AuditEntry
from huiwu.surveys.access import (
    ANSWERED,
    CANCELLED,
    invitation_state,
    new_nonce,
    nonce_digest,
    require_results_reader,
    survey_path,
)
from huiwu.surveys.models import SurveyAnswer, SurveyInvitation
from huiwu.surveys.selectors import (
    aspect_label,
    low_aspects,
    meetings_to_survey,
    reachable_account,
    survey_invitees,
)

COMMENT_MAX_LENGTH = 2000
# Meetings invited per pass of the worker: a backlog (the worker was down) is worked off a batch at a time.
BATCH = 50


def _link_days() -> timedelta:
    return timedelta(days=settings.SURVEY_LINK_DAYS)


def _until(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'MONTH_DAY_FORMAT')} {local:%H:%M}"


def _named(meeting: Meeting) -> str:
    """The meeting as texts name it: a confidential one by its busy block (its title stays on its pages)."""
    return meeting_busy_describe(meeting) if meeting.is_confidential else meeting_describe(meeting)


def _tell(user: User, invitation: SurveyInvitation, nonce: str) -> None:
    """The contact's inbox entry, whose link is the survey link itself."""
    meeting = invitation.meeting
    with site_language():
        title = _("Please rate the meeting: %(meeting)s") % {"meeting": meeting_describe(meeting)}
        body = _("Five questions, each from 1 to 5, and a comment if you wish. The link works until %(until)s.") % {
            "until": _until(invitation.expires_at)
        }
    notify_users(
        recipients=[user],
        kind=Kind.SURVEY,
        title=title,
        body=body,
        url=survey_path(invitation.pk, nonce),
        meeting=meeting,
    )


def _inbox_done(user: User | None, meeting: Meeting) -> None:
    """The contact's survey entries about the meeting are read: answered, or replaced by a newer link, they ask
    nothing more of them."""
    if user is None:
        return
    unread = Notification.objects.filter(recipient=user, kind=Kind.SURVEY, meeting=meeting, read_at__isnull=True)
    for notification in unread:
        notification_read(notification=notification)


# --- invitations --------------------------------------------------------------------------------------


def _invite(meeting: Meeting, contacts: list[tuple[Contact, User | None]], now: datetime) -> int:
    """One invitation per contact, and the inbox entry of each contact with an account. A contact the inbox
    cannot reach gets no link yet (an empty digest: no token can match it) until staff send one by hand."""
    nonces: dict[str, tuple[str, User]] = {}
    rows = []
    for contact, user in contacts:
        digest = ""
        if user is not None:
            nonce = new_nonce()
            digest = nonce_digest(nonce)
            nonces[digest] = (nonce, user)
        rows.append(
            SurveyInvitation(
                meeting=meeting, contact=contact, nonce_digest=digest, sent_at=now, expires_at=now + _link_days()
            )
        )
    with transaction.atomic():
        # Another worker may be inviting the same meeting: the unique (meeting, contact) keeps one row each, and
        # the rows this call wrote are those holding its own random digests, the only ones it notifies.
        SurveyInvitation.objects.bulk_create(rows, ignore_conflicts=True)
        mine = list(SurveyInvitation.objects.filter(meeting=meeting, nonce_digest__in=list(nonces)))
        for invitation in mine:
            invitation.meeting = meeting
            nonce, user = nonces[invitation.nonce_digest]
            _tell(user, invitation, nonce)
    return len(mine)


def surveys_send_due(*, now: datetime | None = None) -> int:
    """Invite the contacts of every meeting that ended within the last SURVEY_LINK_DAYS days and was not
    invited yet (run by `huiwu worker` each pass: one indexed query when none is due). Returns how many
    contacts were told in their inbox."""
    now = now or timezone.now()
    meetings = list(
        meetings_to_survey(now).select_related("contact__user", "room", "organizer").order_by("start", "pk")[:BATCH]
    )
    if not meetings:
        return 0
    invitees = survey_invitees(meetings)
    return sum(_invite(meeting, invitees[meeting.pk], now) for meeting in meetings)


def _refuse(refusal) -> ValidationError:
    return ValidationError(str(refusal.title), code=refusal.code)


def survey_link_renew(*, user: User, invitation: SurveyInvitation) -> str:
    """A new link for the invitation, to send by hand (WeCom, SMS) to a contact without an account, or again to
    one who lost theirs: a new nonce, so the old link no longer works, valid SURVEY_LINK_DAYS days from now. A
    contact with an account finds it in their inbox too. Returns the whole link (SITE_ROOT). Refused for an
    invitation already answered or of a cancelled meeting."""
    require_results_reader(user)
    nonce = new_nonce()
    now = timezone.now()
    with transaction.atomic():
        locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        locked.meeting = Meeting.objects.select_related("room").get(pk=locked.meeting_id)
        if locked.answered_at is not None:
            raise _refuse(ANSWERED)
        if locked.meeting.status not in ACTIVE_STATUSES:
            raise _refuse(CANCELLED)
        locked.nonce_digest = nonce_digest(nonce)
        locked.sent_at = now
        locked.expires_at = now + _link_days()
        locked.save(update_fields=["nonce_digest", "sent_at", "expires_at"])
        account = reachable_account(invitation.contact)
        if account is not None:
            _inbox_done(account, locked.meeting)
            _tell(account, locked, nonce)
    if locked.meeting.is_confidential:
        audit_meeting(user, locked.meeting, AuditEntry.Action.CHANGE)
    for name in ("nonce_digest", "sent_at", "expires_at"):
        setattr(invitation, name, getattr(locked, name))
    return absolute_url(survey_path(locked.pk, nonce))


# --- the answer ---------------------------------------------------------------------------------------


def _scores_checked(scores: dict[str, object], errors: dict[str, str]) -> None:
    for aspect, value in scores.items():
        # True is no score, although Python's bool is an int.
        if type(value) is not int or not 1 <= value <= 5:
            errors[aspect] = _("Choose a score from 1 to 5.")


def _comment_checked(comment: str, errors: dict[str, str]) -> str:
    comment = (comment or "").strip()
    if has_unsafe_characters(comment):
        errors["comment"] = str(UNSAFE_CHARACTERS_MESSAGE)
    elif len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = _("At most %(limit)d characters.") % {"limit": COMMENT_MAX_LENGTH}
    return comment


def _follow_up(answer: SurveyAnswer, invitation: SurveyInvitation) -> None:
    """A score at or below LOW_SCORE: the hotline calls the client back (a follow-up, not a complaint)."""
    meeting = invitation.meeting
    with site_language():
        scores = _(", ").join(
            _("%(aspect)s %(score)d") % {"aspect": aspect_label(aspect), "score": getattr(answer, aspect)}
            for aspect in low_aspects(answer)
        )
        summary = _("Low satisfaction scores from %(contact)s (%(scores)s): %(meeting)s") % {
            "contact": invitation.contact.name,
            "scores": scores,
            "meeting": _named(meeting),
        }
    follow_up_open(
        source=FollowUp.Source.LOW_SCORE,
        summary=summary[:200],
        client_note=answer.comment,
        meeting=meeting,
        organization=meeting.organizer,
        answer=answer,
    )


def survey_answer(
    *,
    invitation: SurveyInvitation,
    venue: int,
    tea: int,
    equipment: int,
    attitude: int,
    overall: int,
    comment: str = "",
) -> SurveyAnswer:
    """Record the contact's answer: five scores from 1 to 5 and a comment. The invitation is used up in the
    same transaction, by a compare-and-set on its answered_at, so that a double submit answers once. Any
    score at or below SurveyAnswer.LOW_SCORE opens a follow-up for the hotline."""
    scores = {"venue": venue, "tea": tea, "equipment": equipment, "attitude": attitude, "overall": overall}
    errors: dict[str, str] = {}
    _scores_checked(scores, errors)
    comment = _comment_checked(comment, errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        claimed = SurveyInvitation.objects.filter(
            pk=invitation.pk,
            answered_at__isnull=True,
            expires_at__gt=now,
            meeting__status__in=ACTIVE_STATUSES,
        ).update(answered_at=now)
        if not claimed:
            current = SurveyInvitation.objects.select_related("meeting").get(pk=invitation.pk)
            raise _refuse(invitation_state(current, now=now) or ANSWERED)
        answer = SurveyAnswer.objects.create(
            invitation_id=invitation.pk, meeting_id=invitation.meeting_id, comment=comment, answered_at=now, **scores
        )
        invitation.answered_at = now
        if answer.lowest <= SurveyAnswer.LOW_SCORE:
            _follow_up(answer, invitation)
        _inbox_done(invitation.contact.user, invitation.meeting)
    if invitation.meeting.is_confidential:
        audit_meeting(invitation.contact.user, invitation.meeting, AuditEntry.Action.CHANGE)
    return answer
