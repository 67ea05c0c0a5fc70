"""The surveys' part of the today page (listed in core/today.py): a client contact's meetings waiting for their
rating, and for the manager and the hotline this month's satisfaction rate with the latest low scores.

Each list costs a fixed number of queries however many invitations and answers there are."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from huiwu.accounts.models import User
from huiwu.accounts.roles import Role
from huiwu.lib.today import TodayCount, TodayItem, TodayList, TodaySection, Tone, first_items
from huiwu.surveys.access import answers_visible_to, can_view_results, invitations_visible_to
from huiwu.surveys.selectors import (
    aspect_label,
    low_aspects,
    low_q,
    open_invitations,
    satisfaction_by_month,
)

TITLE = gettext_lazy("Satisfaction surveys")
# The staff's section lists the low scores of this many days: each has opened a follow-up for the hotline.
LOW_SCORE_DAYS = 7
# A month's rate from this share on is shown as good (green), below it as one to watch.
GOOD_RATE = 0.9


def _client_section(user: User, now: datetime) -> TodaySection | None:
    waiting = open_invitations(invitations_visible_to(user), now).order_by("expires_at", "pk")
    shown, total = first_items(waiting)
    if not shown:
        return None
    items = [
        TodayItem(
            title=invitation.meeting.title,
            at=invitation.meeting.start,
            place=invitation.meeting.room.name,
            status=_("Please rate"),
            tone=Tone.WAITING,
            detail=_("Open until %(until)s") % {"until": _until(invitation.expires_at)},
            url=reverse("surveys:meeting", args=[invitation.meeting_id]),
            action=_("Rate"),
        )
        for invitation in shown
    ]
    return TodaySection(
        role=Role.CLIENT,
        title=TITLE,
        hint=_("How was our service? Rate each meeting from 1 to 5: it takes a minute, and every rating is read."),
        waiting=ngettext("%(count)d meeting to rate", "%(count)d meetings to rate", total) % {"count": total},
        counts=[TodayCount(label=_("To rate"), value=total, tone=Tone.WAITING)],
        lists=[
            TodayList(
                items=items,
                total=total,
                title=_("Meetings waiting for your rating"),
                empty=_("No meeting is waiting for your rating."),
            )
        ],
    )


def _until(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def _staff_section(user: User, role: Role, now: datetime) -> TodaySection | None:
    """None while there is nothing to show: no answer this month, no low score, no link to send."""
    today = timezone.localdate(now)
    [month] = satisfaction_by_month(date_from=today.replace(day=1), date_to=today)
    since = now - timedelta(days=LOW_SCORE_DAYS)
    low = answers_visible_to(user).filter(low_q(), answered_at__gt=since).order_by("-answered_at", "-pk")
    shown, total = first_items(low)
    items = [
        TodayItem(
            title=answer.meeting.title,
            at=answer.answered_at,
            place=answer.meeting.room.name,
            status=_("Low score"),
            tone=Tone.ALERT,
            detail=_(", ").join(f"{aspect_label(aspect)} {getattr(answer, aspect)}" for aspect in low_aspects(answer))
            + f" · {answer.invitation.contact.name}",
            url=reverse("surveys:meeting", args=[answer.meeting_id]),
            action=_("Details"),
        )
        for answer in shown
    ]
    results = reverse("surveys:results")
    counts = []
    if month.rate is not None:
        counts.append(
            TodayCount(
                label=_("Satisfaction this month (%)"),
                value=round(month.rate * 100),
                tone=Tone.OK if month.rate >= GOOD_RATE else Tone.WAITING,
                url=results,
            )
        )
    counts += [
        TodayCount(label=_("Answers this month"), value=month.answers, url=results),
        TodayCount(
            label=_("Low scores, last %(days)d days") % {"days": LOW_SCORE_DAYS},
            value=total,
            tone=Tone.ALERT if total else Tone.NEUTRAL,
            url=results + "?low=1",
        ),
    ]
    not_sent = 0
    if role == Role.HOTLINE:
        # Contacts without an account: the worker made no link for them, the hotline sends one by hand.
        not_sent = open_invitations(invitations_visible_to(user).filter(nonce_digest=""), now).count()
        counts.append(
            TodayCount(
                label=_("Links to send by hand"), value=not_sent, tone=Tone.WAITING if not_sent else Tone.NEUTRAL
            )
        )
    if not (month.answers or total or not_sent):
        return None
    return TodaySection(
        role=role,
        title=TITLE,
        hint=_(
            "The satisfaction rate is the share of answers rating a meeting 4 or 5 overall. Every low score (2 or "
            "lower) has opened a follow-up for the hotline."
        ),
        waiting=ngettext(
            "%(count)d low score in the last %(days)d days", "%(count)d low scores in the last %(days)d days", total
        )
        % {"count": total, "days": LOW_SCORE_DAYS}
        if total
        else "",
        link_url=reverse("surveys:results"),
        link_label=_("Satisfaction"),
        counts=counts,
        lists=[
            TodayList(
                items=items,
                total=total,
                title=_("Low scores"),
                empty=_("No low score in the last %(days)d days.") % {"days": LOW_SCORE_DAYS},
                url=reverse("surveys:results") + "?low=1",
            )
        ],
    )


def today_sections(user: User) -> list[TodaySection]:
    now = timezone.now()
    sections = []
    if user.has_role(Role.CLIENT) and (section := _client_section(user, now)) is not None:
        sections.append(section)
    if can_view_results(user):
        for role in (Role.MANAGER, Role.HOTLINE):
            if user.has_role(role):
                if (section := _staff_section(user, role, now)) is not None:
                    sections.append(section)
                break
    return sections
