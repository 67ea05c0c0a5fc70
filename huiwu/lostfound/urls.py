from django.urls import path

from huiwu.lostfound import views

app_name = "lostfound"

urlpatterns = [
    path("", views.lost_item_list, name="list"),
    path("new/", views.lost_item_new, name="new"),
    path("<int:item_id>/", views.lost_item_detail, name="detail"),
    path("<int:item_id>/return/", views.lost_item_return_view, name="return"),
]
