"""The search index, taken over from the knowledge app with its rows: the model enters this app's
state on the table the knowledge app made (``knowledge_searchdocument``, with its indexes and
constraint, the PostgreSQL GIN index among them), then the table is renamed to
``search_searchdocument``. The content type follows (its permissions with it), and index tasks
that were queued under their old path run under the new one."""

import django.contrib.postgres.search
from django.db import migrations, models

OLD_TASKS = "stedennet.knowledge.tasks."
NEW_TASKS = "stedennet.search.tasks."
TASK_NAMES = ("search_index_update", "search_index_page_tree", "search_index_rebuild")


def content_type_move(apps, schema_editor, old="knowledge", new="search"):
    """The content type of the index changes app, keeping its id, so its permissions (and the
    groups that hold them) stay with it. One made meanwhile under the new name (a partial migrate
    on a new database) gives way to it."""
    types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    if types.filter(app_label=old, model="searchdocument").exists():
        types.filter(app_label=new, model="searchdocument").delete()
        types.filter(app_label=old, model="searchdocument").update(app_label=new)


def content_type_move_back(apps, schema_editor):
    content_type_move(apps, schema_editor, old="search", new="knowledge")


def task_paths_move(apps, schema_editor, old=OLD_TASKS, new=NEW_TASKS):
    """Index tasks stored by the database task backend (queued ones among them) point at the
    moved module."""
    results = apps.get_model("django_tasks_database", "DBTaskResult").objects.using(schema_editor.connection.alias)
    for name in TASK_NAMES:
        results.filter(task_path=old + name).update(task_path=new + name)


def task_paths_move_back(apps, schema_editor):
    task_paths_move(apps, schema_editor, old=NEW_TASKS, new=OLD_TASKS)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0001_initial"),
        ("knowledge", "0004_searchdocument_to_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchDocument",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("kind", models.CharField(choices=[
                            ("library", "Library"), ("question", "Question"), ("answer", "Answer"),
                            ("person", "Person"), ("page", "Page"), ("action", "Work-programme action"),
                            ("document", "Meeting document"), ("decision", "Decision")],
                            max_length=20, verbose_name="type")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("parent_id", models.PositiveBigIntegerField(
                            blank=True, help_text="The question of an answer, the meeting of a document.",
                            null=True)),
                        ("title", models.CharField(max_length=300, verbose_name="title")),
                        ("text", models.TextField(blank=True, help_text="The visible text, plain.",
                                                  verbose_name="text")),
                        ("url", models.CharField(blank=True, help_text="Stored for pages, actions and decisions only.",
                                                 max_length=500)),
                        ("visibility", models.CharField(choices=[
                            ("public", "Public"), ("members", "Members"),
                            ("members_partners", "Members and partners"), ("body", "This body only")],
                            max_length=20, verbose_name="visibility")),
                        ("group_id", models.PositiveBigIntegerField(
                            blank=True, help_text="The body whose members see it (visibility 'body').", null=True)),
                        ("pillar_id", models.PositiveBigIntegerField(blank=True, null=True)),
                        ("municipality_id", models.PositiveBigIntegerField(blank=True, null=True)),
                        ("year", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("date", models.DateTimeField(blank=True, null=True)),
                        ("is_demo", models.BooleanField(default=False)),
                        ("title_stems", models.TextField(blank=True)),
                        ("stems", models.TextField(blank=True)),
                        ("vector", django.contrib.postgres.search.SearchVectorField(blank=True, null=True)),
                    ],
                    options={
                        "verbose_name": "search index entry",
                        "verbose_name_plural": "search index entries",
                        "db_table": "knowledge_searchdocument",
                        "indexes": [models.Index(fields=["visibility", "group_id"], name="search_doc_visibility")],
                        "constraints": [models.UniqueConstraint(fields=("kind", "object_id"),
                                                                name="search_document_once")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="searchdocument", table=None),
        migrations.RunPython(content_type_move, content_type_move_back),
        migrations.RunPython(task_paths_move, task_paths_move_back),
    ]
