"""Writes to the staff's qualifications: the profile (clearance level, hire date, key post and guarantor),
training and assessment records, background-check certificates, confidentiality agreements and
authorizations to serve, granted and revoked.

Only the security officer records them. Rules fail with ValidationError({field: message}) in the user's
language and save nothing; a user without the permission gets RoleRequired (403). Every change is written to
the audit log (action "change", subject "staff", the person's id) in the site language, and keeps the
expiry reminders in step (`deadlines.staff_sync_deadlines`), in the same transaction. Pages and the API both
call these.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from huiwu.accounts.models import User, phone_validator
from huiwu.lib.dates import EARLIEST_DAY, LATEST_DAY
from huiwu.lib.i18n import site_language
from huiwu.security.access import is_staff_member, require_clearance_manager
from huiwu.security.audit import audit_record
from huiwu.security.deadlines import staff_sync_deadlines
from huiwu.security.levels import highest_level, level_label
from huiwu.security.models import (
    AuditEntry,
    Authorization,
    BackgroundCheck,
    ConfidentialityAgreement,
    StaffProfile,
    TrainingRecord,
)

MAX_SCORE = Decimal(100)


# --- checks -------------------------------------------------------------------------------------------


def _text(errors: dict[str, str], model: type[models.Model], name: str, value: str | None, *, required="") -> str:
    """`value` stripped; a message in `errors` when it is missing (and `required` says so) or does not fit."""
    value = (value or "").strip()
    limit = model._meta.get_field(name).max_length
    if "\x00" in value:
        errors[name] = _("This text contains a character that is not allowed.")
    elif required and not value:
        errors[name] = required
    elif limit and len(value) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return value


def _day(errors: dict[str, str], name: str, value: date | None, *, required="", future="") -> date | None:
    """A date within sensible years; `future` is the message when it may not be after today."""
    if value is None:
        if required:
            errors[name] = required
        return None
    # Days far off are typing mistakes (and the reminders' arithmetic would overflow near 9999).
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        errors[name] = _("Enter a day between %(first)s and %(last)s.") % {
            "first": EARLIEST_DAY.isoformat(),
            "last": LATEST_DAY.isoformat(),
        }
    elif future and value > timezone.localdate():
        errors[name] = future
    return value


def _period(errors: dict[str, str], valid_from: date | None, valid_until: date | None) -> None:
    if "valid_from" in errors or "valid_until" in errors or valid_from is None or valid_until is None:
        return
    if valid_until < valid_from:
        errors["valid_until"] = _("The last valid day cannot be before the first (%(day)s).") % {
            "day": f"{valid_from:%Y-%m-%d}"
        }


def _check(user: User, staff: User) -> None:
    require_clearance_manager(user)
    if not is_staff_member(staff):
        raise ValidationError(_("Qualifications are recorded for active members of staff only."))


def _day_text(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "—"


def _audit(user: User, staff: User, summary: str) -> None:
    audit_record(user=user, action=AuditEntry.Action.CHANGE, subject_type="staff", subject_id=staff.pk, summary=summary)


# --- the profile --------------------------------------------------------------------------------------

_PROFILE_FIELDS = [
    "clearance_level",
    "hire_date",
    "key_post",
    "guarantor_name",
    "guarantor_relation",
    "guarantor_phone",
    "guaranteed_on",
]


def _shown(name: str, value) -> str:
    if name == "clearance_level":
        return level_label(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return _day_text(value)
    return str(value) if value not in (None, "") else "—"


def staff_profile_update(
    *,
    user: User,
    staff: User,
    clearance_level: int,
    hire_date: date | None = None,
    key_post: bool = False,
    guarantor_name: str = "",
    guarantor_relation: str = "",
    guarantor_phone: str = "",
    guaranteed_on: date | None = None,
) -> StaffProfile:
    """Bring the person's profile to these values (it is made on first use). A key post needs a guarantor."""
    _check(user, staff)
    errors: dict[str, str] = {}
    if isinstance(clearance_level, bool) or not isinstance(clearance_level, int):
        errors["clearance_level"] = _("Choose a confidentiality level.")
    elif not 0 <= clearance_level <= highest_level():
        errors["clearance_level"] = _("Choose a confidentiality level from 0 to %(highest)d.") % {
            "highest": highest_level()
        }
    hire_date = _day(errors, "hire_date", hire_date)
    guarantor_name = _text(errors, StaffProfile, "guarantor_name", guarantor_name)
    guarantor_relation = _text(errors, StaffProfile, "guarantor_relation", guarantor_relation)
    guarantor_phone = _text(errors, StaffProfile, "guarantor_phone", guarantor_phone)
    if guarantor_phone and "guarantor_phone" not in errors:
        try:
            phone_validator(guarantor_phone)
        except ValidationError as error:
            errors["guarantor_phone"] = " ".join(error.messages)
    guaranteed_on = _day(
        errors, "guaranteed_on", guaranteed_on, future=_("The guarantee cannot have been signed in the future.")
    )
    if key_post and not guarantor_name and "guarantor_name" not in errors:
        errors["guarantor_name"] = _("A key post needs a guarantor: enter the guarantor's name.")
    if errors:
        raise ValidationError(errors)
    values = {
        "clearance_level": clearance_level,
        "hire_date": hire_date,
        "key_post": bool(key_post),
        "guarantor_name": guarantor_name,
        "guarantor_relation": guarantor_relation,
        "guarantor_phone": guarantor_phone,
        "guaranteed_on": guaranteed_on,
    }
    with transaction.atomic():
        StaffProfile.objects.get_or_create(user=staff)
        profile = StaffProfile.objects.select_for_update().get(user=staff)
        changed = [name for name in _PROFILE_FIELDS if getattr(profile, name) != values[name]]
        if not changed:
            return profile
        with site_language():
            changes = _("; ").join(
                f"{capfirst(StaffProfile._meta.get_field(name).verbose_name)}{_(': ')}"
                f"{_shown(name, getattr(profile, name))} → {_shown(name, values[name])}"
                for name in changed
            )
            summary = _("%(person)s: profile changed: %(changes)s") % {"person": staff, "changes": changes}
        for name in changed:
            setattr(profile, name, values[name])
        profile.save(update_fields=changed)
        _audit(user, staff, summary)
    return profile


