from django.urls import path

from huiwu.seating import views

app_name = "seating"

urlpatterns = [
    path("meetings/<int:meeting_id>/generate/", views.plan_generate, name="generate"),
    path("meetings/<int:meeting_id>/swap/", views.seats_swap, name="swap"),
    path("meetings/<int:meeting_id>/chart.pdf", views.chart_pdf, name="chart_pdf"),
    path("meetings/<int:meeting_id>/name-cards.pdf", views.cards_pdf, name="name_cards_pdf"),
]
