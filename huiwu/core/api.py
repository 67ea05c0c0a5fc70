"""The today page over JSON: the same sections, counts and rows as the page, for the signed-in user."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from huiwu.core.today import today_sections
from huiwu.lib.api import Date, DateTime, errors_answered
from huiwu.lib.today import TodayCount, TodayItem, TodayList, TodaySection, Tone

router = Router(tags=["today"])


class TodayCountOut(Schema):
    label: str
    value: int
    tone: Tone
    url: str = Field(description="Where these are listed; empty: nowhere in particular")


class TodayItemOut(Schema):
    title: str
    at: DateTime | None = Field(description="When: a meeting's start, a check's due time, a task's time")
    place: str = Field(description="Usually the room")
    status: str
    tone: Tone = Field(description="neutral, ok (done), waiting (to do), alert (late or wrong)")
    detail: str
    url: str = Field(description="The page where it is done")
    action: str = Field(description="What the link does, e.g. “Confirm or reject”")


class TodayListOut(Schema):
    title: str
    total: int = Field(description="How many there are; `items` lists the first of them")
    items: list[TodayItemOut]
    empty: str = Field(description="What the page says when there are none")
    url: str = Field(description="The page listing all of them")


class TodaySectionOut(Schema):
    role: str
    role_label: str
    title: str = Field(
        description="The section's heading: the role's name, or what it is about when one role has several"
    )
    hint: str
    waiting: str = Field(description="One line on what is waiting; empty: nothing")
    link_url: str
    link_label: str
    counts: list[TodayCountOut]
    lists: list[TodayListOut]


class TodayOut(Schema):
    date: Date
    sections: list[TodaySectionOut] = Field(description="One per role of the user, in the order of the roles")


def _count(count: TodayCount) -> dict:
    return {"label": str(count.label), "value": count.value, "tone": count.tone, "url": count.url}


def _item(item: TodayItem) -> dict:
    return {
        "title": item.title,
        "at": item.at,
        "place": item.place,
        "status": str(item.status),
        "tone": item.tone,
        "detail": str(item.detail),
        "url": item.url,
        "action": str(item.action),
    }


def _list(today_list: TodayList) -> dict:
    return {
        "title": str(today_list.title),
        "total": today_list.total,
        "items": [_item(item) for item in today_list.items],
        "empty": str(today_list.empty),
        "url": today_list.url,
    }


def _section(section: TodaySection) -> dict:
    return {
        "role": section.role.value,
        "role_label": str(section.role.label),
        "title": str(section.title or section.role.label),
        "hint": str(section.hint),
        "waiting": str(section.waiting),
        "link_url": section.link_url,
        "link_label": str(section.link_label),
        "counts": [_count(count) for count in section.counts],
        "lists": [_list(today_list) for today_list in section.lists],
    }


@router.get(
    "/today",
    response={200: TodayOut, **errors_answered()},
    summary="The caller's today page: per role, what is waiting, with counts and the rows to act on",
)
def today(request: HttpRequest):
    return {"date": timezone.localdate(), "sections": [_section(section) for section in today_sections(request.user)]}
