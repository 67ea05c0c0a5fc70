"""Reads shared by the pages, the API and the export. Callers pass querysets already limited by access.py."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.security.eligibility import missing_for
from huiwu.security.levels import highest_level, level_label
from huiwu.security.models import (
    AuditEntry,
    Authorization,
    BackgroundCheck,
    ConfidentialityAgreement,
    StaffProfile,
    TrainingRecord,
)

SEARCH_MAX_LENGTH = 100
# The audit log's subjects as people read them; types written by other code show as they are stored.
SUBJECT_TYPES = {"meeting": _("Meeting"), "staff": _("Staff member"), "audit_log": _("Audit log")}


def notice_days() -> int:
    return settings.CLEARANCE_EXPIRY_NOTICE_DAYS


# --- validity of papers -------------------------------------------------------------------------------


class PaperState(TextChoices):
    MISSING = "missing", _("None recorded")
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    NOT_YET = "not_yet", _("Not yet valid")
    REVOKED = "revoked", _("Revoked")


@dataclass(frozen=True)
class Validity:
    """Where a person stands with one kind of paper today. `until` is the last day of cover without a gap
    (a renewal that follows on counts), `since` the first day of the paper shown."""

    state: str
    since: date | None = None
    until: date | None = None

    @property
    def needs_attention(self) -> bool:
        return self.state in (PaperState.EXPIRING, PaperState.EXPIRED)

    @property
    def state_label(self) -> str:
        return str(PaperState(self.state).label)


def covered_until(records: Iterable, day: date) -> date | None:
    """The last day of continuous cover from `day` on by these records (None: `day` is not covered)."""
    records = list(records)
    until = None
    for record in records:
        if record.valid_from <= day <= record.valid_until and (until is None or record.valid_until > until):
            until = record.valid_until
    extended = until is not None
    while extended:
        extended = False
        for record in records:
            if record.valid_from <= until + timedelta(days=1) and record.valid_until > until:
                until, extended = record.valid_until, True
    return until


def validity(records: Iterable, today: date) -> Validity:
    records = list(records)
    until = covered_until(records, today)
    if until is not None:
        since = min(r.valid_from for r in records if r.valid_from <= today <= r.valid_until)
        state = PaperState.EXPIRING if until <= today + timedelta(days=notice_days()) else PaperState.VALID
        return Validity(state, since, until)
    upcoming = [r for r in records if r.valid_from > today]
    if upcoming:
        first = min(upcoming, key=lambda r: r.valid_from)
        return Validity(PaperState.NOT_YET, first.valid_from, covered_until(records, first.valid_from))
    if records:
        last = max(records, key=lambda r: r.valid_until)
        return Validity(PaperState.EXPIRED, last.valid_from, last.valid_until)
    return Validity(PaperState.MISSING)


def record_state(record, today: date) -> str:
    """One paper's state today (a revoked authorization is "revoked" whatever its days)."""
    if getattr(record, "revoked_at", None) is not None:
        return PaperState.REVOKED
    if record.valid_until < today:
        return PaperState.EXPIRED
    if record.valid_from > today:
        return PaperState.NOT_YET
    if record.valid_until <= today + timedelta(days=notice_days()):
        return PaperState.EXPIRING
    return PaperState.VALID


# --- staff summaries ----------------------------------------------------------------------------------


class EducationState(TextChoices):
    """Confidentiality education as the lists show it: someone never trained is not someone who failed."""

    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")
    UNTRAINED = "untrained", _("Not trained")


def education_state(confidentiality_records: Iterable[TrainingRecord]) -> EducationState:
    """One passed course is enough (as for eligibility); only failed ones: not passed; none: not trained."""
    records = list(confidentiality_records)
    if any(record.passed for record in records):
        return EducationState.PASSED
    return EducationState.FAILED if records else EducationState.UNTRAINED


@dataclass
class StaffSummary:
    user: User
    roles: list[Role]
    profile: StaffProfile
    certificate: Validity
    agreement: Validity
    authorization: Validity
    education: EducationState
    papers: list[tuple[str, Validity]] = field(default_factory=list)

    @property
    def confidentiality_trained(self) -> bool:
        return self.education == EducationState.PASSED

    @property
    def education_label(self) -> str:
        return str(self.education.label)

    @property
    def clearance_label(self) -> str:
        return level_label(self.profile.clearance_level)

    @property
    def needs_attention(self) -> bool:
        return any(v.needs_attention for v in (self.certificate, self.agreement, self.authorization))


def profile_of(user: User) -> StaffProfile:
    """The person's profile, or an unsaved blank one (nothing recorded yet)."""
    try:
        return user.staff_profile
    except StaffProfile.DoesNotExist:
        return StaffProfile(user=user)


def staff_with_records(users: QuerySet[User]) -> QuerySet[User]:
    """Everything a summary needs, in a fixed number of queries."""
    return (
        users.select_related("staff_profile")
        .prefetch_related(
            "groups",
            "background_checks",
            "agreements",
            Prefetch(
                "authorizations",
                queryset=Authorization.objects.filter(revoked_at__isnull=True),
                to_attr="active_authorizations",
            ),
            Prefetch(
                "training_records",
                queryset=TrainingRecord.objects.filter(course=TrainingRecord.Course.CONFIDENTIALITY),
                to_attr="confidentiality_courses",
            ),
        )
        .order_by("display_name", "username")
    )


