"""The pillars' work programmes and the strategic agenda, moved out of governance (issue 10)
with their data.

1. State only: the models as they were in governance, on governance's tables (governance's
   ``0003_move_meetings_programmes`` took them out of its own state; no table is created).
2. The tables get this app's names (``governance_workprogramme`` → ``programmes_workprogramme``,
   …): a rename, the rows, keys and constraints stay.
3. The content types follow (``governance.action`` → ``programmes.action``, …), so Wagtail's
   history, the permissions of groups and the reference index keep pointing at the same rows.
   On a fresh database there are none yet (Django creates them after the migrations).
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ["workprogramme", "goal", "action", "progressupdate", "strategicagenda", "keymessage"]
STATUSES = [("planned", "Planned"), ("ongoing", "Ongoing"), ("done", "Done"), ("dropped", "Dropped")]


def content_types_move(apps, schema_editor, source="governance", target="programmes"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        moved = ContentType.objects.using(db).filter(app_label=source, model=model)
        if moved.exists():
            # An empty one made meanwhile by Django (a partial ``migrate``) gives way to the one with the history.
            ContentType.objects.using(db).filter(app_label=target, model=model).delete()
            moved.update(app_label=target)


def content_types_back(apps, schema_editor):
    content_types_move(apps, schema_editor, source="programmes", target="governance")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("governance", "0003_move_meetings_programmes"),
        ("registry", "0002_succession"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WorkProgramme",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("period_start", models.DateField(verbose_name="period from")),
                        ("period_end", models.DateField(verbose_name="period to")),
                        ("introduction", models.TextField(blank=True, verbose_name="introduction")),
                        ("is_public", models.BooleanField(default=False, verbose_name="public")),
                        ("is_demo", models.BooleanField(default=False, verbose_name="demo data")),
                        ("pillar", models.ForeignKey(limit_choices_to={"kind": "pillar"},
                                                     on_delete=django.db.models.deletion.PROTECT,
                                                     related_name="work_programmes", to="governance.body",
                                                     verbose_name="pillar")),
                    ],
                    options={
                        "verbose_name": "work programme",
                        "verbose_name_plural": "work programmes",
                        "ordering": ["pillar", "-period_start"],
                        "db_table": "governance_workprogramme",
                    },
                ),
                migrations.CreateModel(
                    name="Goal",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("number", models.PositiveSmallIntegerField(verbose_name="number")),
                        ("text", models.TextField(verbose_name="goal")),
                        ("programme", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                        related_name="goals", to="programmes.workprogramme",
                                                        verbose_name="work programme")),
                    ],
                    options={
                        "verbose_name": "goal",
                        "verbose_name_plural": "goals",
                        "ordering": ["programme", "number"],
                        "db_table": "governance_goal",
                    },
                ),
                migrations.CreateModel(
                    name="Action",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("title", models.CharField(max_length=300, verbose_name="title")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("status", models.CharField(choices=STATUSES, default="planned", max_length=10,
                                                    verbose_name="status")),
                        ("is_public", models.BooleanField(default=False, verbose_name="public")),
                        ("owner", models.ForeignKey(blank=True, limit_choices_to={"kind": "theme_group"}, null=True,
                                                    on_delete=django.db.models.deletion.PROTECT,
                                                    related_name="actions", to="governance.body",
                                                    verbose_name="owning theme group")),
                        ("goal", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                   related_name="actions", to="programmes.goal",
                                                   verbose_name="goal")),
                        ("programme", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                        related_name="actions", to="programmes.workprogramme",
                                                        verbose_name="work programme")),
                    ],
                    options={
                        "verbose_name": "action",
                        "verbose_name_plural": "actions",
                        "ordering": ["programme", "pk"],
                        "db_table": "governance_action",
                    },
                ),
                migrations.CreateModel(
                    name="ProgressUpdate",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("date", models.DateField(verbose_name="date")),
                        ("text", models.TextField(verbose_name="progress")),
                        ("status", models.CharField(choices=STATUSES, max_length=10, verbose_name="status after")),
                        ("action", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                     related_name="updates", to="programmes.action",
                                                     verbose_name="action")),
                        ("author", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                     related_name="+", to="governance.person",
                                                     verbose_name="author")),
                    ],
                    options={
                        "verbose_name": "progress update",
                        "verbose_name_plural": "progress updates",
                        "ordering": ["action", "date", "pk"],
                        "db_table": "governance_progressupdate",
                    },
                ),
                migrations.CreateModel(
                    name="StrategicAgenda",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("period_start", models.DateField(verbose_name="period from")),
                        ("period_end", models.DateField(verbose_name="period to")),
                        ("introduction", models.TextField(blank=True, verbose_name="introduction")),
                        ("source", models.CharField(blank=True, max_length=500, verbose_name="source")),
                        ("is_public", models.BooleanField(default=True, verbose_name="public")),
                        ("network", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                      related_name="strategic_agendas", to="registry.network",
                                                      verbose_name="network")),
                    ],
                    options={
                        "verbose_name": "strategic agenda",
                        "verbose_name_plural": "strategic agendas",
                        "ordering": ["-period_start"],
                        "db_table": "governance_strategicagenda",
                    },
                ),
                migrations.CreateModel(
                    name="KeyMessage",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("number", models.PositiveSmallIntegerField(verbose_name="number")),
                        ("text", models.TextField(verbose_name="key message")),
                        ("pillar", models.ForeignKey(blank=True, limit_choices_to={"kind": "pillar"}, null=True,
                                                     on_delete=django.db.models.deletion.SET_NULL,
                                                     related_name="key_messages", to="governance.body",
                                                     verbose_name="pillar")),
                        ("agenda", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                     related_name="key_messages", to="programmes.strategicagenda",
                                                     verbose_name="strategic agenda")),
                    ],
                    options={
                        "verbose_name": "key message",
                        "verbose_name_plural": "key messages",
                        "ordering": ["agenda", "number"],
                        "db_table": "governance_keymessage",
                    },
                ),
            ],
        ),
        *[migrations.AlterModelTable(name=name, table=None) for name in MODELS],
        migrations.RunPython(content_types_move, content_types_back),
    ]
