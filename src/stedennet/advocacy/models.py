"""Advocacy: the network's lobby dossiers, with the ask (versioned, each version adopted by a
numbered decision of governance), the interventions sent (letters, position papers, meetings)
and their outcomes, the rules that match parliamentary items of the mirror
(``stedennet.parliament``) to a dossier, the items so suggested and confirmed, and the alerts
sent for them. History is never overwritten: a new ask is a new version; an outcome is recorded
on the intervention with its date and evidence.

The mirror's entities are referred to by GUID (``category`` + ``guid``), not by foreign key: the
mirror may delete an entity (a tombstone) and send it again later, and the dossier keeps its
confirmed item with the title it had.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stedennet.advocacy.constants import (
    Addressee,
    AlertMode,
    AlertOn,
    DossierStatus,
    InterventionKind,
    ItemKind,
    ItemStatus,
    Outcome,
)
from stedennet.governance.models import Body, BodyKind, Visibility
from stedennet.meetings.models import Decision
from stedennet.programmes.models import Action, KeyMessage
from stedennet.registry.models import Network


class VisibleDossiers(models.QuerySet):
    def visible_to(self, viewer):
        """Only what ``viewer`` may see: public, members, members and partners, or one group."""
        if viewer.is_bureau:
            return self
        return self.filter(viewer.visible_q(visibility="visibility", body="group_id"))


class Dossier(models.Model):
    """A lobby dossier of a pillar, owned by one or more theme groups."""

    wagtail_reference_index_ignore = True
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="dossiers", verbose_name=_("network"))
    pillar = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="dossiers",
                               limit_choices_to={"kind": BodyKind.PILLAR}, verbose_name=_("pillar"))
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.OPEN)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    group = models.ForeignKey(Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              limit_choices_to={"kind": BodyKind.THEME_GROUP},
                              verbose_name=_("only for this group"),
                              help_text=_("For the visibility \"This body only\"."))
    owners = models.ManyToManyField(Body, through="DossierOwner", related_name="owned_dossiers",
                                    verbose_name=_("owning theme groups"))
    key_messages = models.ManyToManyField(KeyMessage, blank=True, related_name="dossiers",
                                          verbose_name=_("key messages of the strategic agenda"))
    actions = models.ManyToManyField(Action, blank=True, related_name="dossiers",
                                     verbose_name=_("work-programme actions"))
    is_demo = models.BooleanField(_("demo data"), default=False,
                                  help_text=_("Invented for demonstration; not a dossier of the real network."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VisibleDossiers.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["pillar__order", "title"]
        constraints = [
            models.CheckConstraint(condition=~Q(visibility=Visibility.BODY) | Q(group__isnull=False),
                                   name="dossier_group_visibility_names_group"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("advocacy:dossier", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class DossierOwner(models.Model):
    """A theme group that owns a dossier, and when its members hear of parliamentary items."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="ownerships",
                                verbose_name=_("dossier"))
    group = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="dossier_ownerships",
                              limit_choices_to={"kind": BodyKind.THEME_GROUP}, verbose_name=_("theme group"))
    alert_on = models.CharField(_("alert the members"), max_length=12, choices=AlertOn.choices,
                                default=AlertOn.CONFIRMED)

    class Meta:
        verbose_name = _("owning theme group")
        verbose_name_plural = _("owning theme groups")
        constraints = [models.UniqueConstraint(fields=["dossier", "group"], name="dossier_owner_once")]

    def __str__(self) -> str:
        return f"{self.group} – {self.dossier}"


