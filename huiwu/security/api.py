"""Staff qualifications and the audit log over JSON. Views stay thin: parse, fetch through access.py, call
the service.

Managers and security officers read the qualifications; only security officers record them and read the
audit log. A user id that is not an active member of staff answers 404 like one that does not exist. Days
are ISO 8601 dates (Shanghai days); times carry the +08:00 offset.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import ConfigDict

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.api import (
    Date,
    DateTime,
    Id,
    InputSchema,
    Page,
    PageIn,
    UserRefOut,
    answers_validation_errors,
    errors_answered,
    without_defaults,
    xlsx_answered,
)
from huiwu.security import services
from huiwu.security.access import (
    get_authorization_to_manage,
    get_staff_for_user,
    get_staff_to_manage,
    require_audit_reader,
    require_staff_reader,
    staff_visible_to,
)
from huiwu.security.exports import EXPORT_MAX_ROWS, audit_export
from huiwu.security.levels import level_label
from huiwu.security.models import AuditEntry, Authorization, StaffProfile, TrainingRecord
from huiwu.security.selectors import (
    SEARCH_MAX_LENGTH,
    AuditFilters,
    PaperState,
    StaffSummary,
    audit_entries,
    audit_entries_filtered,
    eligibility_now,
    profile_of,
    record_state,
    staff_records,
    staff_summaries,
    staff_summary,
    staff_with_records,
    subject_type_label,
)

router = Router(tags=["confidentiality"])

_LIST_ERRORS = errors_answered(422)
_READ_ERRORS = errors_answered(404, 422)
_WRITE_ERRORS = errors_answered(400, 404, 422)


# --- output -------------------------------------------------------------------------------------------


class RoleOut(Schema):
    code: Role
    label: str


class ValidityOut(Schema):
    state: PaperState = Field(
        description="missing, valid, expiring (within CLEARANCE_EXPIRY_NOTICE_DAYS), expired or not_yet (starts later)"
    )
    state_label: str
    since: date | None = Field(description="First day of the paper in force (or of the next or last one)")
    until: date | None = Field(description="Last day of cover without a gap, renewals that follow on included")


class StaffOut(Schema):
    id: int
    username: str
    display_name: str
    phone: str
    roles: list[RoleOut]
    clearance_level: int
    clearance_label: str
    background_check: ValidityOut
    agreement: ValidityOut
    authorization: ValidityOut
    confidentiality_education_passed: bool
    confidentiality_education: str = Field(
        description="passed (a course passed), failed (courses taken, none passed) or untrained (none recorded)"
    )
    confidentiality_education_label: str
    needs_attention: bool = Field(description="A certificate, agreement or authorization expired or expires soon")


class StaffPageOut(Page[StaffOut]):
    pass


class ProfileOut(Schema):
    clearance_level: int
    clearance_label: str
    hire_date: date | None
    key_post: bool
    guarantor_name: str
    guarantor_relation: str
    guarantor_phone: str
    guaranteed_on: date | None

    @staticmethod
    def resolve_clearance_label(profile: StaffProfile) -> str:
        return level_label(profile.clearance_level)


class TrainingOut(Schema):
    id: int
    course: TrainingRecord.Course
    course_label: str
    completed_on: date
    score: float | None
    passed: bool
    recorded_by: UserRefOut
    recorded_at: DateTime

    @staticmethod
    def resolve_course_label(record: TrainingRecord) -> str:
        return str(record.get_course_display())

    @staticmethod
    def resolve_score(record: TrainingRecord) -> float | None:
        return None if record.score is None else float(record.score)


class _PaperOut(Schema):
    id: int
    valid_from: date
    valid_until: date
    state: PaperState
    recorded_by: UserRefOut
    recorded_at: DateTime

    @staticmethod
    def resolve_state(record) -> str:
        return record_state(record, timezone.localdate())


class BackgroundCheckOut(_PaperOut):
    issuer: str
    valid_from: date = Field(description="The day it was issued")


class AgreementOut(_PaperOut):
    valid_from: date = Field(description="The day it was signed")


class AuthorizationOut(_PaperOut):
    granted_by: UserRefOut
    revoked_at: DateTime | None
    revoked_by: UserRefOut | None

    @staticmethod
    def resolve_granted_by(record: Authorization) -> User:
        return record.recorded_by


class EligibilityOut(Schema):
    level: int
    label: str
    eligible: bool
    missing: list[str] = Field(description="What the person lacks to serve a meeting of this level now")


class StaffDetailOut(StaffOut):
    profile: ProfileOut
    training: list[TrainingOut] = Field(description="Newest first")
    background_checks: list[BackgroundCheckOut] = Field(description="Newest first")
    agreements: list[AgreementOut] = Field(description="Newest first")
    authorizations: list[AuthorizationOut] = Field(description="Newest first, revoked ones included")
    eligibility: list[EligibilityOut] = Field(description="For a meeting of each confidential level, now")


class AuditEntryOut(Schema):
    id: int
    at: DateTime
    user: UserRefOut | None
    action: AuditEntry.Action
    action_label: str
    subject_type: str
    subject_label: str
    subject_id: int
    summary: str
    address: str | None
    path: str
    # The request it was written in: the same id as the X-Request-ID header and the log lines of that request.
    request_id: str

    @staticmethod
    def resolve_action_label(entry: AuditEntry) -> str:
        return str(entry.get_action_display())

    @staticmethod
    def resolve_subject_label(entry: AuditEntry) -> str:
        return subject_type_label(entry.subject_type)


class AuditPageOut(Page[AuditEntryOut]):
    pass


# --- input --------------------------------------------------------------------------------------------


class StaffListIn(PageIn):
    role: Role | None = Field(None, description="Only members holding this role")
    attention: bool = Field(False, description="Only those with a paper expired or expiring soon")


class ProfileIn(InputSchema):
    """Only the fields sent change. The clearance level and texts cannot be null; dates can (no date)."""

    model_config = ConfigDict(json_schema_extra=without_defaults)

    clearance_level: int = Field(None, ge=0, le=32767, description="0 (ordinary) up to the highest level")
    hire_date: Date | None = None
    key_post: bool = Field(None, description="A key post needs a guarantor's name")
    guarantor_name: str = Field(None, max_length=50)
    guarantor_relation: str = Field(None, max_length=50)
    guarantor_phone: str = Field(None, max_length=20)
    guaranteed_on: Date | None = None


class TrainingIn(InputSchema):
    course: TrainingRecord.Course
    completed_on: Date = Field(description="Not in the future")
    score: float | None = Field(None, description="Out of 100, at most one decimal place; null: not assessed")
    passed: bool


class BackgroundCheckIn(InputSchema):
    issuer: str = Field(max_length=100, description="Who issued the certificate")
    valid_from: Date = Field(description="The day it was issued; not in the future")
    valid_until: Date = Field(description="Its last valid day")


class AgreementIn(InputSchema):
    valid_from: Date = Field(description="The day it was signed; not in the future")
    valid_until: Date = Field(description="Its last valid day")


class AuthorizationIn(InputSchema):
    valid_from: Date = Field(description="First day the person may serve")
    valid_until: Date = Field(description="Last day the person may serve; not in the past")


class AuditFiltersIn(InputSchema):
    """The filters of the audit log, its page and its export alike."""

    who: Id | None = Field(None, description="User id of who acted")
    action: AuditEntry.Action | None = None
    subject_type: str = Field("", max_length=30, description="e.g. meeting, staff, audit_log")
    subject_id: Id | None = None
    date_from: Date | None = Field(None, description="Entries on or after this Shanghai day")
    date_to: Date | None = Field(None, description="Entries on or before this Shanghai day")
    q: str = Field("", max_length=SEARCH_MAX_LENGTH, description="Part of the summary or page")


class AuditListIn(PageIn, AuditFiltersIn):
    pass


# --- helpers ------------------------------------------------------------------------------------------


def _audit_filters(filters: AuditFiltersIn) -> AuditFilters:
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        raise ValidationError({"date_to": _("The last day cannot be before the first.")})
    return AuditFilters(
        user_id=filters.who,
        action=filters.action or "",
        subject_type=filters.subject_type.strip(),
        subject_id=filters.subject_id,
        date_from=filters.date_from,
        date_to=filters.date_to,
        q=filters.q.strip(),
    )


def _validity(validity) -> dict:
    return {
        "state": validity.state,
        "state_label": validity.state_label,
        "since": validity.since,
        "until": validity.until,
    }


def _staff(summary: StaffSummary) -> dict:
    user = summary.user
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "phone": user.phone,
        "roles": [{"code": role.value, "label": str(role.label)} for role in summary.roles],
        "clearance_level": summary.profile.clearance_level,
        "clearance_label": summary.clearance_label,
        "background_check": _validity(summary.certificate),
        "agreement": _validity(summary.agreement),
        "authorization": _validity(summary.authorization),
        "confidentiality_education_passed": summary.confidentiality_trained,
        "confidentiality_education": summary.education.value,
        "confidentiality_education_label": summary.education_label,
        "needs_attention": summary.needs_attention,
    }


def _staff_detail(staff: User) -> dict:
    staff = staff_with_records(User.objects.filter(pk=staff.pk)).get()
    return {
        **_staff(staff_summary(staff, timezone.localdate())),
        "profile": profile_of(staff),
        **staff_records(staff),
        "eligibility": eligibility_now(staff),
    }


# --- endpoints ----------------------------------------------------------------------------------------


@router.get(
    "/staff",
    response={200: StaffPageOut, **_LIST_ERRORS},
    summary="Members of staff with their clearance and the state of their papers, by name",
)
def staff(request: HttpRequest, filters: Query[StaffListIn]):
    require_staff_reader(request.user)
    found = staff_summaries(staff_visible_to(request.user), role=filters.role or "", attention=filters.attention)
    page = found[filters.offset : filters.offset + filters.limit]
    return {"count": len(found), "limit": filters.limit, "offset": filters.offset, "items": [_staff(s) for s in page]}


@router.get(
    "/staff/{user_id}",
    response={200: StaffDetailOut, **_READ_ERRORS},
    summary="One member of staff: profile, every record, and whether they may serve each confidential level now",
)
def staff_detail(request: HttpRequest, user_id: int):
    return _staff_detail(get_staff_for_user(request.user, user_id))


@router.post(
    "/staff/{user_id}/profile",
    response={200: StaffDetailOut, **_WRITE_ERRORS},
    summary="Change the clearance level, hire date, key post and guarantor (security officer)",
)
@answers_validation_errors()
def staff_profile_update(request: HttpRequest, user_id: int, payload: ProfileIn):
    staff = get_staff_to_manage(request.user, user_id)
    profile = profile_of(staff)
    values = {name: getattr(profile, name) for name in ProfileIn.model_fields}
    services.staff_profile_update(user=request.user, staff=staff, **(values | payload.model_dump(exclude_unset=True)))
    return _staff_detail(staff)


@router.post(
    "/staff/{user_id}/training",
    response={201: TrainingOut, **_WRITE_ERRORS},
    summary="Record a training course or assessment (security officer)",
)
@answers_validation_errors()
def training_record_add(request: HttpRequest, user_id: int, payload: TrainingIn):
    staff = get_staff_to_manage(request.user, user_id)
    record = services.training_record_add(user=request.user, staff=staff, **payload.model_dump())
    return Reply(201, record)


@router.post(
    "/staff/{user_id}/background-checks",
    response={201: BackgroundCheckOut, **_WRITE_ERRORS},
    summary="Record a background-check certificate (security officer)",
)
@answers_validation_errors()
def background_check_add(request: HttpRequest, user_id: int, payload: BackgroundCheckIn):
    staff = get_staff_to_manage(request.user, user_id)
    record = services.background_check_add(user=request.user, staff=staff, **payload.model_dump())
    return Reply(201, record)


@router.post(
    "/staff/{user_id}/agreements",
    response={201: AgreementOut, **_WRITE_ERRORS},
    summary="Record a signed confidentiality agreement (security officer)",
)
@answers_validation_errors()
def agreement_add(request: HttpRequest, user_id: int, payload: AgreementIn):
    staff = get_staff_to_manage(request.user, user_id)
    record = services.agreement_add(user=request.user, staff=staff, **payload.model_dump())
    return Reply(201, record)


@router.post(
    "/staff/{user_id}/authorizations",
    response={201: AuthorizationOut, **_WRITE_ERRORS},
    summary="Authorize a member of staff to serve confidential meetings for a period (security officer)",
)
@answers_validation_errors()
def authorization_grant(request: HttpRequest, user_id: int, payload: AuthorizationIn):
    staff = get_staff_to_manage(request.user, user_id)
    record = services.authorization_grant(user=request.user, staff=staff, **payload.model_dump())
    return Reply(201, record)


@router.post(
    "/authorizations/{authorization_id}/revoke",
    response={200: AuthorizationOut, **_READ_ERRORS},
    summary="Revoke an authorization that has not ended; it is revoked once (security officer)",
)
@answers_validation_errors()
def authorization_revoke(request: HttpRequest, authorization_id: int):
    authorization = get_authorization_to_manage(request.user, authorization_id)
    services.authorization_revoke(user=request.user, authorization=authorization)
    return Authorization.objects.select_related("recorded_by", "revoked_by").get(pk=authorization.pk)


@router.get(
    "/audit",
    response={200: AuditPageOut, **_LIST_ERRORS},
    summary="The audit log, newest first, filtered and a page at a time (security officer)",
)
@answers_validation_errors()
def audit(request: HttpRequest, filters: Query[AuditListIn]):
    require_audit_reader(request.user)
    found = audit_entries_filtered(audit_entries(), _audit_filters(filters))
    page = found[filters.offset : filters.offset + filters.limit]
    return {"count": found.count(), "limit": filters.limit, "offset": filters.offset, "items": list(page)}


@router.get(
    "/audit/export.xlsx",
    response=errors_answered(422),
    openapi_extra=xlsx_answered("The entries as an Excel workbook, in the caller's language"),
    summary="The audit log as an Excel workbook, filtered as the list is (security officer); at most "
    f"{EXPORT_MAX_ROWS} entries at once, and the export is itself audited",
)
@answers_validation_errors()
def audit_export_xlsx(request: HttpRequest, filters: Query[AuditFiltersIn]):
    require_audit_reader(request.user)
    return audit_export(user=request.user, filters=_audit_filters(filters))
