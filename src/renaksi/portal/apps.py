from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "renaksi.portal"
    verbose_name = "Portal publik"
