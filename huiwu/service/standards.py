"""The service standards in force (DESIGN §4.1, §4.2, §4.6) and the rules computed from them: the season
of a day at a site, and the refill windows."""

from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from huiwu.lib.i18n import site_language
from huiwu.meetings.models import Meeting
from huiwu.service.models import Level, Phase, Season, ServiceStandard

# Seed 篇3 (四): summer 10–15, 15–20, then every 25–30 minutes; winter 15–20, 20–25, then 25–30.
SUMMER_REFILLS = [[10, 15], [15, 20], [25, 30]]
WINTER_REFILLS = [[15, 20], [20, 25], [25, 30]]


def standard_default() -> ServiceStandard:
    """The seed's standards, unsaved, with the checklists written in the site language (like a paper form)."""
    with site_language():
        return ServiceStandard(
            summer_refills=SUMMER_REFILLS,
            winter_refills=WINTER_REFILLS,
            ready_item=_("Door and lights open; tea, water and tissues set out"),
            recess_item=_("Recess: change the leaders' tea cups"),
            level1_items=[
                _("Time and room unchanged"),
                _("Headcount unchanged"),
                _("Requirements unchanged (layout, service items, leaders)"),
                _("Attendants assigned"),
            ],
            level2_items=[
                _("Work arrangement: attendants know their duties"),
                _("Room cleaned, tables and chairs arranged"),
                _("Tea, water, tissues and service items prepared"),
                _("Lighting, air conditioning and audio checked"),
            ],
            level3_items=[
                _("Audio-visual support confirmed"),
                _("Security informed"),
                _("Cleaning confirmed"),
                _("Organizer's contact reachable"),
            ],
            before_items=[
                _("Place confirmed"),
                _("Meeting name and headcount confirmed"),
                _("Room cleaned, tables and chairs arranged"),
                _("Requirements and service standard agreed with the GM office"),
                _("Season's refill standard known"),
                _("Rostrum, seating and name cards set"),
                _("Restroom and smoking-area arrangements ready"),
                _("Fruit, tea, water and tissues as required"),
                _("Lighting and audio checked"),
            ],
            confidential_before_items=[
                _("Mobile phones collected before entry"),
                _("No wireless microphones in use"),
            ],
            confidential_after_items=[
                _("Numbered materials collected and counted"),
                _("Room checked for papers left behind"),
            ],
            after_items=[
                _("Attendees reminded to take their belongings"),
                _("Room checked for items left behind (registered if any)"),
                _("Venue cleaned"),
            ],
        )


def standard_current() -> ServiceStandard:
    """The newest version, or the seed's defaults while nobody has changed them (not saved until needed)."""
    return ServiceStandard.objects.order_by("-changed_at", "-id").first() or standard_default()


def standard_for(meeting: Meeting) -> ServiceStandard:
    """A started meeting keeps the version it started under; the others follow the current one."""
    # The reverse one-to-one raises an AttributeError when there is no row: hasattr reads "has started".
    return meeting.service.standard if hasattr(meeting, "service") else standard_current()


def level_offset(standard: ServiceStandard, level: int) -> timedelta:
    minutes = {Level.ONE: standard.level1_minutes, Level.TWO: standard.level2_minutes}.get(
        level, standard.level3_minutes
    )
    return timedelta(minutes=minutes)


def level_items(standard: ServiceStandard, level: int) -> list[str]:
    return {Level.ONE: standard.level1_items, Level.TWO: standard.level2_items}.get(level, standard.level3_items)


def is_large(standard: ServiceStandard, meeting: Meeting) -> bool:
    return meeting.headcount >= standard.recess_headcount


def phase_items(standard: ServiceStandard, meeting: Meeting, phase: str) -> list[str]:
    """The checklist of one phase for this meeting; the room-ready item closes the list before it."""
    confidential = meeting.is_confidential
    if phase == Phase.BEFORE:
        measures = standard.confidential_before_items if confidential else []
        return [*standard.before_items, *measures, standard.ready_item]
    if phase == Phase.DURING:
        return [standard.recess_item] if is_large(standard, meeting) else []
    return [*standard.after_items, *(standard.confidential_after_items if confidential else [])]


def season_on(standard: ServiceStandard, site_code: str, day: date) -> Season:
    summer_from, summer_until = standard.site_seasons.get(site_code) or (standard.summer_from, standard.summer_until)
    month_day = day.strftime("%m-%d")
    if summer_from <= summer_until:
        in_summer = summer_from <= month_day <= summer_until
    else:  # a summer across the new year (southern sites): 11-01 … 03-31
        in_summer = month_day >= summer_from or month_day <= summer_until
    return Season.SUMMER if in_summer else Season.WINTER


def refill_window(standard: ServiceStandard, season: str, number: int, previous: datetime) -> tuple[datetime, datetime]:
    """Refill `number` (1 = the first) opens and closes this long after `previous`: the actual start for
    the first, the actual time of the previous refill for the others. The last interval repeats."""
    windows = standard.summer_refills if season == Season.SUMMER else standard.winter_refills
    low, high = windows[min(number, len(windows)) - 1]
    return previous + timedelta(minutes=low), previous + timedelta(minutes=high)


# The fields a manager edits; a new version copies them and changes some.
EDITABLE_FIELDS = [
    "level1_minutes",
    "level2_minutes",
    "level3_minutes",
    "summer_refills",
    "winter_refills",
    "summer_from",
    "summer_until",
    "site_seasons",
    "recess_headcount",
    "ready_minutes",
    "ready_item",
    "recess_item",
    "level1_items",
    "level2_items",
    "level3_items",
    "before_items",
    "after_items",
    "confidential_before_items",
    "confidential_after_items",
]


def standard_values(standard: ServiceStandard) -> dict:
    return {name: getattr(standard, name) for name in EDITABLE_FIELDS}
