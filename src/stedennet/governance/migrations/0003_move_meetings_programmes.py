"""Meetings and work programmes leave governance (issue 10) for the apps ``meetings`` and
``programmes``, which take their tables over, with the rows in them, in their ``0001_initial``.
Here the models only leave governance's migration state: no table is touched."""

from django.db import migrations

# Models that point at others first, so that no model left in the state points at a removed one.
MOVED = [
    "decision", "attendance", "meetingdocument", "agendaitem", "meeting",
    "progressupdate", "action", "goal", "workprogramme", "keymessage", "strategicagenda",
]


class Migration(migrations.Migration):

    dependencies = [
        ("governance", "0002_invitation_to_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name=name) for name in MOVED],
        ),
    ]