# --- records ------------------------------------------------------------------------------------------


def _score(errors: dict[str, str], value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite():
        errors["score"] = _("Enter the score as a number.")
    elif not 0 <= score <= MAX_SCORE:
        errors["score"] = _("A score is from 0 to %(max)s.") % {"max": MAX_SCORE}
    elif score != score.quantize(Decimal("0.1")):
        errors["score"] = _("Give the score with at most one decimal place.")
    else:
        return score.quantize(Decimal("0.1"))
    return None


def training_record_add(
    *, user: User, staff: User, course: str, completed_on: date | None, passed: bool, score=None
) -> TrainingRecord:
    """Record a course or assessment taken, with its score (out of 100, optional) and whether it was passed."""
    _check(user, staff)
    errors: dict[str, str] = {}
    if course not in TrainingRecord.Course.values:
        errors["course"] = _("Choose a course.")
    completed_on = _day(
        errors,
        "completed_on",
        completed_on,
        required=_("Enter the date of the course or assessment."),
        future=_("The course or assessment cannot be in the future."),
    )
    score = _score(errors, score)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            user=staff, course=course, completed_on=completed_on, score=score, passed=bool(passed), recorded_by=user
        )
        with site_language():
            values = {
                "person": staff,
                "course": record.get_course_display(),
                "day": _day_text(completed_on),
                "score": "—" if score is None else score,
                "result": _("passed") if record.passed else _("not passed"),
            }
            summary = _("%(person)s: training recorded: %(course)s on %(day)s, score %(score)s, %(result)s") % values
        _audit(user, staff, summary)
    return record


def _papers(errors: dict[str, str], valid_from: date | None, valid_until: date | None, *, from_required, future=""):
    valid_from = _day(errors, "valid_from", valid_from, required=from_required, future=future)
    valid_until = _day(errors, "valid_until", valid_until, required=_("Enter the last valid day."))
    _period(errors, valid_from, valid_until)
    return valid_from, valid_until


