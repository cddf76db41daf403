from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "renaksi.planning"
    verbose_name = "Rencana Aksi"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from renaksi.sqlite_journal import use_wal, use_wal_after_migrate

        connection_created.connect(use_wal, dispatch_uid="renaksi.sqlite_journal.use_wal")
        post_migrate.connect(
            use_wal_after_migrate, sender=self, dispatch_uid="renaksi.sqlite_journal.migrate"
        )
