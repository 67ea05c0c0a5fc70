"""Reads of the leaders' offices: the presence board, which offices can be cleaned, and the cleanings with
their sequence and inspections (seed 篇3 (二) 8 and (三), DESIGN.md §4.5).

The board keeps one presence per office. 在 and 不在 hold for the day they were set on: the next day the office
reads as unknown until reception sets it again. 出差 holds until it is changed. For a past day the board can only
answer from what it holds now, so a presence set after that day reads as unknown for it.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huiwu.accounts.models import User
from huiwu.directory.models import Person
from huiwu.reception.access import cleanings_visible_to
from huiwu.reception.models import CleaningRecord, LeaderOffice

Presence = LeaderOffice.Presence
# Presences under which the office's leader is out, so the office may be cleaned.
OUT_PRESENCES = (Presence.OUT, Presence.AWAY)


class CleaningStep(TextChoices):
    """The steps of a cleaning (seed 篇3 (三) 2), in the order they are done."""

    CUPS = "cups", _("Tea cups")
    ASHTRAY = "ashtray", _("Ashtray")
    WASTE_BASKET = "waste_basket", _("Waste basket")
    DESK = "desk", _("Desk, tea table, bookshelf")
    WINDOW_SILL = "window_sill", _("Window sill")
    FLOWER_POTS = "flower_pots", _("Flower pots")
    BATHROOM = "bathroom", _("Bathroom (shower, basin, toilet, floor)")
    WASH_BASIN = "wash_basin", _("Wash basin")


_COMMON_STEPS = [
    CleaningStep.CUPS,
    CleaningStep.ASHTRAY,
    CleaningStep.WASTE_BASKET,
    CleaningStep.DESK,
    CleaningStep.WINDOW_SILL,
    CleaningStep.FLOWER_POTS,
]
PRINCIPAL_SEQUENCE = (*_COMMON_STEPS, CleaningStep.BATHROOM)
OTHER_SEQUENCE = (*_COMMON_STEPS, CleaningStep.WASH_BASIN)


class Inspection(TextChoices):
    """What is checked before leaving (seed 篇3 (三) 3); the bathroom supplies only in a principal's office."""

    DOCUMENTS = "documents", _("Reviewed documents to take back")
    TISSUES = "tissues", pgettext_lazy("inspection", "Tissues")
    BOTTLED_WATER = "bottled_water", pgettext_lazy("inspection", "Bottled water")
    WATER_DISPENSER = "water_dispenser", _("Water dispenser")
    BATHROOM_SUPPLIES = "bathroom_supplies", _("Bathroom supplies (toilet paper, soap, towels)")


class DocumentsAnswer(TextChoices):
    # "taken" is never chosen: recording a document from the cleaning answers it.
    NONE = "none", _("None to take back")
    TAKEN = "taken", _("Taken back")


class SupplyAnswer(TextChoices):
    ENOUGH = "enough", pgettext_lazy("supplies", "Enough")
    RESTOCKED = "restocked", pgettext_lazy("supplies", "Restocked")
    NEEDED = "needed", pgettext_lazy("supplies", "Needs restocking")


def cleaning_sequence(office: LeaderOffice) -> tuple[CleaningStep, ...]:
    return PRINCIPAL_SEQUENCE if office.is_principal else OTHER_SEQUENCE


def cleaning_inspections(office: LeaderOffice) -> tuple[Inspection, ...]:
    common = (Inspection.DOCUMENTS, Inspection.TISSUES, Inspection.BOTTLED_WATER, Inspection.WATER_DISPENSER)
    return (*common, Inspection.BATHROOM_SUPPLIES) if office.is_principal else common


def inspection_answers(inspection: str) -> type[TextChoices]:
    return DocumentsAnswer if inspection == Inspection.DOCUMENTS else SupplyAnswer


def presence_on(office: LeaderOffice, day: date) -> str | None:
    """The office's presence on `day` (a Presence value), or None when nobody set it for that day."""
    if office.presence_set_at is None:
        return None
    set_on = timezone.localtime(office.presence_set_at).date()
    if office.presence == Presence.AWAY:
        return Presence.AWAY if set_on <= day else None
    return office.presence if set_on == day else None


def can_be_cleaned(office: LeaderOffice, day: date) -> bool:
    return office.is_active and presence_on(office, day) in OUT_PRESENCES


def active_offices() -> QuerySet[LeaderOffice]:
    return LeaderOffice.objects.filter(is_active=True).select_related("leader", "presence_set_by")


def offices_to_clean(day: date) -> list[LeaderOffice]:
    """The active offices that can be cleaned on `day`: their leader is 不在 that day, or 出差."""
    return [office for office in active_offices().filter(presence__in=OUT_PRESENCES) if can_be_cleaned(office, day)]


