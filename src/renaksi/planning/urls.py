from django.urls import path

from renaksi.planning import views, workflow_views

app_name = "planning"

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("rencana/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("rencana/<int:plan_id>/ajukan/", workflow_views.plan_submit, name="plan_submit"),
    path("rencana/<int:plan_id>/tarik/", workflow_views.plan_withdraw, name="plan_withdraw"),
    path("rencana/<int:plan_id>/setujui/", workflow_views.plan_approve, name="plan_approve"),
    path("rencana/<int:plan_id>/kembalikan/", workflow_views.plan_return, name="plan_return"),
    path("rencana/<int:plan_id>/revisi/", workflow_views.plan_revise, name="plan_revise"),
    path("rencana/<int:plan_id>/versi/", workflow_views.plan_versions, name="plan_versions"),
    path("rencana/<int:plan_id>/versi/banding/", workflow_views.version_diff, name="version_diff"),
    path(
        "rencana/<int:plan_id>/versi/banding.xlsx", workflow_views.version_diff_xlsx, name="version_diff_xlsx"
    ),
    path("rencana/<int:plan_id>/baris/<int:line_id>/ubah/", views.line_edit, name="line_edit"),
]
