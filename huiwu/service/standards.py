"""The service standards in force (DESIGN §4.1, §4.2, §4.6), the rules computed from them (the season of a
day at a site, the refill windows) and the rules a new version must keep (`standard_clean`)."""

import re
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from huiwu.lib.i18n import site_language
from huiwu.lib.text import UNSAFE_CHARACTERS_MESSAGE, has_unsafe_characters
from huiwu.meetings.models import Meeting
from huiwu.service.models import Level, MeetingCheck, Phase, Season, ServiceStandard
from huiwu.venues.models import Site

# Seed 篇3 (四): summer 10–15, 15–20, then every 25–30 minutes; winter 15–20, 20–25, then 25–30.
SUMMER_REFILLS = [[10, 15], [15, 20], [25, 30]]
WINTER_REFILLS = [[15, 20], [20, 25], [25, 30]]


def standard_default() -> ServiceStandard:  # pragma: no mutate block (the seed's wording: data, not rules)
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


def confirmable_from(standard: ServiceStandard, check: MeetingCheck) -> datetime:
    """A level is confirmed close to its due time, when what it confirms is true, not hours ahead: from
    confirm_early_minutes before it is due. An urgent level (deadlines.check_times) is to be done at once: it
    can be confirmed from the moment its role is reminded, if that is earlier."""
    opens = check.due_at - timedelta(minutes=standard.confirm_early_minutes)
    return min(opens, check.opens_at) if check.urgent else opens


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
    "confirm_early_minutes",
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


# --- the rules of a new version ------------------------------------------------------------------------
# The one place they are written: `services.standard_create` enforces them, whatever sent the values (the
# standards page or the API, which only parse what they are given).

MAX_CHECK_MINUTES = 24 * 60
# Confirming more than a few hours ahead is confirming what may still change.
MAX_CONFIRM_EARLY_MINUTES = 240
MAX_REFILL_MINUTES = 240
MAX_REFILL_WINDOWS = 20
MAX_READY_MINUTES = 240
MAX_RECESS_HEADCOUNT = 5000
MAX_CHECKLIST_ITEMS = 50
MAX_ITEM_LENGTH = 200
CHECKLISTS = [
    "level1_items",
    "level2_items",
    "level3_items",
    "before_items",
    "after_items",
    "confidential_before_items",
    "confidential_after_items",
]
# A site may take no special measures for confidential meetings; every other list needs an item to tick.
OPTIONAL_CHECKLISTS = frozenset({"confidential_before_items", "confidential_after_items"})
LEVEL_ORDER_MESSAGE = _(
    "The levels are checked in order: level 1 needs more minutes before the start than level 2, "
    "and level 2 more than level 3."
)
_MONTH_DAY = re.compile(r"\d\d-\d\d")


def is_month_day(value: object) -> bool:
    """A day of the year written MM-DD in full (05-01), as the season rule compares them as text."""
    if not isinstance(value, str) or not _MONTH_DAY.fullmatch(value):
        return False
    try:
        date(2000, int(value[:2]), int(value[3:]))  # a leap year: 02-29 is a day of the year
    except ValueError:
        return False
    return True


def _is_count(value: object, high: int) -> bool:
    # bool is an int in Python, and true is no number of minutes.
    return type(value) is int and 1 <= value <= high


