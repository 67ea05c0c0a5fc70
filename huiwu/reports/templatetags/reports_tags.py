"""How the reports show their figures: a share as a percentage, a median duration in days, hours or minutes."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.9612 → "96.1%"; "—" when nothing was counted."""
    return "—" if share is None else f"{share * 100:.1f}%"


@register.filter
def share_of(count: int, total: int) -> str:
    """`count` as a percentage of `total`; "—" when the total is 0."""
    return percent(count / total if total else None)


@register.filter
def duration(value: timedelta | None) -> str:
    """A median wait as a person says it: "2 d 3 h", "1 h 15 min", "40 min"; "—" without one."""
    if value is None:
        return "—"
    minutes = round(value.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}
