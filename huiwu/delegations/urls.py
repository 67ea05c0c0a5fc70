from django.urls import path

from huiwu.delegations import views

app_name = "delegations"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("new/", views.task_new, name="new"),
    path("<int:task_id>/", views.task_detail, name="detail"),
    path("<int:task_id>/edit/", views.task_edit, name="edit"),
    path("<int:task_id>/accept/", views.task_accept_view, name="accept"),
    path("<int:task_id>/assign/", views.task_assign_view, name="assign"),
    path("<int:task_id>/start/", views.task_start_view, name="start"),
    path("<int:task_id>/done/", views.task_done_view, name="done"),
    path("<int:task_id>/cost/", views.task_cost_view, name="cost"),
    path("<int:task_id>/confirm/", views.task_confirm_view, name="confirm"),
    path("<int:task_id>/dispute/", views.task_dispute_view, name="dispute"),
    path("<int:task_id>/notices/", views.task_notice_view, name="notice"),
    path("<int:task_id>/refuse/", views.task_refuse_view, name="refuse"),
    path("<int:task_id>/cancel/", views.task_cancel_view, name="cancel"),
    path("<int:task_id>/evidence/", views.evidence_upload_view, name="evidence_upload"),
    path("<int:task_id>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path("meetings/<int:meeting_id>/costs/", views.meeting_costs, name="meeting_costs"),
]
