"""The history pages, under the plan's paths (``/rencana/<id>/riwayat/``)."""

from django.urls import path

from renaksi.history import views

app_name = "history"

urlpatterns = [
    path("rencana/<int:plan_id>/riwayat/", views.plan_history_view, name="plan_history"),
    path("rencana/<int:plan_id>/baris/<int:line_id>/riwayat/", views.line_history_view, name="line_history"),
]
