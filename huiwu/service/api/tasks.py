"""An attendant's next actions in the meetings they serve today."""

from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from huiwu.lib.api import DateTime, errors_answered
from huiwu.meetings.access import meetings_visible_to
from huiwu.service.access import require_service_reader
from huiwu.service.api.meeting import ServiceMeetingOut
from huiwu.service.selectors import tasks_for

router = Router(tags=["service"])


class TaskOut(Schema):
    at: DateTime = Field(description="When it is due, or when its window opens")
    kind: Literal["refill", "item", "start", "end"]
    meeting: ServiceMeetingOut
    label: str = Field(description="The checklist item; the refill's number; empty for start and end")
    phase: Literal["", "before", "during", "after"] = Field(description="Of a checklist item; else empty")
    late: bool


@router.get(
    "/service/my-tasks",
    response={200: list[TaskOut], **errors_answered()},
    summary="What the user has to do next in the meetings they serve today, in time order",
)
def my_tasks(request: HttpRequest):
    require_service_reader(request.user)
    return tasks_for(request.user, meetings_visible_to(request.user), timezone.now())
