from django.urls import path

from huiwu.meetings import feeds, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("timeline/", views.timeline, name="timeline"),
    path("new/", views.meeting_new, name="new"),
    path("check/", views.booking_check, name="check"),
    path("contacts/", views.contact_options, name="contacts"),
    path("free-rooms/", views.free_rooms, name="free_rooms"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("<int:meeting_id>/cancel/", views.meeting_cancel_view, name="cancel"),
    path("<int:meeting_id>/confirm/", views.meeting_confirm_view, name="confirm"),
    path("<int:meeting_id>/reject/", views.meeting_reject_view, name="reject"),
    *feeds.urlpatterns,
]
