from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "renaksi.jobs"
    verbose_name = "Pekerjaan"
