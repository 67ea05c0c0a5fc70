"""The satisfaction survey over JSON: the monthly figures and the answers (staff), a meeting's survey, a new
link, and the link itself — read and answered without authentication, the token being the credential.

A meeting the caller may not see answers 404 like one that does not exist, and so does its survey. A survey
link that never was (forged, tampered, cut short) answers 404 `link_invalid`; one that was and no longer takes
an answer answers 410: `link_replaced` (a newer link was sent), `already_answered`, `link_expired` or
`meeting_cancelled`. Times are ISO 8601 with +08:00.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from huiwu.lib.api import (
    Date,
    DateTime,
    ErrorOut,
    Id,
    InputSchema,
    InvalidOut,
    Page,
    PageIn,
    answers_validation_errors,
    errors_answered,
    one_of,
    validation_error_body,
)
from huiwu.meetings.describe import CONFIDENTIAL_LABEL
from huiwu.meetings.models import Meeting
from huiwu.surveys import services
from huiwu.surveys.access import (
    REFUSALS,
    LinkRefused,
    Refusal,
    answers_visible_to,
    get_invitation_for_token,
    get_invitation_to_renew,
    get_meeting_survey_for_user,
    invitation_state,
    require_results_reader,
)
from huiwu.surveys.models import SurveyAnswer, SurveyInvitation
from huiwu.surveys.selectors import (
    ASPECTS,
    InvitationState,
    add_months,
    answers_filtered,
    is_low,
    last_months,
    meeting_survey_for,
    satisfaction_by_month,
    state_of,
)
from huiwu.surveys.services import COMMENT_MAX_LENGTH

router = Router(tags=["surveys"])

# The longest span of GET /surveys/monthly: ten years of months.
MAX_MONTHS = 120
# The operations of the link need no credentials: they answer neither 401 nor 403.
_LINK_ERRORS = {404: ErrorOut, 410: ErrorOut}


# --- output -------------------------------------------------------------------------------------------


class SurveyRoomOut(Schema):
    code: str
    name: str


class SurveyMeetingOut(Schema):
    id: int
    title: str
    start: DateTime
    end: DateTime
    room: SurveyRoomOut


class ScoresOut(Schema):
    venue: int = Field(description="会场布置, 1 (very dissatisfied) to 5 (very satisfied)")
    tea: int = Field(description="茶水服务")
    equipment: int = Field(description="设备保障")
    attitude: int = Field(description="服务态度")
    overall: int = Field(description="总体; 4 and 5 count as satisfied")


class AveragesOut(Schema):
    venue: float | None
    tea: float | None
    equipment: float | None
    attitude: float | None
    overall: float | None


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM, in Asia/Shanghai")
    answers: int
    satisfied: int = Field(description="Answers with an overall score of 4 or 5")
    rate: float | None = Field(description="The satisfaction rate: satisfied / answers, 0–1; null without answers")
    low: int = Field(description="Answers with any score of 2 or lower (each opened a follow-up)")
    averages: AveragesOut

    @staticmethod
    def resolve_month(figure) -> str:
        return f"{figure.month:%Y-%m}"


class SurveyContactOut(Schema):
    id: int
    name: str


class SurveyAnswerOut(Schema):
    id: int
    meeting: SurveyMeetingOut
    contact: SurveyContactOut
    scores: ScoresOut
    comment: str
    low: bool = Field(description="Some score is 2 or lower: a follow-up was opened for the hotline")
    answered_at: DateTime

    @staticmethod
    def resolve_contact(answer: SurveyAnswer):
        return answer.invitation.contact

    @staticmethod
    def resolve_scores(answer: SurveyAnswer) -> dict:
        return {aspect: getattr(answer, aspect) for aspect in ASPECTS}

    @staticmethod
    def resolve_low(answer: SurveyAnswer) -> bool:
        return is_low(answer)


class SurveyAnswerPageOut(Page[SurveyAnswerOut]):
    pass


class InvitationAnswerOut(Schema):
    scores: ScoresOut
    comment: str
    low: bool
    answered_at: DateTime


class InvitationOut(Schema):
    id: int
    contact: SurveyContactOut
    has_account: bool = Field(description="The contact's inbox receives the link; without, staff send it by hand")
    state: one_of(InvitationState) = Field(
        description="not_sent (no link yet: the contact has no account), open, answered, expired, cancelled"
    )
    sent_at: DateTime
    expires_at: DateTime
    answered_at: DateTime | None
    answer: InvitationAnswerOut | None = Field(description="Staff only; a client reads their own")

    @staticmethod
    def resolve_has_account(invitation: SurveyInvitation) -> bool:
        return bool(invitation.reachable)

    @staticmethod
    def resolve_answer(invitation: SurveyInvitation) -> dict | None:
        answer = invitation.answer_or_none
        if answer is None:
            return None
        scores = {aspect: getattr(answer, aspect) for aspect in ASPECTS}
        return {"scores": scores, "comment": answer.comment, "low": is_low(answer), "answered_at": answer.answered_at}


class MeetingSurveyOut(Schema):
    meeting: SurveyMeetingOut
    invitations: list[InvitationOut] = Field(description="Staff: every contact invited; a client: their own")
    answered: int
    averages: AveragesOut | None = Field(description="Staff only: each aspect's average over the answers")


class RenewOut(Schema):
    link: str = Field(description="The new link, to send by hand; shown once (only its digest is kept)")
    invitation: InvitationOut


class LinkMeetingOut(Schema):
    title: str
    start: DateTime
    end: DateTime
    room: str | None = Field(description="The room's name; null for a confidential meeting")


class LinkOut(Schema):
    meeting: LinkMeetingOut
    contact: str = Field(description="The invited contact's name")
    state: one_of(InvitationState) = Field(description="open, answered, expired or cancelled")
    open: bool = Field(description="Whether the link still takes an answer")
    expires_at: DateTime


class AnsweredOut(Schema):
    scores: ScoresOut
    comment: str
    low: bool = Field(description="Some score is 2 or lower: the hotline will call the contact back")
    answered_at: DateTime


# --- input --------------------------------------------------------------------------------------------


class MonthlyIn(InputSchema):
    date_from: Date | None = Field(None, description="Default: the first day of the month 11 months ago")
    date_to: Date | None = Field(None, description="Default: today; at most 120 months after date_from")


class AnswerListIn(PageIn):
    meeting: Id | None = Field(None, description="Only this meeting's answers")
    low: bool = Field(False, description="Only answers with some score of 2 or lower")


class AnswerIn(InputSchema):
    venue: int = Field(ge=1, le=5, description="会场布置, 1 (very dissatisfied) to 5 (very satisfied)")
    tea: int = Field(ge=1, le=5, description="茶水服务")
    equipment: int = Field(ge=1, le=5, description="设备保障")
    attitude: int = Field(ge=1, le=5, description="服务态度")
    overall: int = Field(ge=1, le=5, description="总体")
    comment: str = Field("", max_length=COMMENT_MAX_LENGTH)


# --- helpers ------------------------------------------------------------------------------------------


def _meeting(meeting: Meeting) -> dict:
    return {"id": meeting.pk, "title": meeting.title, "start": meeting.start, "end": meeting.end, "room": meeting.room}


def _survey(survey) -> dict:
    return {
        "meeting": _meeting(survey.meeting),
        "invitations": survey.invitations,
        "answered": survey.answered,
        "averages": survey.averages if survey.for_staff else None,
    }


def _refused(refusal: Refusal) -> Reply:
    return Reply(refusal.status, {"code": refusal.code, "message": str(refusal.title)})


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/surveys/monthly",
    response={200: list[MonthOut], **errors_answered(422)},
    summary="The satisfaction rate per month (Asia/Shanghai): answers, satisfied, low, each aspect's average",
)
@answers_validation_errors()
def surveys_monthly(request: HttpRequest, filters: Query[MonthlyIn]):
    require_results_reader(request.user)
    first, today = last_months(timezone.localdate(), 12)
    date_from, date_to = filters.date_from or first, filters.date_to or today
    if date_from > date_to:
        raise ValidationError({"date_to": _("The end cannot be before the start.")})
    if add_months(date_from, MAX_MONTHS) <= date_to:
        raise ValidationError({"date_to": _("Ask for at most %(count)d months at once.") % {"count": MAX_MONTHS}})
    return satisfaction_by_month(date_from=date_from, date_to=date_to)


@router.get(
    "/survey-answers",
    response={200: SurveyAnswerPageOut, **errors_answered(422)},
    summary="The answers of the meetings the caller may see, newest first; low=true for the low ones",
)
def survey_answers(request: HttpRequest, filters: Query[AnswerListIn]):
    require_results_reader(request.user)
    found = answers_filtered(answers_visible_to(request.user), low=filters.low, meeting_id=filters.meeting)
    page = found[filters.offset : filters.offset + filters.limit]
    return {"count": found.count(), "limit": filters.limit, "offset": filters.offset, "items": list(page)}


@router.get(
    "/meetings/{meeting_id}/survey",
    response={200: MeetingSurveyOut, **errors_answered(404, 422)},
    summary="A meeting's survey: staff read every invitation with its answer, a client their own invitation",
)
def meeting_survey(request: HttpRequest, meeting_id: int):
    meeting = get_meeting_survey_for_user(request.user, meeting_id)
    return _survey(meeting_survey_for(request.user, meeting))


@router.post(
    "/survey-invitations/{invitation_id}/renew",
    response={200: RenewOut, **errors_answered(404, 422)},
    summary="A new link for an invitation, to send by hand (the old link stops working); for an unanswered "
    "invitation of a meeting not cancelled",
)
@answers_validation_errors()
def survey_invitation_renew(request: HttpRequest, invitation_id: int):
    invitation = get_invitation_to_renew(request.user, invitation_id)
    link = services.survey_link_renew(user=request.user, invitation=invitation)
    survey = meeting_survey_for(request.user, get_meeting_survey_for_user(request.user, invitation.meeting_id))
    [fresh] = [row for row in survey.invitations if row.pk == invitation.pk]
    return {"link": link, "invitation": fresh}


@router.get(
    "/surveys/answer/{survey_token}",
    auth=None,
    response={200: LinkOut, **_LINK_ERRORS, 422: InvalidOut},
    summary="What a survey link is about (no authentication: the token is the credential): the meeting, "
    "whether it still takes an answer",
)
def survey_link(request: HttpRequest, survey_token: str):
    try:
        invitation = get_invitation_for_token(survey_token, open_only=False)
    except LinkRefused as refused:
        return _refused(refused.refusal)
    meeting = invitation.meeting
    state = state_of(invitation)
    return {
        # The link is easily forwarded: a confidential meeting is named by its busy block only.
        "meeting": {
            "title": str(CONFIDENTIAL_LABEL) if meeting.is_confidential else meeting.title,
            "start": meeting.start,
            "end": meeting.end,
            "room": meeting.room.name,
        },
        "contact": invitation.contact.name,
        "state": state,
        "open": invitation_state(invitation) is None,
        "expires_at": invitation.expires_at,
    }


@router.post(
    "/surveys/answer/{survey_token}",
    auth=None,
    response={201: AnsweredOut, **_LINK_ERRORS, 400: ErrorOut, 422: InvalidOut},
    summary="Answer a survey through its link (no authentication): five scores 1–5 and a comment; once per "
    "meeting and contact. A score of 2 or lower opens a follow-up for the hotline",
)
def survey_link_answer(request: HttpRequest, survey_token: str, payload: AnswerIn):
    try:
        invitation = get_invitation_for_token(survey_token)
    except LinkRefused as refused:
        return _refused(refused.refusal)
    try:
        answer = services.survey_answer(invitation=invitation, **payload.model_dump())
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return Reply(422, validation_error_body(error))
        return _refused(REFUSALS[error.code])
    return Reply(
        201,
        {
            "scores": {aspect: getattr(answer, aspect) for aspect in ASPECTS},
            "comment": answer.comment,
            "low": is_low(answer),
            "answered_at": answer.answered_at,
        },
    )
