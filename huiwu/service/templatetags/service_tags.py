from datetime import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from huiwu.service.selectors import minutes_until

register = template.Library()


@register.simple_tag
def minutes_from_now(moment: datetime, now: datetime, late_after: datetime | None = None) -> str:
    """ "in 4 min", "now", "6 min ago": the countdown of the board and the phone view, refreshed by polling.
    Given the moment it becomes late (a refill's window closing, or the start itself), a moment passed
    says how long is left ("3 min left") and then how late it is ("3 min late") instead."""
    minutes = minutes_until(moment, now)
    if late_after is not None and minutes <= 0:
        left = minutes_until(late_after, now)
        if now > late_after:
            late = max(1, -left)
            return ngettext("%(n)d min late", "%(n)d min late", late) % {"n": late}
        if left > 0:
            return ngettext("%(n)d min left", "%(n)d min left", left) % {"n": left}
        return _("now")
    if minutes > 0:
        return ngettext("in %(n)d min", "in %(n)d min", minutes) % {"n": minutes}
    if minutes < 0:
        return ngettext("%(n)d min ago", "%(n)d min ago", -minutes) % {"n": -minutes}
    return _("now")
