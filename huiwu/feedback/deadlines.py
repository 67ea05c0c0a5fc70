"""The timed rules of complaints and follow-ups, kept in step by the services after every write:

- the first apology is due settings.COMPLAINT_APOLOGY_MINUTES after the complaint was received. It opens at
  once: its reminder to the hotline (and the complaint's handler) is the news of the new complaint. Missed,
  the manager hears of it;
- the investigation's findings are due settings.COMPLAINT_FINDINGS_HOURS after receiving, the hotline and the
  handler reminded FINDINGS_REMINDER_LEAD before, the manager told when missed;
- the return visit (回访) opens settings.COMPLAINT_RETURN_VISIT_DAYS after closing, reminding the hotline and
  the handler, and is due selectors.RETURN_VISIT_WINDOW later, then the manager hears of it;
- a follow-up reminds the hotline at once (its news) and is escalated to the manager settings.FOLLOW_UP_HOURS
  after it opened if nobody closed it.

Recording a step completes its deadline; closing a complaint cancels those of steps it no longer waits for.
"""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from huiwu.accounts.roles import Role
from huiwu.feedback.models import Complaint, FollowUp
from huiwu.feedback.selectors import (
    apology_due,
    findings_due,
    follow_up_due,
    return_visit_due,
    return_visit_opens,
)
from huiwu.lib.i18n import site_language
from huiwu.notify.models import Deadline, Kind
from huiwu.notify.services import DeadlineSpec, deadline_complete, deadline_upsert, deadlines_cancel, deadlines_upsert

# Findings take a day: the handler is reminded this long before they fall due, time enough to write them.
FINDINGS_REMINDER_LEAD = timedelta(hours=2)


def apology_key(complaint: Complaint) -> str:
    return f"complaint:{complaint.pk}:apology"


def findings_key(complaint: Complaint) -> str:
    return f"complaint:{complaint.pk}:findings"


def return_visit_key(complaint: Complaint) -> str:
    return f"complaint:{complaint.pk}:return_visit"


def follow_up_key(follow_up: FollowUp) -> str:
    return f"follow_up:{follow_up.pk}"


def _when(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'MONTH_DAY_FORMAT')} {local:%H:%M}"


def complaint_url(complaint: Complaint) -> str:
    return reverse("feedback:complaint", args=[complaint.pk])


def follow_up_url(follow_up: FollowUp) -> str:
    return reverse("feedback:follow_up", args=[follow_up.pk])


def complaint_deadlines_sync(complaint: Complaint) -> None:
    """Bring the complaint's deadlines in line with the steps it has recorded and whether it is closed."""
    handler = [complaint.handler] if complaint.handler_id and complaint.handler.is_active else []
    common = {
        "url": complaint_url(complaint),
        "meeting": complaint.meeting,
        "responsible_role": Role.HOTLINE,
        "responsible_users": handler,
        "awaits_completion": True,
        "escalate_to_role": Role.MANAGER,
    }
    waiting = {apology_key(complaint): complaint.apology_at, findings_key(complaint): complaint.investigation_at}
    if complaint.is_closed:
        # Closed (with the client's acceptance or the manager's reason): no step is awaited any more.
        deadlines_cancel(Deadline.objects.filter(key__in=[key for key, done in waiting.items() if done is None]))
        for key in [key for key, done in waiting.items() if done is not None]:
            deadline_complete(key=key)
        _return_visit_sync(complaint, common)
        return
    specs = []
    with site_language():
        if complaint.apology_at is None:
            due = apology_due(complaint)
            specs.append(
                DeadlineSpec(
                    key=apology_key(complaint),
                    kind=Kind.COMPLAINT,
                    title=_("New complaint, apologise by %(due)s: %(summary)s")
                    % {"due": _when(due), "summary": complaint.summary},
                    opens_at=complaint.received_at,
                    due_at=due,
                    **common,
                )
            )
        else:
            deadline_complete(key=apology_key(complaint))
        if complaint.investigation_at is None:
            due = findings_due(complaint)
            specs.append(
                DeadlineSpec(
                    key=findings_key(complaint),
                    kind=Kind.COMPLAINT,
                    title=_("Complaint findings due %(due)s: %(summary)s")
                    % {"due": _when(due), "summary": complaint.summary},
                    opens_at=due - FINDINGS_REMINDER_LEAD,
                    due_at=due,
                    **common,
                )
            )
        else:
            deadline_complete(key=findings_key(complaint))
    deadlines_upsert(specs=specs)


def _return_visit_sync(complaint: Complaint, common: dict) -> None:
    if complaint.return_visit_at is not None:
        deadline_complete(key=return_visit_key(complaint))
        return
    due = return_visit_due(complaint)
    with site_language():
        deadline_upsert(
            key=return_visit_key(complaint),
            kind=Kind.COMPLAINT,
            title=_("Return visit due %(due)s: %(summary)s") % {"due": _when(due), "summary": complaint.summary},
            opens_at=return_visit_opens(complaint),
            due_at=due,
            **common,
        )


def follow_up_deadlines_sync(follow_up: FollowUp) -> None:
    if not follow_up.is_open:
        deadline_complete(key=follow_up_key(follow_up))
        return
    with site_language():
        deadline_upsert(
            key=follow_up_key(follow_up),
            kind=Kind.FOLLOW_UP,
            title=_("Follow up with the client: %(summary)s") % {"summary": follow_up.summary},
            url=follow_up_url(follow_up),
            opens_at=follow_up.opened_at,
            due_at=follow_up_due(follow_up),
            meeting=follow_up.meeting,
            responsible_role=Role.HOTLINE,
            awaits_completion=True,
            escalate_to_role=Role.MANAGER,
        )
