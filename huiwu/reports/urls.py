from django.urls import path

from huiwu.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("monthly/", views.monthly_reports, name="monthly"),
    path("monthly/<int:report_id>/pdf", views.monthly_report_pdf, name="monthly_pdf"),
]
