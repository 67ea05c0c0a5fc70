"""Expiry reminders (DESIGN §3.6): a background-check certificate, a confidentiality agreement or an
authorization to serve about to expire reminds the security officers CLEARANCE_EXPIRY_NOTICE_DAYS before its
last day, at 09:00 Shanghai time. One reminder-only deadline per record.

`staff_sync_deadlines` is called by every service that records, changes or revokes one of a person's
papers. It keeps the deadlines of all of that person's papers in step: a revoked authorization cancels its
reminder, and so does a renewal that follows on without a gap (nothing is about to lapse any more). A paper
recorded when its reminder time has already passed reminds from the moment it was recorded, and one that
had already expired when it was recorded (history) reminds no one.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.i18n import site_language
from huiwu.notify.models import Deadline, Kind
from huiwu.notify.services import DeadlineSpec, deadlines_upsert
from huiwu.security.models import Authorization, BackgroundCheck, ConfidentialityAgreement

REMINDER_TIME = time(9, 0)


def expiry_key(record) -> str:
    return f"clearance:{record._meta.model_name}:{record.pk}:expiry"


def expiry_opens_at(record) -> datetime:
    """09:00 on the day CLEARANCE_EXPIRY_NOTICE_DAYS before the last valid day, Shanghai time."""
    day = record.valid_until - timedelta(days=settings.CLEARANCE_EXPIRY_NOTICE_DAYS)
    return timezone.make_aware(datetime.combine(day, REMINDER_TIME))


def expiry_due_at(record) -> datetime:
    """The end of the last valid day (midnight after it)."""
    return timezone.make_aware(datetime.combine(record.valid_until + timedelta(days=1), time.min))


def _followed_on(record, records) -> bool:
    """A later paper of the same kind starts by the day after this one ends: no gap, nothing to renew."""
    return any(
        other.pk != record.pk
        and other.valid_from <= record.valid_until + timedelta(days=1)
        and other.valid_until > record.valid_until
        for other in records
    )


def _title(record, staff: User) -> str:
    values = {"person": str(staff), "day": f"{record.valid_until:%Y-%m-%d}"}
    if isinstance(record, BackgroundCheck):
        return _("The background-check certificate of %(person)s expires on %(day)s") % values
    if isinstance(record, ConfidentialityAgreement):
        return _("The confidentiality agreement of %(person)s expires on %(day)s") % values
    return _("The authorization to serve of %(person)s expires on %(day)s") % values


def staff_sync_deadlines(staff: User) -> None:
    url = reverse("security:profile", args=[staff.pk])
    keys, wanted = [], []
    with site_language():
        for records in (
            list(BackgroundCheck.objects.filter(user=staff)),
            list(ConfidentialityAgreement.objects.filter(user=staff)),
            list(Authorization.objects.filter(user=staff)),
        ):
            in_force = [r for r in records if getattr(r, "revoked_at", None) is None]
            for record in records:
                key = expiry_key(record)
                keys.append(key)
                if (
                    record not in in_force
                    or record.valid_until < timezone.localdate(record.recorded_at)
                    or _followed_on(record, in_force)
                ):
                    continue
                wanted.append(
                    DeadlineSpec(
                        key=key,
                        kind=Kind.CLEARANCE_EXPIRY,
                        title=_title(record, staff),
                        url=url,
                        # Recorded after its reminder time: it reminds at once rather than never.
                        opens_at=max(expiry_opens_at(record), record.recorded_at),
                        due_at=expiry_due_at(record),
                        responsible_role=Role.SECURITY_OFFICER,
                    )
                )
    # The papers' other reminders (revoked, followed on, expired when recorded) are cancelled.
    deadlines_upsert(specs=wanted, others=Deadline.objects.filter(key__in=keys))
