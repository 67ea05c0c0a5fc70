from django.urls import path

from huiwu.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.results, name="results"),
    path("meetings/<int:meeting_id>/", views.meeting_survey, name="meeting"),
    path("meetings/<int:meeting_id>/answer/", views.meeting_survey_answer, name="meeting_answer"),
    path("invitations/<int:invitation_id>/renew/", views.invitation_renew, name="renew"),
    path("answer/<str:survey_token>/", views.answer, name="answer"),
]
