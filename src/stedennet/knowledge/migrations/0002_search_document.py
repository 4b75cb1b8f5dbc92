"""The search index table (``knowledge.models_search.SearchDocument``); on PostgreSQL a GIN index
on its Dutch tsvector and an index for newest first. Fill it for existing data with ``stedennet search-index``."""

import django.contrib.postgres.search
from django.db import migrations, models

GIN_NAME = "search_doc_vector_gin"
NEWEST_NAME = "search_doc_newest"


def postgres_indexes_create(apps, schema_editor):
    """The Dutch tsvector's GIN index, and newest first (SQLite cannot index NULLS LAST)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_NAME} ON knowledge_searchdocument USING gin (vector)")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NEWEST_NAME} ON knowledge_searchdocument "
                              "(date DESC NULLS LAST, id DESC)")


def postgres_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_NAME}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {NEWEST_NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("knowledge", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("library", "Library"), ("question", "Question"),
                                                   ("answer", "Answer"), ("person", "Person"), ("page", "Page"),
                                                   ("action", "Work-programme action"),
                                                   ("document", "Meeting document")],
                                          max_length=20, verbose_name="type")),
                ("object_id", models.PositiveBigIntegerField()),
                ("parent_id", models.PositiveBigIntegerField(
                    blank=True, help_text="The question of an answer, the meeting of a document.", null=True)),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("text", models.TextField(blank=True, help_text="The visible text, plain.", verbose_name="text")),
                ("url", models.CharField(blank=True, help_text="Stored for pages and actions only.", max_length=500)),
                ("visibility", models.CharField(choices=[("public", "Public"), ("members", "Members"),
                                                         ("members_partners", "Members and partners"),
                                                         ("body", "This body only")],
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
                "indexes": [models.Index(fields=["visibility", "group_id"], name="search_doc_visibility")],
                "constraints": [models.UniqueConstraint(fields=("kind", "object_id"), name="search_document_once")],
            },
        ),
        migrations.RunPython(postgres_indexes_create, postgres_indexes_drop),
    ]
