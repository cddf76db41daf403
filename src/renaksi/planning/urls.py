from django.urls import path

from renaksi.exports import views as exports_views
from renaksi.planning import views

app_name = "planning"

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("rencana/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("rencana/<int:plan_id>/unduh/<str:fmt>/", exports_views.plan_download, name="plan_download"),
    path(
        "rencana/<int:plan_id>/unduh/<str:fmt>/buat/",
        exports_views.plan_export_start,
        name="plan_export_start",
    ),
    path("rencana/<int:plan_id>/ajukan/", views.plan_submit, name="plan_submit"),
    path("rencana/<int:plan_id>/setujui/", views.plan_approve, name="plan_approve"),
    path("rencana/<int:plan_id>/kembalikan/", views.plan_return, name="plan_return"),
    path("rencana/<int:plan_id>/riwayat/", views.plan_history_view, name="plan_history"),
    path("rencana/<int:plan_id>/baris/<int:line_id>/ubah/", views.line_edit, name="line_edit"),
    path("rencana/<int:plan_id>/baris/<int:line_id>/riwayat/", views.line_history_view, name="line_history"),
    path("satker/<slug:agency_code>/rekap/", exports_views.rollup_start, name="rollup_start"),
]
