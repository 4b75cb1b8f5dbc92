"""Membership of a municipality in a network, as dated periods. A period is never rewritten:
a resignation sets its end date once; a renewed membership is a new period."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stedennet.membership.constants import ProcedureKind, ProcedureStatus, StepKind
from stedennet.registry.models import Municipality, Network


class MembershipPeriodQuerySet(models.QuerySet):
    def on(self, day: datetime.date) -> "MembershipPeriodQuerySet":
        """Periods in force on ``day``. An unknown start date means "since before our records"."""
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class MembershipPeriod(models.Model):

    # Registry rows reference nothing Wagtail needs to track; indexing them costs a task per save.
    wagtail_reference_index_ignore = True
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="membership_periods",
                                verbose_name=_("network"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="membership_periods",
                                     verbose_name=_("municipality"))
    start_date = models.DateField(
        _("start date"), null=True, blank=True,
        help_text=_("Leave empty only when the date is not known (founding members); explain in the note."),
    )
    end_date = models.DateField(_("end date"), null=True, blank=True,
                                help_text=_("Last day of membership; empty while it lasts."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True,
                              help_text=_("Where the dates come from: a decision, letter or publication."))

    objects = MembershipPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        ordering = ["municipality__name", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date"))
                ),
                name="membership_end_not_before_start",
            ),
        ]
        indexes = [models.Index(fields=["network", "start_date", "end_date"])]

    def __str__(self) -> str:
        start = self.start_date.isoformat() if self.start_date else "?"
        end = self.end_date.isoformat() if self.end_date else ""
        return f"{self.municipality} {start}–{end}"

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or self.end_date >= day)

    def overlaps(self, other: "MembershipPeriod") -> bool:
        lo = datetime.date.min
        hi = datetime.date.max
        return (self.start_date or lo) <= (other.end_date or hi) and (other.start_date or lo) <= (self.end_date or hi)

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date lies before the start date.")})
        if not self.municipality_id or not self.network_id:
            return
        siblings = MembershipPeriod.objects.filter(network_id=self.network_id, municipality_id=self.municipality_id)
        if self.pk:
            siblings = siblings.exclude(pk=self.pk)
        for other in siblings:
            if self.overlaps(other):
                raise ValidationError(
                    _("This period overlaps the membership period %(other)s of the same municipality.")
                    % {"other": other}
                )


class MembershipRules(models.Model):
    """The network's rules for ending a membership, as data (default: the end of a financial
    year at least six months after the notice)."""

    wagtail_reference_index_ignore = True
    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="membership_rules",
                                   verbose_name=_("network"))
    notice_months = models.PositiveSmallIntegerField(
        _("notice period in months"), default=6,
        help_text=_("A resignation takes effect at the end of the first financial year that ends at least "
                    "this many months after the notice."),
    )
    financial_year_start_month = models.PositiveSmallIntegerField(
        _("first month of the financial year"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    source = models.CharField(_("source"), max_length=500, blank=True,
                              help_text=_("The articles of association or decision that sets these rules."))

    class Meta:
        verbose_name = _("membership rules")
        verbose_name_plural = _("membership rules")

    def __str__(self) -> str:
        return str(self.network)


class MembershipProcedure(models.Model):
    """An admission or a resignation of one municipality: a sequence of dated steps, each with
    its document. The status follows from the steps; steps are only ever added."""

    wagtail_reference_index_ignore = True
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="procedures", verbose_name=_("network"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="procedures",
                                     verbose_name=_("municipality"))
    kind = models.CharField(_("kind"), max_length=20, choices=ProcedureKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=ProcedureStatus.choices)
    period = models.ForeignKey(MembershipPeriod, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="procedures", verbose_name=_("membership period"),
                               help_text=_("The period this admission created or this resignation ends."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership procedure")
        verbose_name_plural = _("membership procedures")
        ordering = ["municipality__name", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.municipality} ({self.get_status_display()})"


class ProcedureStep(models.Model):
    """One dated step of a procedure with the document that records it (a decision, a letter)."""

    wagtail_reference_index_ignore = True
    procedure = models.ForeignKey(MembershipProcedure, on_delete=models.CASCADE, related_name="steps",
                                  verbose_name=_("procedure"))
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    date = models.DateField(_("date"))
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("document"))
    reference = models.CharField(_("reference"), max_length=300, blank=True,
                                 help_text=_("What the document is: decision number, letter, publication."))
    url = models.URLField(_("link"), blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
