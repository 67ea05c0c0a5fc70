"""An attendant's work in the meetings they serve today, one entry per meeting as on the phone page."""

from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from huiwu.lib.api import DateTime, errors_answered
from huiwu.meetings.access import meetings_visible_to
from huiwu.service.access import require_service_reader
from huiwu.service.api.meeting import ChecklistLineOut, ServiceMeetingOut
from huiwu.service.api.types import PhaseName
from huiwu.service.selectors import ChecklistProgress, Task, tasks_for

router = Router(tags=["service"])


class TaskOut(Schema):
    kind: Literal["start", "refill", "end"]
    title: str = Field(description='In the caller\'s language, e.g. "第 2 次续水"')
    number: int | None = Field(description="The refill's number (1 = the first after the start); null otherwise")
    at: DateTime = Field(description="When it is due; for a refill, when its window opens")
    late_after: DateTime = Field(description="When it becomes late: the refill window's close; the start or end itself")
    countdown_minutes: int = Field(description="Minutes from now until `at`; negative once it has passed")
    late: bool
    late_minutes: int = Field(description="How late it is (at least 1 once late); 0 when it is not")
    needs_reason: bool = Field(
        description="A refill before its window opens: recording it needs early_reason (and a note for other)"
    )
    possible: bool = Field(description="Whether it can be recorded now (a start only once the room is held)")

    @staticmethod
    def resolve_number(task: Task) -> int | None:
        return int(task.label) if task.kind == "refill" else None

    @staticmethod
    def resolve_countdown_minutes(task: Task) -> int:
        return task.countdown


class ChecklistProgressOut(Schema):
    phase: PhaseName = Field(description="The meeting's current phase: before until the start, during, after the end")
    title: str
    done: int
    total: int
    due_at: DateTime | None = Field(description="Before the meeting: when the room must be ready; else null")
    late: bool = Field(description="Past its due time with items left")
    items: list[ChecklistLineOut]

    @staticmethod
    def resolve_items(checklist: ChecklistProgress) -> list:
        return checklist.lines


class MeetingTasksOut(Schema):
    meeting: ServiceMeetingOut
    next: TaskOut | None = Field(description="The meeting's next action; null once it has ended")
    later: list[TaskOut] = Field(description="Its other timed steps, in time order (the end while it runs)")
    checklist: ChecklistProgressOut | None = Field(description="The checklist of its current phase, if it has items")
    finished: bool = Field(description="Nothing left to do in it")


@router.get(
    "/service/my-tasks",
    response={200: list[MeetingTasksOut], **errors_answered()},
    summary="The caller's work in each meeting they serve today: next action, later steps, checklist",
)
def my_tasks(request: HttpRequest):
    require_service_reader(request.user)
    return tasks_for(request.user, meetings_visible_to(request.user), timezone.now())
