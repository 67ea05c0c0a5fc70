"""What the service API's modules share: the choices as inline enums, the field names of its errors, and
the meeting fetched as the service sees it."""

from django.http import HttpRequest

from huiwu.lib.api import one_of
from huiwu.meetings.models import Meeting
from huiwu.service.access import get_service_meeting_for_user
from huiwu.service.facts import FactKind
from huiwu.service.models import Assignment, CheckRecord, EarlyReason, MeetingCheck, Phase, Season, ServiceLogEntry

# The services name the objects; the API's fields name their ids.
REQUEST_FIELDS = {"attendant": "attendant_id"}

CheckState = one_of(MeetingCheck.State)
CheckAction = one_of(CheckRecord.Action)
FactName = one_of(FactKind)
Duty = one_of(Assignment.Duty)
PhaseName = one_of(Phase)
SeasonName = one_of(Season)
RequestKind = one_of(ServiceLogEntry.Kind)
EarlyReasonName = one_of(EarlyReason)


def service_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return get_service_meeting_for_user(request.user, meeting_id)
