from django.apps import AppConfig
from django.db import connection
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "stedennet.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # On PostgreSQL the triggers of this app's migrations record every change; SQLite has none.
        if connection.vendor == "sqlite":
            from stedennet.audit import sqlite

            sqlite.connect()
