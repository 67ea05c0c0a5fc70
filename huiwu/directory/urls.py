from django.urls import path

from huiwu.directory import views

app_name = "directory"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/photo/", views.person_photo, name="person_photo"),
    path("organizations/", views.organizations, name="organizations"),
    path("organizations/<int:organization_id>/", views.organization, name="organization"),
]
