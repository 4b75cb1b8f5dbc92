"""Meetings of governance bodies: the meeting with its agenda, attendance, minutes and numbered
decisions, and its documents with who may see them. Until issue 10 these were governance models;
their tables were taken over as they were (see ``migrations/0001_initial``)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stedennet.governance.models import Body, Person, Visibility


class Meeting(models.Model):
    wagtail_reference_index_ignore = True
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings",
                             verbose_name=pgettext_lazy("governance", "body"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_approved_on = models.DateField(_("minutes approved on"), null=True, blank=True)
    uid = models.CharField(max_length=100, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False, help_text="iCalendar SEQUENCE")
    cancelled = models.BooleanField(_("cancelled"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="meeting_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.body} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", kwargs={"pk": self.pk})


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items",
                                verbose_name=_("meeting"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    presenter = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("presenter"))
    proposal = models.TextField(_("proposal"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class MeetingDocument(models.Model):
    """A document of a meeting (or one of its agenda items), with who may see it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="documents", verbose_name=_("agenda item"))
    title = models.CharField(_("title"), max_length=300)
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("file"))
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.BODY)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "agenda_item__number", "title"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent with notice")
        SUBSTITUTED = "substituted", _("Substituted")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance",
                                verbose_name=_("meeting"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("person"))
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices)
    substitute = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("substitute"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class Decision(models.Model):
    """A numbered decision of a meeting ("AB 2026-03/2"), linked to its agenda item."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions",
                                    verbose_name=_("agenda item"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="decision_unique_number")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"

    @property
    def reference(self) -> str:
        local = timezone.localtime(self.meeting.starts_at)
        return f"{self.meeting.body.short_name or self.meeting.body.name} {local:%Y-%m-%d}/{self.number}"
