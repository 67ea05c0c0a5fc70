"""Reads of the surveys shared by the pages, the API, the today page and the reports. Callers pass querysets
already limited by access.py, or a meeting already fetched through it; each read costs a fixed number of
queries however many invitations and answers there are."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    TextChoices,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.directory.models import Contact
from huiwu.meetings.models import ACTIVE_STATUSES, MAX_DURATION, Meeting, Status
from huiwu.meetings.selectors import day_bounds
from huiwu.surveys.access import ANSWERED, CANCELLED, EXPIRED, can_view_results, invitation_state
from huiwu.surveys.models import SurveyAnswer, SurveyInvitation

ASPECTS = SurveyAnswer.ASPECTS


def aspect_label(aspect: str) -> str:
    return str(SurveyAnswer._meta.get_field(aspect).verbose_name)


def low_q(prefix: str = "") -> Q:
    """Answers with any score at or below SurveyAnswer.LOW_SCORE (each opened a follow-up)."""
    low = Q()
    for aspect in ASPECTS:
        low |= Q(**{f"{prefix}{aspect}__lte": SurveyAnswer.LOW_SCORE})
    return low


def is_low(answer: SurveyAnswer) -> bool:
    return answer.lowest <= SurveyAnswer.LOW_SCORE


def low_aspects(answer: SurveyAnswer) -> list[str]:
    return [aspect for aspect in ASPECTS if getattr(answer, aspect) <= SurveyAnswer.LOW_SCORE]


@dataclass(frozen=True)
class Score:
    aspect: str
    label: str
    value: int

    @property
    def low(self) -> bool:
        return self.value <= SurveyAnswer.LOW_SCORE

    @property
    def satisfied(self) -> bool:
        return self.value >= SurveyAnswer.SATISFIED_FROM


def score_rows(answer: SurveyAnswer) -> list[Score]:
    """The answer's scores in the order of the form, each with its label, for the pages."""
    return [Score(aspect, aspect_label(aspect), getattr(answer, aspect)) for aspect in ASPECTS]


# --- the monthly figure ---------------------------------------------------------------------------------


