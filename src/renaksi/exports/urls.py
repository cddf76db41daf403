"""Plan downloads and the province roll-up, under the plan's and agency's paths."""

from django.urls import path

from renaksi.exports import views

app_name = "exports"

urlpatterns = [
    path("rencana/<int:plan_id>/unduh/<str:fmt>/", views.plan_download, name="plan_download"),
    path("rencana/<int:plan_id>/unduh/<str:fmt>/buat/", views.plan_export_start, name="plan_export_start"),
    path("satker/<slug:agency_code>/rekap/", views.rollup_start, name="rollup_start"),
]