def office_line(office: LeaderOffice) -> str:
    """ "7楼 705室 吴晓峰": how an office is named in lists, the journal and notifications."""
    return f"{office.room} {office.leader.name}"


def cleaning_outstanding(day: date) -> list[str]:
    """What keeps the day's cleaning item open: the offices of leaders who are out (不在 that day, or 出差) not
    yet cleaned and locked, one line each (e.g. "7楼 705室 吴晓峰"). Empty: every such office is done."""
    locked = set(CleaningRecord.objects.filter(day=day, locked_at__isnull=False).values_list("office_id", flat=True))
    return [office_line(office) for office in offices_to_clean(day) if office.pk not in locked]


def cleaning_today(user: User, office: LeaderOffice) -> CleaningRecord | None:
    """The cleaning of `office` begun today, as `user` may see it (None: not begun)."""
    return cleanings_visible_to(user).filter(office=office, day=timezone.localdate()).first()


def cleanings_of_day(day: date) -> dict[int, CleaningRecord]:
    """The day's cleanings by office id."""
    return {cleaning.office_id: cleaning for cleaning in CleaningRecord.objects.filter(day=day)}


# Compound surnames that the leaders' directory may hold; any other name's surname is its first character.
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙")
# How a title is said when greeting (称谓): a deputy is greeted by the full rank, a general manager as 总.
_GREETING_RANKS = (
    ("总经理", "总"),
    ("董事长", "董事长"),
    ("书记", "书记"),
    ("局长", "局长"),
    ("主任", "主任"),
    ("处长", "处长"),
    ("部长", "部长"),
    ("经理", "经理"),
)


def surname(name: str) -> str:
    name = name.strip()
    return name[:2] if name.startswith(_COMPOUND_SURNAMES) else name[:1]


def greeting_title(leader: Person) -> str:
    """How the leader is greeted at the door (seed 篇3 (三) 1, "**总：您好！"): 周局长, 吴局长 for a 副局长, 韩总
    for a general manager; the surname and the title's last part when the title names no known rank."""
    title = leader.title.replace("，", "、").split("、")[-1].strip()
    for rank, said in _GREETING_RANKS:
        if title.endswith(rank):
            return f"{surname(leader.name)}{said}"
    return f"{surname(leader.name)}{title}" if title else leader.name


@dataclass(frozen=True)
class StepRow:
    step: CleaningStep
    done_at: datetime | None
    is_next: bool


def cleaning_step_rows(cleaning: CleaningRecord) -> list[StepRow]:
    """The sequence of the cleaning's office with the time each step was done, and which one comes next."""
    done = {code: datetime.fromisoformat(when) for code, when in cleaning.steps}
    rows = []
    next_found = False
    for step in cleaning_sequence(cleaning.office):
        is_next = not next_found and step.value not in done
        next_found = next_found or is_next
        rows.append(StepRow(step, done.get(step.value), is_next))
    return rows


def next_step(cleaning: CleaningRecord) -> CleaningStep | None:
    done = {code for code, _when in cleaning.steps}
    return next((step for step in cleaning_sequence(cleaning.office) if step.value not in done), None)


def cleaning_missing(cleaning: CleaningRecord) -> tuple[list[CleaningStep], list[Inspection]]:
    """(steps not done, inspections not answered): what stands between the cleaning and locking the door."""
    done = {code for code, _when in cleaning.steps}
    steps = [step for step in cleaning_sequence(cleaning.office) if step.value not in done]
    inspections = [item for item in cleaning_inspections(cleaning.office) if item.value not in cleaning.inspections]
    return steps, inspections


@dataclass(frozen=True)
class BoardRow:
    """One office on the presence board of a day."""

    office: LeaderOffice
    presence: str | None  # that day's (a Presence value), None when not set for it
    cleaning: CleaningRecord | None
    can_be_cleaned: bool

    @property
    def is_stale(self) -> bool:
        """Set on an earlier day to what held only for that day (在/不在): to be set again."""
        return self.presence is None and self.office.presence_set_at is not None

    @property
    def steps_done(self) -> int:
        return len(self.cleaning.steps) if self.cleaning else 0

    @property
    def steps_total(self) -> int:
        return len(cleaning_sequence(self.office))


def presence_board(day: date, offices: QuerySet[LeaderOffice]) -> list[BoardRow]:
    """The active offices among `offices` (already limited by access.py), with their presence and cleaning on
    `day`, in two queries."""
    cleanings = cleanings_of_day(day)
    return [
        BoardRow(office, presence_on(office, day), cleanings.get(office.pk), can_be_cleaned(office, day))
        for office in offices.filter(is_active=True)
    ]