class AskVersion(models.Model):
    """One version of the network's ask in a dossier, adopted by a body's numbered decision."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="asks", verbose_name=_("dossier"))
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("ask"))
    adopted_on = models.DateField(_("adopted on"))
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("adopted by"))
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="asks",
                                 verbose_name=_("decision"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("ask version")
        verbose_name_plural = _("ask versions")
        ordering = ["dossier", "-number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="ask_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.dossier} v{self.number}"


class Intervention(models.Model):
    """Something the network sent or did in a dossier, to whom, and what came of it."""

    wagtail_reference_index_ignore = True
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="interventions",
                                verbose_name=_("dossier"))
    kind = models.CharField(_("kind"), max_length=20, choices=InterventionKind.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    addressee = models.CharField(_("addressee"), max_length=20, choices=Addressee.choices)
    addressee_name = models.CharField(_("minister, ministry or committee"), max_length=300, blank=True,
                                      help_text=_("E.g. \"Minister van VRO\" or \"vaste commissie voor "
                                                  "Binnenlandse Zaken\"."))
    mps = models.TextField(_("named MPs"), blank=True, help_text=_("One per line."))
    signatories = models.TextField(_("signatories"), blank=True, help_text=_("One per line."))
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    is_public = models.BooleanField(_("public"), default=True,
                                    help_text=_("Shown on the public dossier page (when the dossier is public)."))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome, explained"), blank=True)
    evidence_url = models.URLField(_("evidence (link)"), max_length=500, blank=True)
    evidence_document = models.ForeignKey("wagtaildocs.Document", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("evidence (document)"))
    evidence_item = models.ForeignKey("DossierItem", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("evidence (parliamentary item)"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def signatory_list(self) -> list[str]:
        return [line.strip() for line in self.signatories.splitlines() if line.strip()]

    @property
    def mp_list(self) -> list[str]:
        return [line.strip() for line in self.mps.splitlines() if line.strip()]

    @property
    def has_outcome(self) -> bool:
        return self.outcome != Outcome.PENDING


class InterventionDocument(models.Model):
    """A document of an intervention (the letter itself, an annex), with its own visibility."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="documents",
                                     verbose_name=_("intervention"))
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("document"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    visibility = models.CharField(_("visibility"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)

    class Meta:
        verbose_name = _("intervention document")
        verbose_name_plural = _("intervention documents")
        ordering = ["intervention", "pk"]

    def __str__(self) -> str:
        return self.title or str(self.document)


class MatchRule(models.Model):
    """What makes a parliamentary item belong to a dossier. Within a rule every filled criterion
    must hold; a dossier's rules are alternatives. Lists are one value per line (or comma)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="rules", verbose_name=_("dossier"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    dossier_numbers = models.TextField(_("kamerstuk dossiers"), blank=True,
                                       help_text=_("Dossier numbers with addition, e.g. 36600-VII."))
    committees = models.TextField(_("lead committees"), blank=True,
                                  help_text=_("Abbreviations or names, e.g. BiZa."))
    case_kinds = models.TextField(_("kinds of case"), blank=True, help_text=_("E.g. Motie, Toezegging."))
    terms = models.TextField(_("search terms"), blank=True,
                             help_text=_("Dutch words or phrases; matched with the site search's stemming."))
    mps = models.TextField(_("MPs"), blank=True, help_text=_("Surnames of MPs who submit or are named."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("matching rule")
        verbose_name_plural = _("matching rules")
        ordering = ["dossier", "pk"]

    def __str__(self) -> str:
        return self.name or f"{self.dossier} #{self.pk}"


class DossierItem(models.Model):
    """A parliamentary item of the mirror in a dossier: suggested by a rule (with why), then
    confirmed or dismissed by the bureau; or added by hand. The title, kind and date are kept as
    they were when it was last matched, so a deleted entity leaves its trace."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="items", verbose_name=_("dossier"))
    category = models.CharField(_("category"), max_length=32)
    guid = models.UUIDField(_("GUID"))
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.OTHER)
    title = models.TextField(_("title"))
    reference = models.CharField(_("reference"), max_length=100, blank=True,
                                 help_text=_("E.g. 36600-VII nr. 12 or 2026Z01234."))
    date = models.DateTimeField(_("date"), null=True, blank=True)
    reasons = models.JSONField(_("why it matched"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.SUGGESTED)
    suggested_at = models.DateTimeField(_("suggested"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("parliamentary item in a dossier")
        verbose_name_plural = _("parliamentary items in dossiers")
        ordering = ["-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["dossier", "category", "guid"], name="dossier_item_once")]
        indexes = [models.Index(fields=["status", "suggested_at"]), models.Index(fields=["guid"])]

    def __str__(self) -> str:
        return self.title[:80]


class AlertChoice(models.Model):
    """A person's choice for dossier alerts (default: at once)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advocacy_alerts",
                                verbose_name=_("user"))
    mode = models.CharField(_("dossier alerts"), max_length=10, choices=AlertMode.choices,
                            default=AlertMode.IMMEDIATE)

    class Meta:
        verbose_name = _("alert choice")
        verbose_name_plural = _("alert choices")

    def __str__(self) -> str:
        return f"{self.user}: {self.mode}"


class Alert(models.Model):
    """One alert of one item to one person: the unique row makes "never twice" hold whatever the
    number of syncs. ``sent_at`` is set when its mail (or the digest holding it) went out."""

    item = models.ForeignKey(DossierItem, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("item"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advocacy_alert_set",
                             verbose_name=_("user"))
    mode = models.CharField(_("how"), max_length=10, choices=AlertMode.choices)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="alert_once_per_item_and_user")]
        indexes = [models.Index(fields=["user", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.item}"


class MatchProgress(models.Model):
    """Per mirror category, up to when its entities have been matched: the matching after a page
    (and the catch-up after a crash between a page's commit and its matching) starts here."""

    category = models.CharField(_("category"), max_length=32, unique=True)
    matched_until = models.DateTimeField(_("matched until"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching progress")
        verbose_name_plural = _("matching progress")

    def __str__(self) -> str:
        return f"{self.category}: {self.matched_until}"
