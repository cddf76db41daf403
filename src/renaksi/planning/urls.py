from django.urls import path

from renaksi.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("rencana/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("rencana/<int:plan_id>/unduh/<str:fmt>/", views.plan_download, name="plan_download"),
    path("satker/<slug:agency_code>/rekap/", views.rollup_start, name="rollup_start"),
    path("ekspor/<uuid:job_id>/", views.export_job, name="export_job"),
    path("ekspor/<uuid:job_id>/berkas/", views.export_job_file, name="export_job_file"),
]
