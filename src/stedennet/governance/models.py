"""Governance: bodies (boards, pillars, their meetings, theme groups), people and the positions
they hold for a term, and requests to join closed theme groups. Positions are never rewritten: a
term that ends gets its end date; a successor holds a new position. The meetings of bodies live
in ``stedennet.meetings``, the pillars' work programmes in ``stedennet.programmes``."""

import datetime
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

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
            return reverse("programmes:pillar", kwargs={"slug": self.slug})  # the public pillar page
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
    # Set when the bureau erased the person: name and contact details are gone; positions and what
    # they wrote stay, shown as "former member of <municipality>".
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    # accounts.Invitation's subject: deleted with the person; ``Invitation.objects.filter(person=…)``.
    invitations = GenericRelation("accounts.Invitation", content_type_field="subject_type",
                                  object_id_field="subject_id", related_query_name="person")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(municipality__isnull=True) | Q(partner__isnull=True),
                                   name="person_acts_for_one_organisation"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @staticmethod
    def former_member_label(organisation) -> str:
        if organisation is None:
            return gettext("Former member")
        return gettext("Former member of %(organisation)s") % {"organisation": organisation}

    @property
    def display_name(self) -> str:
        """The name, or for an erased person what remains: "Former member of <organisation>"."""
        if self.erased_at is not None:
            return self.former_member_label(self.organisation)
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


class TenantLink(models.Model):
    """A tenant of a multi-tenant identity provider, linked to the member municipality or partner
    whose staff sign in through it (one organisation, as for a person)."""

    provider = models.ForeignKey("accounts.IdentityProvider", on_delete=models.CASCADE, related_name="tenant_links",
                                 verbose_name=_("identity provider"))
    tenant_id = models.UUIDField(_("tenant id"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="tenant_links", verbose_name=_("municipality"))
    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="tenant_links", verbose_name=_("partner organisation"))

    class Meta:
        verbose_name = _("connected tenant")
        verbose_name_plural = _("connected tenants")
        ordering = ["provider", "tenant_id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "tenant_id"], name="tenant_link_unique"),
            models.CheckConstraint(condition=Q(municipality__isnull=False) ^ Q(partner__isnull=False),
                                   name="tenant_link_one_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id} ({self.municipality or self.partner})"

    @property
    def organisation(self):
        return self.municipality or self.partner
