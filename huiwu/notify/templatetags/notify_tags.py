from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from huiwu.notify.selectors import outdated_reason

register = template.Library()


@register.filter
def inbox_time(moment: datetime) -> str:
    """When a notification came, as a phone shows it: "今天 09:10", "昨天 17:45", "11月27日 09:10", and the
    year only when it is not this one. In the display time zone (Asia/Shanghai)."""
    local = timezone.localtime(moment)
    today = timezone.localdate()
    values = {"time": local.strftime("%H:%M"), "year": local.year, "month": local.month, "day": local.day}
    if local.date() == today:
        return _("Today %(time)s") % values
    if local.date() == today - timedelta(days=1):
        return _("Yesterday %(time)s") % values
    if local.year == today.year:
        return _("%(month)d/%(day)d %(time)s") % values
    return _("%(year)d/%(month)d/%(day)d %(time)s") % values


@register.filter
def outdated(notification) -> str:
    """Why the notification no longer holds (its meeting moved, say), or ""."""
    return outdated_reason(notification)
