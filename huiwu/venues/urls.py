from django.urls import path

from huiwu.venues import views

app_name = "venues"

urlpatterns = [
    path("", views.room_list, name="list"),
    path("<slug:code>/", views.room_detail, name="detail"),
]
