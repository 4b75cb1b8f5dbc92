"""Governance: bodies (boards, pillars, their meetings, theme groups), people and the positions
they hold for a term, meetings with agenda, attendance, minutes and numbered decisions, and the
pillars' work programmes. Positions are never rewritten: a term that ends gets its end date; a
successor holds a new position."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stedennet.registry.models import Municipality, Network, PartnerOrganisation


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Track(models.TextChoices):
    """Administrative bodies seat administrators (mayors, aldermen); civil-service bodies seat civil servants."""

    ADMINISTRATIVE = "administrative", _("Administrative")
    CIVIL_SERVICE = "civil_service", _("Civil service")


class BodyKind(models.TextChoices):
    BOARD = "board", _("Board")
    SUPPORT = "support", _("Support team")
    PILLAR = "pillar", _("Pillar")
    PILLAR_MEETING = "pillar_meeting", _("Pillar meeting")
    THEME_GROUP = "theme_group", _("Theme group")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    MEMBERS_AND_PARTNERS = "members_partners", _("Members and partners")
    BODY = "body", _("This body only")


class Body(models.Model):
    """A body of the network. Pillars are bodies that group their meetings and theme groups."""

    wagtail_reference_index_ignore = True
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="bodies", verbose_name=_("network"))
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, blank=True,
                             help_text=_("Empty for a pillar, which has both an administrative and a "
                                         "civil-service meeting."))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("pillar"))
    description = models.TextField(_("description"), blank=True)
    is_open = models.BooleanField(_("open to join"), default=True,
                                  help_text=_("Theme groups: open ones people join themselves; for closed ones the "
                                              "bureau approves requests."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    archived_at = models.DateField(_("archived on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False,
                                  help_text=_("Invented for demonstration; not a body of the real network."))

    class Meta:
        verbose_name = pgettext_lazy("governance", "body")
        verbose_name_plural = pgettext_lazy("governance", "bodies")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_theme_group(self) -> bool:
        return self.kind == BodyKind.THEME_GROUP

    def get_absolute_url(self) -> str:
        if self.kind == BodyKind.PILLAR:
            return reverse("governance:pillar", kwargs={"slug": self.slug})
        return reverse("governance:body", kwargs={"slug": self.slug})


class PersonFunction(models.TextChoices):
    MAYOR = "mayor", _("Mayor")
    ALDERMAN = "alderman", _("Alderman")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    OTHER = "other", _("Other")


ADMINISTRATOR_FUNCTIONS = {PersonFunction.MAYOR, PersonFunction.ALDERMAN}


class Person(models.Model):
    wagtail_reference_index_ignore = True
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), unique=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="people", verbose_name=_("municipality"))
    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="people", verbose_name=_("partner organisation"))
    function = models.CharField(_("function"), max_length=20, choices=PersonFunction.choices)
    portfolio = models.CharField(_("portfolio"), max_length=300, blank=True)
    expertise = models.TextField(_("expertise"), blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="person", verbose_name=_("account"))
    is_demo = models.BooleanField(_("demo person"), default=False,
                                  help_text=_("An invented person for demonstration."))
    calendar_token = models.CharField(max_length=43, unique=True, default=_new_token, editable=False,
                                      help_text="Secret in the address of the personal iCal feed.")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(municipality__isnull=True) | Q(partner__isnull=True),
                                   name="person_acts_for_one_organisation"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def track(self) -> str:
        if self.function in ADMINISTRATOR_FUNCTIONS:
            return Track.ADMINISTRATIVE
        if self.function == PersonFunction.CIVIL_SERVANT:
            return Track.CIVIL_SERVICE
        return ""

    @property
    def organisation(self):
        return self.municipality or self.partner


class Invitation(models.Model):
    """A one-time link that lets a person create their account."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("person"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.person} ({self.created_at:%Y-%m-%d})"


class Role(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


class PositionQuerySet(models.QuerySet):
    def on(self, day: datetime.date):
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))

    def current(self):
        return self.on(timezone.localdate())


class Position(models.Model):
    """A person holds a role in a body for a term, on behalf of a municipality."""

    wagtail_reference_index_ignore = True
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions", verbose_name=_("person"))
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="positions",
                             verbose_name=pgettext_lazy("governance", "body"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    on_behalf_of = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="positions", verbose_name=_("on behalf of"))
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    predecessor = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="successors", verbose_name=_("succeeds"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["body", "start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="position_end_not_before_start"),
        ]
        indexes = [models.Index(fields=["body", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} {self.body}"


class MembershipRequest(models.Model):
    """A request to join a closed theme group, decided by the bureau."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="group_requests",
                               verbose_name=_("person"))
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="requests", verbose_name=_("theme group"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    motivation = models.CharField(_("motivation"), max_length=500, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "body"], condition=Q(status="pending"),
                                    name="one_pending_request_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.body} ({self.get_status_display()})"


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
        return reverse("governance:meeting", kwargs={"pk": self.pk})


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


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class WorkProgramme(models.Model):
    wagtail_reference_index_ignore = True
    pillar = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="work_programmes",
                               limit_choices_to={"kind": BodyKind.PILLAR}, verbose_name=_("pillar"))
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    introduction = models.TextField(_("introduction"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        ordering = ["pillar", "-period_start"]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="goals",
                                  verbose_name=_("work programme"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("goal"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["programme", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Action(models.Model):
    wagtail_reference_index_ignore = True
    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="actions",
                                  verbose_name=_("work programme"))
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions",
                             verbose_name=_("goal"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(Body, on_delete=models.PROTECT, null=True, blank=True, related_name="actions",
                              limit_choices_to={"kind": BodyKind.THEME_GROUP}, verbose_name=_("owning theme group"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    is_public = models.BooleanField(_("public"), default=False)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["programme", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates", verbose_name=_("action"))
    date = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    status = models.CharField(_("status after"), max_length=10, choices=ActionStatus.choices)
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("author"))

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["action", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"


class StrategicAgenda(models.Model):
    wagtail_reference_index_ignore = True
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="strategic_agendas",
                                verbose_name=_("network"))
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    introduction = models.TextField(_("introduction"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("strategic agenda")
        verbose_name_plural = _("strategic agendas")
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return self.title


class KeyMessage(models.Model):
    agenda = models.ForeignKey(StrategicAgenda, on_delete=models.CASCADE, related_name="key_messages",
                               verbose_name=_("strategic agenda"))
    pillar = models.ForeignKey(Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="key_messages",
                               limit_choices_to={"kind": BodyKind.PILLAR}, verbose_name=_("pillar"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("key message"))

    class Meta:
        verbose_name = _("key message")
        verbose_name_plural = _("key messages")
        ordering = ["agenda", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"
