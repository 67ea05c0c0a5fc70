"""The security officer's section of the today page (listed in core/today.py): the staff whose papers expire
within the notice period or have expired, and today's confidential meetings."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.today import MAX_ITEMS, TodayCount, TodayItem, TodayList, TodaySection, Tone
from huiwu.meetings.access import meetings_visible_to
from huiwu.meetings.selectors import day_bounds
from huiwu.security.access import staff_visible_to
from huiwu.security.selectors import PaperState, notice_days, staff_summaries

HINT = _("Papers are renewed before they expire; every access to a confidential meeting is in the audit log.")


def _papers_to_renew(user: User) -> TodayList:
    summaries = staff_summaries(staff_visible_to(user), attention=True)
    items = []
    for summary in summaries[:MAX_ITEMS]:
        lapsing = [(name, validity) for name, validity in summary.papers if validity.needs_attention]
        expired = any(validity.state == PaperState.EXPIRED for _name, validity in lapsing)
        until = min(validity.until for _name, validity in lapsing)
        items.append(
            TodayItem(
                title=summary.user.display_name or summary.user.username,
                status=_(", ").join(name for name, _validity in lapsing),
                tone=Tone.ALERT if expired else Tone.WAITING,
                detail=(_("Expired on %(day)s") if expired else _("Valid until %(day)s")) % {"day": until.isoformat()},
                url=reverse("security:profile", args=[summary.user.pk]),
                action=_("Renew"),
            )
        )
    return TodayList(
        title=ngettext(
            "Papers expiring within %(days)d day or expired",
            "Papers expiring within %(days)d days or expired",
            notice_days(),
        )
        % {"days": notice_days()},
        items=items,
        total=len(summaries),
        empty=_("Everyone's papers are valid beyond the notice period."),
        url=reverse("security:staff") + "?attention=on",
    )


def _security_section(user: User) -> TodaySection:
    papers = _papers_to_renew(user)
    today = timezone.localdate()
    start, end = day_bounds(today)
    confidential = (
        meetings_visible_to(user).active().filter(confidentiality__gt=0, start__gte=start, start__lt=end).count()
    )
    return TodaySection(
        role=Role.SECURITY_OFFICER,
        hint=HINT,
        waiting=ngettext(
            "%(count)d person's papers need renewing", "%(count)d people's papers need renewing", papers.total
        )
        % {"count": papers.total}
        if papers.total
        else "",
        link_url=reverse("security:audit"),
        link_label=_("Audit log"),
        counts=[
            TodayCount(
                label=_("Confidential meetings today"),
                value=confidential,
                url=reverse("meetings:list") + f"?date_from={today}&date_to={today}",
            )
        ],
        lists=[papers],
    )


def today_sections(user: User) -> list[TodaySection]:
    return [_security_section(user)] if user.has_role(Role.SECURITY_OFFICER) else []
