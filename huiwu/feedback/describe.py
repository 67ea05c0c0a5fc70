"""How complaints are named and their due times told on pages, the today page and the API: a read of the
complaint alone (layer 3), in the current language."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huiwu.feedback.selectors import Due


def moment_describe(value: datetime, now: datetime | None = None) -> str:
    """“10:30” today, “11月28日 10:30” another day (display time zone)."""
    local = timezone.localtime(value)
    today = timezone.localtime(now or timezone.now()).date()
    if local.date() == today:
        return f"{local:%H:%M}"
    return f"{formats.date_format(local, 'MONTH_DAY_FORMAT')} {local:%H:%M}"


def _span(minutes: int) -> tuple[int, str]:
    """A duration in the unit a person would say it in: minutes under two hours, hours under two days, days."""
    if minutes < 120:
        return minutes, "min"
    if minutes < 48 * 60:
        return minutes // 60, "h"
    return minutes // (24 * 60), "d"


def remaining_describe(due_at: datetime, now: datetime | None = None) -> str:
    """“还剩 12 分钟” before the due time, “已超时 5 分钟” from it on."""
    now = now or timezone.now()
    late = now >= due_at
    seconds = (now - due_at).total_seconds() if late else (due_at - now).total_seconds()
    # Whole minutes, rounded so that "0 min left" never shows: a deadline with seconds to go has 1 minute.
    minutes = int(seconds // 60) if late else max(1, int(-(-seconds // 60)))
    n, unit = _span(minutes)
    if late:
        if unit == "min":
            return ngettext("%(n)d min late", "%(n)d min late", n) % {"n": n}
        if unit == "h":
            return ngettext("%(n)d h late", "%(n)d h late", n) % {"n": n}
        return ngettext("%(n)d day late", "%(n)d days late", n) % {"n": n}
    if unit == "min":
        return ngettext("%(n)d min left", "%(n)d min left", n) % {"n": n}
    if unit == "h":
        return ngettext("%(n)d h left", "%(n)d h left", n) % {"n": n}
    return ngettext("%(n)d day left", "%(n)d days left", n) % {"n": n}


def due_describe(due: Due, now: datetime | None = None) -> str:
    """“致歉：10:30 前（还剩 12 分钟）”; a step without a deadline of its own reads “下一步：整改措施”."""
    if due.due_at is None:
        return _("Next: %(step)s") % {"step": due.label}
    return capfirst(
        _("%(step)s: by %(due)s (%(remaining)s)")
        % {
            "step": due.label,
            "due": moment_describe(due.due_at, now),
            "remaining": remaining_describe(due.due_at, now),
        }
    )
