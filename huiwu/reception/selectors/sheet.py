"""The reception day sheet (礼仪接待日报): everything the team did on one day, on one printable page and in the
API — the timeline with who did each item and when, the reviewed documents handed over and still waiting,
the newspaper round, the leaders' lunch, the office cleanings, the team's grooming, the day's journal and the
next working day's meetings.

One gate first (who may read the reception day), then every register through its access helper; the
newspaper round and the lunch are read as their own pages read them, so that the sheet says what they say.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils.translation import pgettext

from huiwu.accounts.models import User
from huiwu.meetings.selectors import day_bounds
from huiwu.reception.access import (
    cleanings_visible_to,
    day_plans_visible_to,
    documents_visible_to,
    journal_visible_to,
    require_reader,
    routine_items_visible_to,
)
from huiwu.reception.models import CleaningRecord, DayPlan, GroomingCheck, JournalEntry, ReviewedDocument, RoutineItem
from huiwu.reception.selectors.journal import MeetingLine, journal_of_day, meetings_of_day, next_workday_of
from huiwu.reception.selectors.lunch import LunchOverview, lunch_overview
from huiwu.reception.selectors.newspapers import DistributionList, distribution_list
from huiwu.reception.selectors.offices import cleaning_inspections, cleaning_sequence, inspection_answers
from huiwu.reception.selectors.team import grooming_of_day
from huiwu.reception.workdays import DayInfo, day_info


@dataclass(frozen=True)
class CleaningLine:
    cleaning: CleaningRecord
    steps_done: int
    steps_total: int
    # (inspection, answer) in the inspection order, answered ones only, both in the reader's language.
    inspections: list[tuple[str, str]]
    documents: int

    @property
    def inspections_text(self) -> str:
        return pgettext("list separator", ", ").join(
            pgettext("inspection and its answer", "%(inspection)s: %(answer)s")
            % {"inspection": inspection, "answer": answer}
            for inspection, answer in self.inspections
        )


@dataclass(frozen=True)
class DaySheet:
    day: date
    info: DayInfo
    plan: DayPlan | None
    items: list[RoutineItem]
    documents_handed: list[ReviewedDocument]
    documents_waiting: list[ReviewedDocument]
    newspapers: DistributionList
    lunch: LunchOverview
    cleanings: list[CleaningLine]
    grooming: list[tuple[User, GroomingCheck | None]]
    journal: list[JournalEntry]
    next_day: date | None
    calendar_problem: str
    meetings: list[MeetingLine]


def _cleaning_line(cleaning: CleaningRecord) -> CleaningLine:
    answered = []
    for inspection in cleaning_inspections(cleaning.office):
        answer = cleaning.inspections.get(inspection.value)
        if answer is None:
            continue
        labels = dict(inspection_answers(inspection.value).choices)
        answered.append((str(inspection.label), str(labels.get(answer, answer))))
    return CleaningLine(
        cleaning=cleaning,
        steps_done=len(cleaning.steps),
        steps_total=len(cleaning_sequence(cleaning.office)),
        inspections=answered,
        documents=cleaning.documents_taken,
    )


def day_sheet(user: User, day: date) -> DaySheet:
    """The sheet of `day` as `user` may see it. RoleRequired (403) for who may not read the reception day. A
    fixed number of queries whatever the day holds."""
    require_reader(user)
    start, end = day_bounds(day)
    plan = day_plans_visible_to(user).filter(day=day).first()
    items = list(routine_items_visible_to(user).filter(plan__day=day).order_by("due_at", "id")) if plan else []
    documents = documents_visible_to(user)
    handed = documents.filter(handed_at__gte=start, handed_at__lt=end).order_by("handed_at", "id")
    # Waiting at the end of that day: retrieved by then and not handed over by then (an old day reads as it was).
    waiting = (
        documents.filter(retrieved_at__lt=end)
        .exclude(handed_at__lt=end)
        .order_by("due_at", "id")
        .select_related("office__leader")
    )
    cleanings = (
        cleanings_visible_to(user)
        .filter(day=day)
        .annotate(documents_taken=Count("documents"))
        .order_by("started_at", "id")
    )
    next_day, problem = next_workday_of(day)
    return DaySheet(
        day=day,
        info=day_info(day),
        plan=plan,
        items=items,
        documents_handed=list(handed),
        documents_waiting=list(waiting),
        newspapers=distribution_list(day),
        lunch=lunch_overview(day),
        cleanings=[_cleaning_line(cleaning) for cleaning in cleanings],
        grooming=grooming_of_day(day),
        journal=journal_of_day(journal_visible_to(user), day),
        next_day=next_day,
        calendar_problem=problem,
        meetings=meetings_of_day(user, next_day) if next_day else [],
    )
