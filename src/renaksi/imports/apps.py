from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "renaksi.imports"
    verbose_name = "Impor"
