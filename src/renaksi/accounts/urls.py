from django.contrib.auth import views as auth_views
from django.urls import path

from renaksi.accounts import invitation_views, security_views

app_name = "accounts"

urlpatterns = [
    path("masuk/", security_views.LoginView.as_view(), name="login"),
    path("masuk/kode/", security_views.SecondFactorView.as_view(), name="login_code"),
    path("kata-sandi/", security_views.PasswordChangeView.as_view(), name="password_change"),
    path("keamanan/", security_views.account_security, name="security"),
    path("keamanan/autentikator/mulai/", security_views.totp_start, name="totp_start"),
    path("keamanan/autentikator/konfirmasi/", security_views.totp_confirm, name="totp_confirm"),
    path("keamanan/autentikator/nonaktifkan/", security_views.totp_disable, name="totp_disable"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("undangan/", invitation_views.invitation_list, name="invitations"),
    path(
        "undangan/<int:invitation_id>/terima/", invitation_views.invitation_accept, name="invitation_accept"
    ),
    path(
        "undangan/<int:invitation_id>/tolak/", invitation_views.invitation_decline, name="invitation_decline"
    ),
    path("undangan/<str:token>/", invitation_views.invitation_open, name="invitation_open"),
]
