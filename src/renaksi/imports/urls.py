from django.urls import path

from renaksi.imports import views

app_name = "imports"

urlpatterns = [
    path("satker/<slug:agency_code>/", views.upload, name="upload"),
    path("<uuid:pending_id>/", views.pending, name="pending"),
    path("<uuid:pending_id>/koreksi/", views.correct, name="correct"),
    path("<uuid:pending_id>/simpan/", views.commit, name="commit"),
    path("<uuid:pending_id>/batal/", views.discard, name="discard"),
]
