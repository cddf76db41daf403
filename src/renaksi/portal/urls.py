from django.urls import path

from renaksi.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("rencana/<int:plan_id>/", views.plan_detail, name="plan_detail"),
]
