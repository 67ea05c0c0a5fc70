from django.urls import path

from huiwu.feedback import views

app_name = "feedback"

urlpatterns = [
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:complaint_id>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:complaint_id>/steps/<str:step>/", views.complaint_step, name="complaint_step"),
    path("complaints/<int:complaint_id>/close/", views.complaint_close_view, name="complaint_close"),
    path(
        "complaints/<int:complaint_id>/return-visit/", views.complaint_return_visit_view, name="complaint_return_visit"
    ),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:complaint_id>/", views.case_detail, name="case"),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:follow_up_id>/", views.follow_up_detail, name="follow_up"),
    path("follow-ups/<int:follow_up_id>/close/", views.follow_up_close_view, name="follow_up_close"),
    path("follow-ups/<int:follow_up_id>/escalate/", views.follow_up_escalate_view, name="follow_up_escalate"),
]