class _Errors:
    """The broken rules by field, raised together: whoever fixes the input sees every problem at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message, **params) -> None:
        self.by_field.setdefault(field, []).append(ValidationError(message, params=params or None))

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_minutes(errors: _Errors, values: Mapping, field: str, high: int) -> None:
    if not _is_count(values.get(field), high):
        errors.add(field, _("Give a whole number of minutes from 1 to %(max)d.") % {"max": high})


def _check_levels(errors: _Errors, values: Mapping) -> None:
    fields = [f"level{level}_minutes" for level in Level.values]
    for field in fields:
        _check_minutes(errors, values, field, MAX_CHECK_MINUTES)
    if any(field in errors.by_field for field in fields):
        return
    first, second, third = (values[field] for field in fields)
    if not first > second > third:
        errors.add("level1_minutes" if first <= second else "level2_minutes", LEVEL_ORDER_MESSAGE)


def _check_refills(errors: _Errors, values: Mapping, field: str) -> None:
    """Each broken window names its number and end (`window`, `end`), so that a form showing the windows as
    pairs of fields puts the message on the right one."""
    windows = values.get(field)
    if not (
        isinstance(windows, list)
        and 1 <= len(windows) <= MAX_REFILL_WINDOWS
        and all(isinstance(window, list) and len(window) == 2 for window in windows)
    ):
        errors.add(
            field,
            _("Give one to %(count)s windows as [from, to] in minutes, with 0 < from ≤ to ≤ %(max)s.")
            % {"count": MAX_REFILL_WINDOWS, "max": MAX_REFILL_MINUTES},
        )
        return
    out_of_range = _("Give a whole number of minutes from 1 to %(max)d.") % {"max": MAX_REFILL_MINUTES}
    for number, (low, high) in enumerate(windows, start=1):
        bad = [end for end, minutes in (("from", low), ("to", high)) if not _is_count(minutes, MAX_REFILL_MINUTES)]
        for end in bad:
            errors.add(field, out_of_range, window=number, end=end)
        if not bad and low > high:
            errors.add(
                field,
                _("A window cannot close before it opens: “to” must be at least “from”."),
                window=number,
                end="to",
            )


def _check_seasons(errors: _Errors, values: Mapping) -> None:
    for field in ("summer_from", "summer_until"):
        if not is_month_day(values.get(field)):
            errors.add(field, _("Enter a real day of the year as MM-DD, for example 05-01."))
    seasons = values.get("site_seasons")
    if not isinstance(seasons, dict) or not all(
        isinstance(code, str) and isinstance(days, list) and len(days) == 2 and all(map(is_month_day, days))
        for code, days in seasons.items()
    ):
        errors.add(
            "site_seasons", _("Give each site's summer under its code as two days, from and until, written MM-DD.")
        )
        return
    # A site named anew must exist; one the version in force names keeps its summer (the page does not
    # show a site taken out of service, and cannot take it off the list).
    named = set(seasons) - set(standard_current().site_seasons)
    known = set(Site.objects.filter(code__in=named).values_list("code", flat=True))
    if unknown := sorted(named - known):
        errors.add("site_seasons", _("There are no sites with these codes: %(codes)s.") % {"codes": ", ".join(unknown)})


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _item_problem(item: object) -> str:
    if not isinstance(item, str) or not _tidy(item):
        return _("Write each item out, in at most %(max)s characters.") % {"max": MAX_ITEM_LENGTH}
    if has_unsafe_characters(item):
        return str(UNSAFE_CHARACTERS_MESSAGE)
    if len(_tidy(item)) > MAX_ITEM_LENGTH:
        return _("This item is longer than %(limit)d characters: %(start)s…") % {
            "limit": MAX_ITEM_LENGTH,
            "start": _tidy(item)[:20],
        }
    return ""


def _check_item(errors: _Errors, values: Mapping, field: str) -> str:
    problem = _item_problem(values.get(field))
    if problem:
        errors.add(field, problem)
        return ""
    return _tidy(values[field])


def _check_checklist(errors: _Errors, values: Mapping, field: str) -> list[str]:
    items = values.get(field)
    if not isinstance(items, list) or len(items) > MAX_CHECKLIST_ITEMS:
        errors.add(field, _("Give a list of at most %(count)s items.") % {"count": MAX_CHECKLIST_ITEMS})
        return []
    if not items and field not in OPTIONAL_CHECKLISTS:
        errors.add(field, _("List at least one item."))
    problems = list(dict.fromkeys(problem for problem in map(_item_problem, items) if problem))
    for problem in problems:
        errors.add(field, problem)
    if problems:
        return []
    tidied = [_tidy(item) for item in items]
    if duplicates := [item for item, count in Counter(tidied).items() if count > 1]:
        errors.add(field, _("Each item may appear only once: %(items)s") % {"items": _(", ").join(duplicates)})
    return tidied


def standard_clean(values: Mapping) -> dict:
    """The values of a new version (every standards.EDITABLE_FIELDS), checked against the rules and tidied
    (spaces in items). Raises ValidationError({field: [messages]}) naming every broken rule."""
    errors = _Errors()
    _check_levels(errors, values)
    _check_minutes(errors, values, "confirm_early_minutes", MAX_CONFIRM_EARLY_MINUTES)
    for field in ("summer_refills", "winter_refills"):
        _check_refills(errors, values, field)
    _check_seasons(errors, values)
    if not _is_count(values.get("recess_headcount"), MAX_RECESS_HEADCOUNT):
        errors.add("recess_headcount", _("Give a headcount from 1 to %(max)d.") % {"max": MAX_RECESS_HEADCOUNT})
    _check_minutes(errors, values, "ready_minutes", MAX_READY_MINUTES)
    cleaned = dict(values)
    for field in ("ready_item", "recess_item"):
        cleaned[field] = _check_item(errors, values, field)
    for field in CHECKLISTS:
        cleaned[field] = _check_checklist(errors, values, field)
    if cleaned["ready_item"] and cleaned["ready_item"] in cleaned["before_items"]:
        errors.add(
            "before_items",
            _("The room-ready item closes this list by itself: remove “%(item)s” here.")
            % {"item": cleaned["ready_item"]},
        )
    errors.raise_any()
    return {name: cleaned[name] for name in EDITABLE_FIELDS}
