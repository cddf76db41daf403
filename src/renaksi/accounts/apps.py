from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "renaksi.accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from renaksi.accounts import signals  # noqa: F401  (connects the login stamp)
