"""How the task's pages, exports and API name its state and the entries of its history.

The model's choices call a client's request "Requested", which the catalogue translates 待确认 as the meetings'
requests share it; on a task that reads as if the client had to confirm something. A request waits for the
service team to take it on: 待受理. Every other state and action reads as the model names it."""

from django.utils.translation import pgettext

from huiwu.delegations.models import DelegatedTask, DelegationEvent


def state_label(state: str) -> str:
    if state == DelegatedTask.State.REQUESTED:
        return pgettext("delegated task state", "Awaiting acceptance")
    return str(DelegatedTask.State(state).label)


def action_label(action: str) -> str:
    if action == DelegationEvent.Action.REQUESTED:
        return pgettext("delegated task history", "Requested by the client")
    return str(DelegationEvent.Action(action).label)


def state_choices() -> list[tuple[str, str]]:
    return [(state, state_label(state)) for state in DelegatedTask.State.values]
