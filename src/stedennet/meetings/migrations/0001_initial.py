"""The meetings of bodies, moved out of governance (issue 10) with their data.

1. State only: the models as they were in governance, on governance's tables (governance's
   ``0003_move_meetings_programmes`` took them out of its own state; no table is created).
2. The tables get this app's names (``governance_meeting`` → ``meetings_meeting``, …): a rename,
   the rows, keys and constraints stay.
3. The content types follow (``governance.meeting`` → ``meetings.meeting``, …), so Wagtail's
   history, the permissions of groups and the reference index keep pointing at the same rows.
   On a fresh database there are none yet (Django creates them after the migrations).
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ["meeting", "agendaitem", "meetingdocument", "attendance", "decision"]


def content_types_move(apps, schema_editor, source="governance", target="meetings"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        moved = ContentType.objects.using(db).filter(app_label=source, model=model)
        if moved.exists():
            # An empty one made meanwhile by Django (a partial ``migrate``) gives way to the one with the history.
            ContentType.objects.using(db).filter(app_label=target, model=model).delete()
            moved.update(app_label=target)


def content_types_back(apps, schema_editor):
    content_types_move(apps, schema_editor, source="meetings", target="governance")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("governance", "0003_move_meetings_programmes"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Meeting",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("title", models.CharField(blank=True, max_length=200, verbose_name="title")),
                        ("starts_at", models.DateTimeField(verbose_name="starts at")),
                        ("ends_at", models.DateTimeField(verbose_name="ends at")),
                        ("location", models.CharField(blank=True, max_length=300, verbose_name="place")),
                        ("online_url", models.URLField(blank=True, verbose_name="online link")),
                        ("minutes", models.TextField(blank=True, verbose_name="minutes")),
                        ("minutes_approved_on", models.DateField(blank=True, null=True,
                                                                 verbose_name="minutes approved on")),
                        ("uid", models.CharField(editable=False, max_length=100, unique=True)),
                        ("sequence", models.PositiveIntegerField(default=0, editable=False,
                                                                 help_text="iCalendar SEQUENCE")),
                        ("cancelled", models.BooleanField(default=False, verbose_name="cancelled")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("body", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                   related_name="meetings", to="governance.body",
                                                   verbose_name="body")),
                    ],
                    options={
                        "verbose_name": "meeting",
                        "verbose_name_plural": "meetings",
                        "ordering": ["starts_at"],
                        "db_table": "governance_meeting",
                        "constraints": [models.CheckConstraint(condition=models.Q(("ends_at__gt",
                                                                                   models.F("starts_at"))),
                                                               name="meeting_ends_after_start")],
                    },
                ),
                migrations.CreateModel(
                    name="AgendaItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("number", models.PositiveSmallIntegerField(verbose_name="number")),
                        ("title", models.CharField(max_length=300, verbose_name="title")),
                        ("proposal", models.TextField(blank=True, verbose_name="proposal")),
                        ("meeting", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                      related_name="agenda_items", to="meetings.meeting",
                                                      verbose_name="meeting")),
                        ("presenter", models.ForeignKey(blank=True, null=True,
                                                        on_delete=django.db.models.deletion.SET_NULL,
                                                        related_name="+", to="governance.person",
                                                        verbose_name="presenter")),
                    ],
                    options={
                        "verbose_name": "agenda item",
                        "verbose_name_plural": "agenda items",
                        "ordering": ["meeting", "number"],
                        "db_table": "governance_agendaitem",
                        "constraints": [models.UniqueConstraint(fields=("meeting", "number"),
                                                                name="agenda_item_unique_number")],
                    },
                ),
                migrations.CreateModel(
                    name="MeetingDocument",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("title", models.CharField(max_length=300, verbose_name="title")),
                        ("visibility", models.CharField(choices=[("public", "Public"), ("members", "Members"),
                                                                 ("members_partners", "Members and partners"),
                                                                 ("body", "This body only")],
                                                        default="body", max_length=20, verbose_name="visibility")),
                        ("agenda_item", models.ForeignKey(blank=True, null=True,
                                                          on_delete=django.db.models.deletion.CASCADE,
                                                          related_name="documents", to="meetings.agendaitem",
                                                          verbose_name="agenda item")),
                        ("document", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                       related_name="+", to="wagtaildocs.document",
                                                       verbose_name="file")),
                        ("meeting", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                      related_name="documents", to="meetings.meeting",
                                                      verbose_name="meeting")),
                    ],
                    options={
                        "verbose_name": "meeting document",
                        "verbose_name_plural": "meeting documents",
                        "ordering": ["meeting", "agenda_item__number", "title"],
                        "db_table": "governance_meetingdocument",
                    },
                ),
                migrations.CreateModel(
                    name="Attendance",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("status", models.CharField(choices=[("present", "Present"),
                                                             ("absent", "Absent with notice"),
                                                             ("substituted", "Substituted")],
                                                    max_length=20, verbose_name="attendance")),
                        ("meeting", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                      related_name="attendance", to="meetings.meeting",
                                                      verbose_name="meeting")),
                        ("person", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                     related_name="attendance", to="governance.person",
                                                     verbose_name="person")),
                        ("substitute", models.ForeignKey(blank=True, null=True,
                                                         on_delete=django.db.models.deletion.PROTECT,
                                                         related_name="+", to="governance.person",
                                                         verbose_name="substitute")),
                    ],
                    options={
                        "verbose_name": "attendance",
                        "verbose_name_plural": "attendance",
                        "db_table": "governance_attendance",
                        "constraints": [models.UniqueConstraint(fields=("meeting", "person"),
                                                                name="attendance_once_per_person")],
                    },
                ),
                migrations.CreateModel(
                    name="Decision",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("number", models.PositiveSmallIntegerField(verbose_name="number")),
                        ("text", models.TextField(verbose_name="decision")),
                        ("agenda_item", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                          related_name="decisions", to="meetings.agendaitem",
                                                          verbose_name="agenda item")),
                        ("meeting", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                      related_name="decisions", to="meetings.meeting",
                                                      verbose_name="meeting")),
                    ],
                    options={
                        "verbose_name": "decision",
                        "verbose_name_plural": "decisions",
                        "ordering": ["meeting", "number"],
                        "db_table": "governance_decision",
                        "constraints": [models.UniqueConstraint(fields=("meeting", "number"),
                                                                name="decision_unique_number")],
                    },
                ),
            ],
        ),
        *[migrations.AlterModelTable(name=name, table=None) for name in MODELS],
        migrations.RunPython(content_types_move, content_types_back),
    ]
