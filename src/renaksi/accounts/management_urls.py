"""Management pages, mounted under ``kelola/`` (namespace ``manage``)."""

from django.urls import path

from renaksi.accounts import login_locks
from renaksi.accounts import management_views as views

app_name = "manage"

urlpatterns = [
    path("satker/", views.agency_list, name="agency_list"),
    path("satker/baru/", views.agency_create, name="agency_create"),
    path("satker/<slug:agency_code>/", views.agency_settings, name="agency_settings"),
    path("satker/<slug:agency_code>/anggota/", views.members, name="members"),
    path("satker/<slug:agency_code>/anggota/undang/", views.member_invite, name="member_invite"),
    path(
        "satker/<slug:agency_code>/anggota/<int:membership_id>/peran/", views.member_role, name="member_role"
    ),
    path(
        "satker/<slug:agency_code>/anggota/<int:membership_id>/hapus/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "satker/<slug:agency_code>/anggota/<int:membership_id>/nonaktifkan/",
        views.user_deactivate,
        name="user_deactivate",
    ),
    path(
        "satker/<slug:agency_code>/anggota/<int:membership_id>/setel-ulang-sandi/",
        views.member_password_reset,
        name="member_password_reset",
    ),
    path("login-terkunci/", login_locks.login_locks, name="login_locks"),
    path("login-terkunci/buka/", login_locks.login_unlock, name="login_unlock"),
    path(
        "satker/<slug:agency_code>/undangan/<int:invitation_id>/batal/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("referensi/", views.reference, name="reference"),
    path("referensi/pratinjau/", views.reference_preview, name="reference_preview"),
    path("referensi/simpan/", views.reference_commit, name="reference_commit"),
]
