from datetime import datetime

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def minutes_from_now(moment: datetime, now: datetime) -> str:
    """ "in 4 min", "now", "6 min ago": the phone view's countdown, refreshed by polling."""
    minutes = round((moment - now).total_seconds() / 60)
    if minutes > 0:
        return ngettext("in %(n)d min", "in %(n)d min", minutes) % {"n": minutes}
    if minutes < 0:
        return ngettext("%(n)d min ago", "%(n)d min ago", -minutes) % {"n": -minutes}
    return _("now")
