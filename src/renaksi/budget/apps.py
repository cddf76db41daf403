from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "renaksi.budget"
    verbose_name = "Pagu dan RPD"
