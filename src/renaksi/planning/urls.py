from django.urls import path

from renaksi.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("rencana/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("rencana/<int:plan_id>/ajukan/", views.plan_submit, name="plan_submit"),
    path("rencana/<int:plan_id>/setujui/", views.plan_approve, name="plan_approve"),
    path("rencana/<int:plan_id>/kembalikan/", views.plan_return, name="plan_return"),
    path("rencana/<int:plan_id>/baris/<int:line_id>/ubah/", views.line_edit, name="line_edit"),
]
