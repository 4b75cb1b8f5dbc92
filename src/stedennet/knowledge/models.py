"""Knowledge exchange: a library of items (documents, practices, links), questions between
cities with answers and a best answer, and digest preferences. Every item carries a visibility
level; ``stedennet.governance.access.Viewer`` decides who sees it, everywhere (pages, search,
counts, facets, digests)."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stedennet.governance.models import Body, Person, Visibility
from stedennet.registry.models import Municipality
from stedennet.web.uploads import ALLOWED_TYPES, MAX_UPLOAD_BYTES

# The platform's one upload check decides which files the library takes (stedennet.web.uploads).
ALLOWED_EXTENSIONS = ALLOWED_TYPES
MAX_FILE_BYTES = MAX_UPLOAD_BYTES


def _token() -> str:
    return secrets.token_urlsafe(32)


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VisibleQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Only what ``viewer`` may see: public, members, members and partners, or one group."""
        if viewer.is_bureau:
            return self
        return self.filter(viewer.visible_q(visibility="visibility", body="group_id"))


class LibraryItem(models.Model):
    """A document, practice or link shared in the library."""

    wagtail_reference_index_ignore = True
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("Rich text; sanitised on save."))
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="library_items",
                               verbose_name=_("author"))
    municipality = models.ForeignKey(Municipality, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="library_items", verbose_name=_("city"))
    pillar = models.ForeignKey(Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("pillar"))
    theme_group = models.ForeignKey(Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("theme group"))
    tagged_municipalities = models.ManyToManyField(Municipality, blank=True, related_name="+",
                                                   verbose_name=_("about municipalities"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="items", verbose_name=_("topics"))
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.MEMBERS)
    group = models.ForeignKey(Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("visible to group"),
                              help_text=_("Only with the visibility 'this body only'."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["visibility", "group"]), models.Index(fields=["-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(visibility=Visibility.BODY) | models.Q(group__isnull=False),
                name="library_item_group_visibility_has_group"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:item", kwargs={"pk": self.pk})


class LibraryFile(models.Model):
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="files", verbose_name=_("item"))
    file = models.FileField(_("file"), upload_to="bibliotheek/%Y/%m/")
    title = models.CharField(_("title"), max_length=300)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.title


class LibraryLink(models.Model):
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="links", verbose_name=_("item"))
    url = models.URLField(_("link"))
    title = models.CharField(_("title"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.title or self.url


class Question(models.Model):
    """A question from one city to all members, or to one theme group."""

    wagtail_reference_index_ignore = True
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("explanation"), max_length=5000, blank=True)
    asker = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="questions", verbose_name=_("asked by"))
    municipality = models.ForeignKey(Municipality, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="questions", verbose_name=_("city"))
    group = models.ForeignKey(Body, on_delete=models.PROTECT, null=True, blank=True, related_name="questions",
                              verbose_name=_("asked to theme group"),
                              help_text=_("Empty: asked to all members."))
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.MEMBERS)
    best_answer = models.ForeignKey("Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("best answer"))
    followers = models.ManyToManyField(Person, blank=True, related_name="followed_questions",
                                       verbose_name=_("followers"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["visibility", "group"]), models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:question", kwargs={"pk": self.pk})


class Answer(models.Model):
    wagtail_reference_index_ignore = True
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("question"))
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="answers", verbose_name=_("author"))
    body = models.TextField(_("answer"), max_length=10000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"


class DigestFrequency(models.TextChoices):
    NONE = "none", _("No digest")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class DigestSubscription(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest",
                                verbose_name=_("user"))
    frequency = models.CharField(_("digest"), max_length=10, choices=DigestFrequency.choices,
                                 default=DigestFrequency.WEEKLY)
    unsubscribe_token = models.CharField(max_length=43, unique=True, default=_token, editable=False)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self) -> str:
        return f"{self.user} {self.frequency}"
