from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "renaksi.agencies"
    verbose_name = "Satuan Kerja"
