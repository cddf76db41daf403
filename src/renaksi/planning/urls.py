from django.urls import path

from renaksi.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("rencana/<int:plan_id>/", views.plan_detail, name="plan_detail"),
]
