"""Membership of a municipality in a network, as dated periods. A period is never rewritten:
a resignation sets its end date once; a renewed membership is a new period."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
