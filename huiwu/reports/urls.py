from django.urls import path

from huiwu.reports import views

app_name = "reports"

urlpatterns = [path("", views.dashboard, name="dashboard")]
