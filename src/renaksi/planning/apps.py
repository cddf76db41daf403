from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "renaksi.planning"
    verbose_name = "Rencana Aksi"
