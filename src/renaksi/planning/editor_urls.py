from django.urls import path

from renaksi.planning import editor_views as views

app_name = "editor"

urlpatterns = [
    path("rencana/<int:plan_id>/susun/", views.editor, name="editor"),
    path("rencana/<int:plan_id>/susun/periksa/", views.check, name="check"),
    path("rencana/<int:plan_id>/susun/<slug:kind>/tambah/", views.add, name="add"),
    path("rencana/<int:plan_id>/susun/<slug:kind>/<int:obj_id>/", views.change, name="change"),
    path("satker/<slug:agency_code>/rencana-baru/", views.new_plan, name="new_plan"),
]
