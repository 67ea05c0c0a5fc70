from django.urls import path

from huiwu.core import views

app_name = "core"

urlpatterns = [
    path("", views.today, name="today"),
]
