"""The search index moved to its own app (``stedennet.search``): the knowledge app lets go of the
model in Django's state only; the table and its rows stay, and ``search``'s migration 0001 takes
them over (and renames the table)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("knowledge", "0003_search_decisions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SearchDocument")],
            database_operations=[],
        ),
    ]