def background_check_add(
    *, user: User, staff: User, issuer: str, valid_from: date | None, valid_until: date | None
) -> BackgroundCheck:
    """Record a certificate of no criminal record: who issued it, the day it was issued (valid from) and
    its last valid day."""
    _check(user, staff)
    errors: dict[str, str] = {}
    issuer = _text(errors, BackgroundCheck, "issuer", issuer, required=_("Enter who issued the certificate."))
    valid_from, valid_until = _papers(
        errors,
        valid_from,
        valid_until,
        from_required=_("Enter the day the certificate was issued."),
        future=_("The certificate cannot have been issued in the future."),
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = BackgroundCheck.objects.create(
            user=staff, issuer=issuer, valid_from=valid_from, valid_until=valid_until, recorded_by=user
        )
        with site_language():
            summary = _(
                "%(person)s: background-check certificate recorded: issued by %(issuer)s on %(from)s, "
                "valid until %(until)s"
            ) % {"person": staff, "issuer": issuer, "from": _day_text(valid_from), "until": _day_text(valid_until)}
        _audit(user, staff, summary)
        staff_sync_deadlines(staff)
    return record


def agreement_add(
    *, user: User, staff: User, valid_from: date | None, valid_until: date | None
) -> ConfidentialityAgreement:
    """Record a signed confidentiality agreement: the day it was signed (valid from) and its last valid day."""
    _check(user, staff)
    errors: dict[str, str] = {}
    valid_from, valid_until = _papers(
        errors,
        valid_from,
        valid_until,
        from_required=_("Enter the day the agreement was signed."),
        future=_("The agreement cannot have been signed in the future."),
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = ConfidentialityAgreement.objects.create(
            user=staff, valid_from=valid_from, valid_until=valid_until, recorded_by=user
        )
        with site_language():
            summary = _("%(person)s: confidentiality agreement recorded: signed on %(from)s, valid until %(until)s") % {
                "person": staff,
                "from": _day_text(valid_from),
                "until": _day_text(valid_until),
            }
        _audit(user, staff, summary)
        staff_sync_deadlines(staff)
    return record


def authorization_grant(*, user: User, staff: User, valid_from: date | None, valid_until: date | None) -> Authorization:
    """Authorize the person to serve confidential meetings from one day to another (both included), granted
    by `user`. It may start later but not end in the past."""
    _check(user, staff)
    errors: dict[str, str] = {}
    valid_from, valid_until = _papers(
        errors, valid_from, valid_until, from_required=_("Enter the first day of the authorization.")
    )
    if "valid_until" not in errors and valid_until is not None and valid_until < timezone.localdate():
        errors["valid_until"] = _("An authorization that has already ended cannot be granted.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = Authorization.objects.create(
            user=staff, valid_from=valid_from, valid_until=valid_until, recorded_by=user
        )
        with site_language():
            summary = _("%(person)s: authorization to serve granted from %(from)s to %(until)s") % {
                "person": staff,
                "from": _day_text(valid_from),
                "until": _day_text(valid_until),
            }
        _audit(user, staff, summary)
        staff_sync_deadlines(staff)
    return record


def authorization_revoke(*, user: User, authorization: Authorization) -> Authorization:
    """Revoke an authorization that has not ended yet; it no longer counts from now, and its expiry
    reminder is cancelled. An authorization is revoked once."""
    staff = authorization.user
    _check(user, staff)
    with transaction.atomic():
        # Locked (PostgreSQL) or in an IMMEDIATE transaction (SQLite): two revocations cannot both pass.
        locked = Authorization.objects.select_for_update().get(pk=authorization.pk)
        if locked.revoked_at is not None:
            revoker = User.objects.filter(pk=locked.revoked_by_id).first()
            raise ValidationError(
                _("This authorization was already revoked on %(when)s by %(person)s.")
                % {"when": f"{timezone.localtime(locked.revoked_at):%Y-%m-%d %H:%M}", "person": revoker or "—"},
                code="already_revoked",
            )
        if locked.valid_until < timezone.localdate():
            raise ValidationError(
                _("This authorization ended on %(day)s; there is nothing to revoke.")
                % {"day": _day_text(locked.valid_until)},
                code="ended",
            )
        locked.revoked_at = timezone.now()
        locked.revoked_by = user
        locked.save(update_fields=["revoked_at", "revoked_by"])
        with site_language():
            summary = _("%(person)s: authorization to serve from %(from)s to %(until)s revoked") % {
                "person": staff,
                "from": _day_text(locked.valid_from),
                "until": _day_text(locked.valid_until),
            }
        _audit(user, staff, summary)
        staff_sync_deadlines(staff)
    authorization.revoked_at, authorization.revoked_by = locked.revoked_at, locked.revoked_by
    return authorization
