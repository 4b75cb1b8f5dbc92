"""The search index: one row per findable thing (library item, question, answer, person, public
page, work-programme action, meeting document, decision of a meeting, lobby dossier), with its
visible text and who may see it. The index is a copy that may be behind: the search checks every row against the
current permissions of its object when it reads (``search.selectors.current_objects``).

The rows are written only by ``stedennet.search.index`` (through background tasks that
``search.signals`` enqueue on save and delete, or a bulk rebuild) and read only by
``stedennet.search.selectors``. They carry no foreign keys: the index is a copy that is
refreshed, never a source of truth.

The table was made by the knowledge app (``knowledge_searchdocument``, its migrations 0002 and
0003); ``search`` took the model over in its migration 0001 and renamed the table.

- On PostgreSQL ``vector`` holds ``to_tsvector('dutch', …)`` of the title (weight A) and the text
  (weight B), under a GIN index (made by knowledge's migration 0002).
- On SQLite ``stems``/``title_stems`` hold the Snowball Dutch stems of the words, space-separated
  and padded with spaces (" organiser schuldhulpverlen "), so a stem is found with LIKE '% stem %'.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from stedennet.governance.models import Visibility


class SearchKind(models.TextChoices):
    LIBRARY = "library", _("Library")
    QUESTION = "question", _("Question")
    ANSWER = "answer", _("Answer")
    PERSON = "person", _("Person")
    PAGE = "page", _("Page")
    ACTION = "action", _("Work-programme action")
    DOCUMENT = "document", _("Meeting document")
    DECISION = "decision", _("Decision")
    DOSSIER = "dossier", _("Lobby dossier")


class SearchDocument(models.Model):
    kind = models.CharField(_("type"), max_length=20, choices=SearchKind.choices)
    object_id = models.PositiveBigIntegerField()
    parent_id = models.PositiveBigIntegerField(null=True, blank=True,
                                               help_text="The question of an answer, the meeting of a document.")
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True, help_text="The visible text, plain.")
    url = models.CharField(max_length=500, blank=True,
                           help_text="Stored for pages, actions, decisions and dossiers only.")
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices)
    group_id = models.PositiveBigIntegerField(null=True, blank=True,
                                              help_text="The body whose members see it (visibility 'body').")
    pillar_id = models.PositiveBigIntegerField(null=True, blank=True)
    municipality_id = models.PositiveBigIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    date = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    title_stems = models.TextField(blank=True)
    stems = models.TextField(blank=True)
    vector = SearchVectorField(null=True, blank=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once")]
        # PostgreSQL also has, from knowledge's migration 0002: a GIN index on ``vector`` and an index on
        # (date DESC NULLS LAST, id DESC) for "newest first" (SQLite cannot index NULLS LAST).
        indexes = [models.Index(fields=["visibility", "group_id"], name="search_doc_visibility")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
