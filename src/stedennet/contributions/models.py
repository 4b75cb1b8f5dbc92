"""Contribution rules per year, as data, and the index series that indexation reads.

A rule is never edited in place: a changed rule for a year is a new record and the old one gets
``superseded_at`` (one current rule per network and year)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stedennet.registry.models import Network


class IndexSeries(models.Model):
    """A yearly index, e.g. the CPB price of government consumption (IBOI)."""

    wagtail_reference_index_ignore = True
    name = models.CharField(_("name"), max_length=200, unique=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        verbose_name = _("index series")
        verbose_name_plural = _("index series")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IndexValue(models.Model):
    wagtail_reference_index_ignore = True
    series = models.ForeignKey(IndexSeries, on_delete=models.CASCADE, related_name="values", verbose_name=_("series"))
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(
        _("index"), max_digits=7, decimal_places=5, help_text=_("As a fraction: 0.03200 is 3.2 %.")
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_demo = models.BooleanField(
        _("demo value"), default=False, help_text=_("An invented value for demonstration, not a published figure.")
    )

    class Meta:
        verbose_name = _("index value")
        verbose_name_plural = _("index values")
        ordering = ["series", "year"]
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="index_value_unique_year")]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.value}"


class RateMethod(models.TextChoices):
    FIXED = "fixed", _("Fixed rate")
    INDEXED = "indexed", _("Previous year's rate, indexed")


class ReferenceDateRule(models.TextChoices):
    FEE_YEAR = "fee_year", _("1 January of the fee year")
    PREVIOUS_YEAR = "previous_year", _("1 January of the year before")


class PopulationBasis(models.TextChoices):
    MUNICIPAL_FIRST = "municipal_first", _("The municipality's own count where recorded, else CBS")
    CBS_ONLY = "cbs_only", _("CBS only (final, else provisional)")
    CBS_FINAL_ONLY = "cbs_final_only", _("CBS final only")


class ProRata(models.TextChoices):
    NONE = "none", _("No pro-rata: a full year")
    WHOLE_MONTHS = "whole_months", _("Whole months of membership")
    STARTED_MONTHS = "started_months", _("Every started month counts")


class ContributionRuleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_at__isnull=True)


class ContributionRule(models.Model):
    """How one network computes the contributions of one year."""

    wagtail_reference_index_ignore = True
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="contribution_rules", verbose_name=_("network")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rate_method = models.CharField(_("rate"), max_length=20, choices=RateMethod.choices, default=RateMethod.FIXED)
    rate = models.DecimalField(
        _("rate per inhabitant (euro)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("For a fixed rate. An indexed rate is computed."),
    )
    index_series = models.ForeignKey(
        IndexSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("index series"),
    )
    rate_decimals = models.PositiveSmallIntegerField(
        _("decimals of an indexed rate"),
        default=4,
        validators=[MaxValueValidator(4)],
        help_text=_("An indexed rate is rounded half-up to this many decimals."),
    )
    reference_date_rule = models.CharField(
        _("population reference date"),
        max_length=20,
        choices=ReferenceDateRule.choices,
        default=ReferenceDateRule.FEE_YEAR,
    )
    population_basis = models.CharField(
        _("population source"), max_length=20, choices=PopulationBasis.choices, default=PopulationBasis.MUNICIPAL_FIRST
    )
    pro_rata = models.CharField(_("pro-rata"), max_length=20, choices=ProRata.choices, default=ProRata.WHOLE_MONTHS)
    minimum = models.DecimalField(
        _("minimum contribution (euro)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    maximum = models.DecimalField(
        _("maximum contribution (euro)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    budget = models.DecimalField(
        _("budgeted contributions (euro)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("The decision or document that sets this rule.")
    )
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("An assumption for demonstration, not a decision of the network.")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = ContributionRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution rule")
        verbose_name_plural = _("contribution rules")
        ordering = ["network", "-year", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year"],
                condition=Q(superseded_at__isnull=True),
                name="contribution_rule_one_current_per_year",
            ),
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | Q(rate__gte=0), name="contribution_rate_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.year}"

    def clean(self) -> None:
        errors = {}
        if self.rate is not None and self.rate < 0:
            errors["rate"] = _("A rate cannot be negative.")
        if self.rate_method == RateMethod.INDEXED and self.index_series_id is None:
            errors["index_series"] = _("An indexed rate needs an index series.")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            errors["maximum"] = _("The maximum is below the minimum.")
        if errors:
            raise ValidationError(errors)


class SizeClass(models.Model):
    """A population band with its own rate per inhabitant, or a fixed amount (as VNG uses)."""

    wagtail_reference_index_ignore = True
    rule = models.ForeignKey(
        ContributionRule, on_delete=models.CASCADE, related_name="size_classes", verbose_name=_("rule")
    )
    min_population = models.PositiveIntegerField(_("from inhabitants"))
    max_population = models.PositiveIntegerField(_("up to and including inhabitants"), null=True, blank=True)
    rate = models.DecimalField(
        _("rate per inhabitant (euro)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    amount = models.DecimalField(
        _("fixed amount (euro)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("size class")
        verbose_name_plural = _("size classes")
        ordering = ["rule", "min_population"]

    def __str__(self) -> str:
        upper = self.max_population if self.max_population is not None else "…"
        return f"{self.min_population}–{upper}"

    def contains(self, population: int) -> bool:
        return population >= self.min_population and (self.max_population is None or population <= self.max_population)