def staff_summary(user: User, today: date) -> StaffSummary:
    """Of a user from `staff_with_records`."""
    codes = {group.name for group in user.groups.all()}
    summary = StaffSummary(
        user=user,
        roles=[role for role in Role if role.value in codes],
        profile=profile_of(user),
        certificate=validity(user.background_checks.all(), today),
        agreement=validity(user.agreements.all(), today),
        authorization=validity(user.active_authorizations, today),
        education=education_state(user.confidentiality_courses),
    )
    summary.papers = [
        (str(BackgroundCheck._meta.verbose_name), summary.certificate),
        (str(ConfidentialityAgreement._meta.verbose_name), summary.agreement),
        (str(Authorization._meta.verbose_name), summary.authorization),
    ]
    return summary


def staff_summaries(users: QuerySet[User], *, role: str = "", attention: bool = False) -> list[StaffSummary]:
    """Summaries of `users` (already limited by access.py), of one role, or only those whose certificate,
    agreement or authorization expired or expires within the notice period."""
    if role:
        users = users.filter(groups__name=role)
    today = timezone.localdate()
    summaries = [staff_summary(user, today) for user in staff_with_records(users)]
    if attention:
        summaries = [s for s in summaries if s.needs_attention]
    return summaries


def staff_records(staff: User) -> dict[str, list]:
    """A person's records, newest first, each paper with its `state` today."""
    today = timezone.localdate()
    records = {
        "training": list(staff.training_records.select_related("recorded_by").order_by("-completed_on", "-id")),
        "background_checks": list(staff.background_checks.select_related("recorded_by").order_by("-valid_from", "-id")),
        "agreements": list(staff.agreements.select_related("recorded_by").order_by("-valid_from", "-id")),
        "authorizations": list(
            staff.authorizations.select_related("recorded_by", "revoked_by").order_by("-valid_from", "-id")
        ),
    }
    for name in ("background_checks", "agreements", "authorizations"):
        for record in records[name]:
            record.state = record_state(record, today)
    return records


def eligibility_now(staff: User) -> list[dict]:
    """For each confidential level: whether the person may serve a meeting of it now, and what they lack."""
    now = timezone.now()
    rows = []
    for level in range(1, highest_level() + 1):
        missing = missing_for(staff, level=level, start=now, end=now + timedelta(hours=1))
        rows.append({"level": level, "label": level_label(level), "eligible": not missing, "missing": missing})
    return rows


# --- the audit log ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    user_id: int | None = None
    action: str = ""
    subject_type: str = ""
    subject_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("user").order_by("-at", "-id")


def audit_entries_filtered(entries: QuerySet[AuditEntry], filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Entries by whom, of what action and subject, in a range of Shanghai days, whose summary or page
    contains the text; newest first."""
    if filters.user_id is not None:
        entries = entries.filter(user_id=filters.user_id)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.subject_type:
        entries = entries.filter(subject_type=filters.subject_type)
    if filters.subject_id is not None:
        entries = entries.filter(subject_id=filters.subject_id)
    if filters.date_from:
        entries = entries.filter(at__gte=_midnight(filters.date_from))
    if filters.date_to:
        entries = entries.filter(at__lt=_midnight(filters.date_to + timedelta(days=1)))
    q = filters.q.strip()
    if q:
        entries = entries.filter(Q(summary__icontains=q) | Q(path__icontains=q))
    return entries.order_by("-at", "-id")


def subject_type_label(code: str) -> str:
    return str(SUBJECT_TYPES.get(code, code))


def audit_filters_describe(filters: AuditFilters) -> str:
    """The filters in words, for the export's audit entry and the page (punctuation translated too:
    Chinese takes full-width colons and semicolons)."""
    colon = _(": ")
    parts = []
    if filters.user_id is not None:
        parts.append(f"{_('Who')}{colon}{User.objects.filter(pk=filters.user_id).first() or filters.user_id}")
    if filters.action:
        parts.append(f"{_('Action')}{colon}{AuditEntry.Action(filters.action).label}")
    if filters.subject_type:
        subject = subject_type_label(filters.subject_type)
        parts.append(f"{_('Subject')}{colon}{subject}" + (f" #{filters.subject_id}" if filters.subject_id else ""))
    elif filters.subject_id:
        parts.append(f"{_('Subject')}{colon}#{filters.subject_id}")
    if filters.date_from:
        parts.append(f"{_('From')}{colon}{filters.date_from:%Y-%m-%d}")
    if filters.date_to:
        parts.append(f"{_('To')}{colon}{filters.date_to:%Y-%m-%d}")
    if filters.q:
        parts.append(f"{_('Text')}{colon}{filters.q}")
    return _("; ").join(parts)


def subject_type_choices() -> list[tuple[str, str]]:
    """The known subjects, and any other type found in the log (by the subject index)."""
    stored = AuditEntry.objects.order_by("subject_type").values_list("subject_type", flat=True).distinct()
    codes = list(SUBJECT_TYPES) + [code for code in stored if code not in SUBJECT_TYPES]
    return [(code, subject_type_label(code)) for code in codes]


def audit_people() -> QuerySet[User]:
    """Who may be chosen in the "who" filter: every account, whether still active or not."""
    return User.objects.order_by("display_name", "username")