@dataclass
class MonthFigure:
    month: date  # its first day
    answers: int
    satisfied: int  # overall score from SurveyAnswer.SATISFIED_FROM on
    low: int  # answers with any score at or below SurveyAnswer.LOW_SCORE
    averages: dict[str, float | None]

    @property
    def rate(self) -> float | None:
        """The satisfaction rate: the share of answers with an overall 4 or 5 (None without answers)."""
        return self.satisfied / self.answers if self.answers else None

    @property
    def percent(self) -> str:
        """The rate as the pages show it, e.g. "87.5%"; empty without answers."""
        rate = self.rate
        return "" if rate is None else f"{rate * 100:.1f}%"

    @property
    def average_rows(self) -> list[tuple[str, str, float | None]]:
        return [(aspect, aspect_label(aspect), self.averages.get(aspect)) for aspect in ASPECTS]


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (before, when negative) the month of `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def satisfaction_by_month(
    *, date_from: date, date_to: date, answers: QuerySet[SurveyAnswer] | None = None
) -> list[MonthFigure]:
    """Per month (in Asia/Shanghai) of the answers given from `date_from` to `date_to` inclusive — of `answers`
    when given (the reports narrow them to an organizer, a room), else all —: how many, how many satisfied, how
    many low, and each aspect's average. Every month of the span is listed, those without answers too (rate
    None). One query."""
    start, end = day_bounds(date_from)[0], day_bounds(date_to)[1]
    averages = {f"average_{aspect}": Avg(aspect) for aspect in ASPECTS}
    answers = SurveyAnswer.objects.all() if answers is None else answers
    rows = (
        answers.filter(answered_at__gte=start, answered_at__lt=end)
        .annotate(month=TruncMonth("answered_at", output_field=DateField(), tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("month")
        .annotate(
            answers=Count("pk"),
            satisfied=Count("pk", filter=Q(overall__gte=SurveyAnswer.SATISFIED_FROM)),
            low=Count("pk", filter=low_q()),
            **averages,
        )
        .order_by("month")
    )
    by_month = {row["month"]: row for row in rows}
    figures = []
    for month in _months(date_from, date_to):
        row = by_month.get(month)
        if row is None:
            figures.append(MonthFigure(month, 0, 0, 0, dict.fromkeys(ASPECTS)))
            continue
        figures.append(
            MonthFigure(
                month=month,
                answers=row["answers"],
                satisfied=row["satisfied"],
                low=row["low"],
                averages={aspect: round(row[f"average_{aspect}"], 2) for aspect in ASPECTS},
            )
        )
    return figures


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of the month and of the next, in Asia/Shanghai."""
    return day_bounds(month.replace(day=1))[0], day_bounds(add_months(month, 1))[0]


def last_months(today: date, count: int) -> tuple[date, date]:
    """(the first day of the month `count` − 1 months before today's, today): the span of the results page."""
    return add_months(today, 1 - count), today


# --- answers --------------------------------------------------------------------------------------------


def answers_filtered(
    answers: QuerySet[SurveyAnswer], *, month: date | None = None, low: bool = False, meeting_id: int | None = None
) -> QuerySet[SurveyAnswer]:
    """Answers of `month` (Asia/Shanghai), only the low ones when `low`, of one meeting; newest first."""
    if month is not None:
        start, end = month_bounds(month)
        answers = answers.filter(answered_at__gte=start, answered_at__lt=end)
    if low:
        answers = answers.filter(low_q())
    if meeting_id is not None:
        answers = answers.filter(meeting_id=meeting_id)
    return answers.order_by("-answered_at", "-id")


# --- invitations ----------------------------------------------------------------------------------------


class InvitationState(TextChoices):
    """Where an invitation stands, as staff and the client read it."""

    NOT_SENT = "not_sent", _("Link not sent yet")
    OPEN = "open", _("Waiting for the rating")
    ANSWERED = "answered", _("Rated")
    EXPIRED = "expired", _("Link expired")
    CANCELLED = "cancelled", _("Meeting cancelled")


# The states in which the contact may still rate (a signed-in client needs no link).
ANSWERABLE = (InvitationState.OPEN, InvitationState.NOT_SENT)

_STATE_OF_REFUSAL = {
    ANSWERED.code: InvitationState.ANSWERED,
    CANCELLED.code: InvitationState.CANCELLED,
    EXPIRED.code: InvitationState.EXPIRED,
}


def state_of(invitation: SurveyInvitation, now: datetime | None = None) -> InvitationState:
    refusal = invitation_state(invitation, now=now)
    if refusal is not None:
        return _STATE_OF_REFUSAL[refusal.code]
    # The worker makes no link for a contact it cannot reach (no account): staff send one by hand.
    return InvitationState.NOT_SENT if not invitation.nonce_digest else InvitationState.OPEN


def open_invitations(invitations: QuerySet[SurveyInvitation], now: datetime) -> QuerySet[SurveyInvitation]:
    """Those still waiting for their answer: not answered, not expired, of a meeting not called off."""
    return invitations.filter(answered_at__isnull=True, expires_at__gt=now, meeting__status__in=ACTIVE_STATUSES)


@dataclass
class MeetingSurvey:
    """What a meeting's page shows of its survey: for staff every invitation with its answer and the averages,
    for a client their own invitation."""

    meeting: Meeting
    for_staff: bool
    invitations: list[SurveyInvitation]
    averages: dict[str, float | None] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        return sum(1 for invitation in self.invitations if invitation.state == InvitationState.ANSWERED)

    @property
    def low(self) -> bool:
        return any(invitation.answer_or_none and is_low(invitation.answer_or_none) for invitation in self.invitations)

    @property
    def average_rows(self) -> list[tuple[str, str, float | None]]:
        return [(aspect, aspect_label(aspect), self.averages.get(aspect)) for aspect in ASPECTS]

    @property
    def own(self) -> SurveyInvitation | None:
        """The client's invitation (for_staff False)."""
        return None if self.for_staff else self.invitations[0]


def _with_state(invitations: list[SurveyInvitation], now: datetime) -> list[SurveyInvitation]:
    for invitation in invitations:
        invitation.state = state_of(invitation, now)
        # The reverse one-to-one raises when there is no answer; the templates want None.
        invitation.answer_or_none = getattr(invitation, "answer", None) if invitation.answered_at else None
        invitation.scores = score_rows(invitation.answer_or_none) if invitation.answer_or_none else []
        # The hotline's follow-up of a low score (feedback.FollowUp), when there is one.
        invitation.follow_up = getattr(invitation.answer_or_none, "follow_up", None)
    return invitations


def meeting_survey_for(user: User, meeting: Meeting) -> MeetingSurvey | None:
    """The survey of a meeting the user may see (fetched through meetings.access), as the user may read it:
    staff with the results, every invitation; a client, their own; anyone else (or a client not invited),
    None. One query."""
    now = timezone.now()
    client_account = Group.objects.filter(user=OuterRef("contact__user_id"), name=Role.CLIENT.value)
    invitations = (
        meeting.survey_invitations.select_related("contact__user", "answer__follow_up")
        .annotate(
            reachable=ExpressionWrapper(
                Q(contact__user__is_active=True) & Exists(client_account), output_field=BooleanField()
            )
        )
        .order_by("contact__name", "id")
    )
    if can_view_results(user):
        rows = _with_state(list(invitations), now)
        answers = [row.answer_or_none for row in rows if row.answer_or_none]
        averages = {
            aspect: (round(sum(getattr(a, aspect) for a in answers) / len(answers), 2) if answers else None)
            for aspect in ASPECTS
        }
        return MeetingSurvey(meeting=meeting, for_staff=True, invitations=rows, averages=averages)
    if user.is_authenticated and user.is_active and user.has_role(Role.CLIENT):
        own = _with_state(list(invitations.filter(contact__user=user)[:1]), now)
        return MeetingSurvey(meeting=meeting, for_staff=False, invitations=own) if own else None
    return None


# --- the worker's question ------------------------------------------------------------------------------

# A meeting whose start was recorded but not its end may be running late: it is taken as over this long
# after its planned end, unless its end is recorded sooner.
RUNNING_LATE = timedelta(hours=2)


def meetings_to_survey(now: datetime) -> QuerySet[Meeting]:
    """Confirmed meetings that ended within the last SURVEY_LINK_DAYS days and whose contacts have not been
    invited yet (nor can be: a meeting with nobody to invite is left out). A meeting ended when the service
    recorded its end; when nobody recorded its start, at its planned end; started but not ended, at its
    planned end + RUNNING_LATE. One query, by the start index (a meeting lasts at most MAX_DURATION)."""
    window = timedelta(days=settings.SURVEY_LINK_DAYS)
    not_started = Q(service__isnull=True, end__lte=now, end__gt=now - window)
    started = (
        Q(service__isnull=False)
        & (Q(service__ended_at__lte=now) | Q(end__lte=now - RUNNING_LATE))
        & (Q(service__ended_at__isnull=True) | Q(service__ended_at__gt=now - window))
        & Q(end__gt=now - window - RUNNING_LATE)
    )
    with_account = Contact.objects.filter(
        organization_id=OuterRef("organizer_id"), user__is_active=True, user__groups__name=Role.CLIENT.value
    )
    return (
        Meeting.objects.filter(
            status=Status.CONFIRMED,
            start__gt=now - window - RUNNING_LATE - MAX_DURATION,
            start__lt=now,
        )
        .filter(not_started | started)
        .filter(Q(contact__isnull=False) | Exists(with_account))
        .exclude(Exists(SurveyInvitation.objects.filter(meeting_id=OuterRef("pk"))))
    )


def survey_invitees(meetings: list[Meeting]) -> dict[int, list[tuple[Contact, User | None]]]:
    """meeting id → the contacts to invite, each with the account their inbox is reached at (None: none): the
    meeting's own contact, and its organizer's contacts with an active client account. One query (the
    meetings' own contacts come with them, select_related), and one more for a meeting's contact of another
    organization."""
    organizers = {meeting.organizer_id for meeting in meetings}
    with_account: dict[int, list[Contact]] = {}
    for contact in (
        Contact.objects.filter(
            organization_id__in=organizers, user__is_active=True, user__groups__name=Role.CLIENT.value
        )
        .select_related("user")
        .order_by("name", "pk")
        .distinct()
    ):
        with_account.setdefault(contact.organization_id, []).append(contact)
    invitees = {}
    for meeting in meetings:
        contacts = {contact.pk: (contact, contact.user) for contact in with_account.get(meeting.organizer_id, [])}
        if meeting.contact is not None and meeting.contact.pk not in contacts:
            contacts[meeting.contact.pk] = (meeting.contact, reachable_account(meeting.contact))
        invitees[meeting.pk] = list(contacts.values())
    return invitees


def reachable_account(contact: Contact) -> User | None:
    """The contact's own account when the inbox reaches them (active, a client): None otherwise."""
    user = contact.user
    if user is None or not user.is_active or not user.has_role(Role.CLIENT):
        return None
    return user
