from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from huiwu.lib.params import date_param
from huiwu.meetings.access import can_book, visible_meeting_ids
from huiwu.meetings.models import Meeting
from huiwu.meetings.selectors import day_bounds, meetings_between
from huiwu.meetings.timeline import week_days
from huiwu.venues.access import get_room_for_user, rooms_for


@login_required
def room_list(request: HttpRequest) -> HttpResponse:
    return render(request, "venues/room_list.html", {"rooms": rooms_for(request.user)})


@login_required
def room_detail(request: HttpRequest, code: str) -> HttpResponse:
    room = get_room_for_user(request.user, code)
    days = week_days(date_param(request.GET.get("week")) or timezone.localdate())
    start, end = day_bounds(days[0])[0], day_bounds(days[-1])[1]
    meetings = list(meetings_between(Meeting.objects.active().filter(room=room), start, end))
    visible_ids = visible_meeting_ids(request.user, meetings)
    week = [
        {
            "day": day,
            "meetings": [
                (meeting, meeting.pk in visible_ids)
                for meeting in meetings
                if timezone.localtime(meeting.start).date() == day
            ],
        }
        for day in days
    ]
    context = {
        "room": room,
        "week": week,
        "previous_week": days[0] - timedelta(days=7),
        "next_week": days[0] + timedelta(days=7),
        "can_book": can_book(request.user),
    }
    return render(request, "venues/room_detail.html", context)
