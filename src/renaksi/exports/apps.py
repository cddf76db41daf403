from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "renaksi.exports"
    verbose_name = "Ekspor"
