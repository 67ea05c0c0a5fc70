from django.urls import path

from huiwu.security import views

app_name = "security"

urlpatterns = [
    path("staff/", views.staff_list, name="staff"),
    path("staff/<int:user_id>/", views.staff_profile, name="profile"),
    path("staff/<int:user_id>/profile/", views.staff_profile_update_view, name="profile_update"),
    path("staff/<int:user_id>/training/", views.training_record_add_view, name="training_add"),
    path("staff/<int:user_id>/background-checks/", views.background_check_add_view, name="background_check_add"),
    path("staff/<int:user_id>/agreements/", views.agreement_add_view, name="agreement_add"),
    path("staff/<int:user_id>/authorizations/", views.authorization_grant_view, name="authorization_grant"),
    path("authorizations/<int:authorization_id>/revoke/", views.authorization_revoke_view, name="authorization_revoke"),
    path("audit/", views.audit_log, name="audit"),
]
