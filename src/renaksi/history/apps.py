from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "renaksi.history"
    verbose_name = "Riwayat"
