from datetime import datetime

from django import template

from huiwu.service.selectors import countdown

register = template.Library()


@register.simple_tag
def minutes_from_now(moment: datetime, now: datetime, late_after: datetime | None = None) -> str:
    """ "in 4 min", "3 min left", "2 min late": see selectors.countdown."""
    return countdown(moment, now, late_after)
