from django.urls import path

from huiwu.reception.views import calendar, day, documents, journal, lunch, matters, newspapers, offices, sheet, team

app_name = "reception"

urlpatterns = [
    # --- the day: timeline and its one-tap items, the working-day calendar, the routine standard ---
    path("", day.day_page, name="day"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    # --- leaders' offices: presence board, cleaning; the reviewed-documents register ---
    path("offices/", offices.offices_page, name="offices"),
    path("documents/", documents.documents_page, name="documents"),
    # --- newspapers and the leaders' lunch ---
    path("newspapers/", newspapers.newspapers_page, name="newspapers"),
    path("lunch/", lunch.lunch_page, name="lunch"),
    # --- the journal and end-of-day review, the team (grooming, whereabouts), ad-hoc matters, the day sheet ---
    path("journal/", journal.journal_page, name="journal"),
    path("team/", team.team_page, name="team"),
    path("matters/", matters.matters_page, name="matters"),
    path("sheet/", sheet.sheet_page, name="sheet"),
]
