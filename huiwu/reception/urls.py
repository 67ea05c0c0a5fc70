from django.urls import path

from huiwu.reception.views import calendar, day, documents, journal, lunch, newspapers, offices, team

app_name = "reception"

urlpatterns = [
    # The day: timeline, one-tap items, the calendar and the routine standard.
    path("", day.day_page, name="day"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    # Leaders' offices, presence board, cleaning; reviewed documents.
    path("offices/", offices.offices_page, name="offices"),
    path("documents/", documents.documents_page, name="documents"),
    # Newspapers and the leaders' lunch.
    path("newspapers/", newspapers.newspapers_page, name="newspapers"),
    path("lunch/", lunch.lunch_page, name="lunch"),
    # The journal, the end-of-day review, the team (grooming, whereabouts), ad-hoc matters, the day sheet.
    path("journal/", journal.journal_page, name="journal"),
    path("team/", team.team_page, name="team"),
]
