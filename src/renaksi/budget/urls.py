from django.urls import path

from renaksi.budget import views

app_name = "budget"

urlpatterns = [
    path("rencana/<int:plan_id>/pagu/", views.ceilings, name="ceilings"),
    path("rencana/<int:plan_id>/pagu/<int:ceiling_id>/", views.ceiling_edit, name="ceiling_edit"),
    path("rencana/<int:plan_id>/pagu/impor/", views.ceiling_import, name="ceiling_import"),
    path(
        "rencana/<int:plan_id>/pagu/impor/simpan/", views.ceiling_import_commit, name="ceiling_import_commit"
    ),
    path("rencana/<int:plan_id>/rpd/", views.rpd, name="rpd"),
    path("rencana/<int:plan_id>/rpd/unduh/<str:fmt>/", views.rpd_download, name="rpd_download"),
    path("rencana/<int:plan_id>/rpd/baris/<int:line_id>/", views.rpd_line, name="rpd_line"),
]
