"""{% load delegations %}: a task's state and history entries named as its pages name them (describe.py)."""

from django import template

from huiwu.delegations import describe

register = template.Library()


@register.filter
def state_label(state: str) -> str:
    return describe.state_label(state)


@register.filter
def action_label(action: str) -> str:
    return describe.action_label(action)
