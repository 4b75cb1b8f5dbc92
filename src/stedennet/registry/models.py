"""The registry: municipalities, their provinces and population series, the network itself and
its partner organisations. Membership lives in the membership app."""

import datetime

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stedennet.registry.constants import CBS_CODE_REGEX, PartnerKind, PopulationSource
from stedennet.registry.theme import footer_links_parse, validate_logo, validate_primary_colour

cbs_code_validator = RegexValidator(
    CBS_CODE_REGEX, _("A CBS municipality code is GM followed by four digits, e.g. GM0362.")
)


class Network(models.Model):
    """A network of cities. Its name is data: the G40 kept its name at 41 members."""

    # Registry rows reference nothing Wagtail needs to track; indexing them costs a task per save.
    wagtail_reference_index_ignore = True

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50)
    slug = models.SlugField(_("slug"), unique=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # The network's own look (see registry.theme): empty fields fall back to Stedennet's neutral theme.
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, blank=True, validators=[validate_primary_colour],
        help_text=_("The network's house colour as #rrggbb, used for links, buttons, the header band and the "
                    "footer. It must have a contrast of at least 4.5:1 with white."),
    )
    logo = models.FileField(
        _("logo"), upload_to="network/", blank=True, validators=[validate_logo],
        help_text=_("PNG or SVG, at most 256 KB; shown in the header beside the name. Without a logo the short "
                    "name is shown as a mark."),
    )
    footer_text = models.TextField(_("footer text"), blank=True,
                                   help_text=_("A sentence about the network at the foot of every page."))
    footer_links = models.TextField(
        _("footer links"), blank=True,
        help_text=_("One link per line: “label | https://address”."),
    )
    theme_source = models.CharField(
        _("source of the look"), max_length=500, blank=True,
        help_text=_("Where the colour and logo come from (a house-style guide), or that they are placeholders."),
    )

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name

    def clean(self) -> None:
        super().clean()
        from django.core.exceptions import ValidationError

        try:
            footer_links_parse(self.footer_links)
        except ValidationError as error:
            raise ValidationError({"footer_links": error.error_list}) from error

    @property
    def footer_link_list(self) -> list[dict]:
        """The footer links as label and address (lines that do not parse are left out)."""
        from django.core.exceptions import ValidationError

        try:
            return footer_links_parse(self.footer_links)
        except ValidationError:
            return []


class Province(models.Model):

    # Registry rows reference nothing Wagtail needs to track; indexing them costs a task per save.
    wagtail_reference_index_ignore = True
    code = models.CharField(_("code"), max_length=4, unique=True, help_text=_("CBS code, e.g. PV27"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A Dutch municipality, identified by its CBS code, never by its name."""

    # Registry rows reference nothing Wagtail needs to track; indexing them costs a task per save.
    wagtail_reference_index_ignore = True

    cbs_code = models.CharField(_("CBS code"), max_length=6, unique=True, validators=[cbs_code_validator])
    name = models.CharField(_("name (CBS)"), max_length=200)
    common_name = models.CharField(
        _("common name"),
        max_length=200,
        blank=True,
        help_text=_("Where the usual name differs from the CBS name, e.g. Den Haag for 's-Gravenhage."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="municipalities",
                                 verbose_name=_("province"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.common_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("membership:member_detail", kwargs={"slug": self.slug})


class PopulationFigureQuerySet(models.QuerySet):
    def current(self) -> "PopulationFigureQuerySet":
        """Figures not superseded by a later correction of the same source and date."""
        return self.filter(superseded_at__isnull=True)

    def known_on(self, day: datetime.date) -> "PopulationFigureQuerySet":
        """Figures whose reference date lies on or before ``day``."""
        return self.filter(reference_date__lte=day)


class PopulationFigure(models.Model):
    """Registered inhabitants on a reference date according to one source.

    Never edited in place: a corrected figure for the same municipality, date and source is
    a new record, and the old one gets ``superseded_at`` and ``superseded_by``.
    """

    # Registry rows reference nothing Wagtail needs to track; indexing them costs a task per save.
    wagtail_reference_index_ignore = True

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="population_figures",
                                     verbose_name=_("municipality"))
    reference_date = models.DateField(_("reference date"))
    inhabitants = models.PositiveIntegerField(_("inhabitants"), validators=[MinValueValidator(1)])
    source = models.CharField(_("source"), max_length=20, choices=PopulationSource.choices)
    source_note = models.CharField(_("source details"), max_length=300, blank=True,
                                   help_text=_("Which table, document or publication, and when."))
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True, editable=False)
    superseded_by = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="supersedes", editable=False,
                                         verbose_name=_("superseded by"))

    objects = PopulationFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["municipality__name", "-reference_date", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date", "source"],
                condition=Q(superseded_at__isnull=True),
                name="population_one_current_figure_per_source_and_date",
            ),
            models.CheckConstraint(condition=Q(inhabitants__gt=0), name="population_inhabitants_positive"),
        ]
        indexes = [models.Index(fields=["municipality", "reference_date"])]

    def __str__(self) -> str:
        return f"{self.municipality} {self.reference_date:%Y-%m-%d}: {self.inhabitants} ({self.get_source_display()})"


class PartnerOrganisation(models.Model):
    """An organisation the network works with: VNG, IPO, Platform31, the G4 cities."""

    # Registry rows reference nothing Wagtail needs to track; indexing them costs a task per save.
    wagtail_reference_index_ignore = True

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="partners",
                                verbose_name=_("network"))
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="partnerships", verbose_name=_("municipality"),
                                     help_text=_("For a partner municipality, such as the G4 cities."))
    website = models.URLField(_("website"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["network", "name"], name="partner_unique_name")]

    def __str__(self) -> str:
        return self.short_name or self.name


class Succession(models.Model):
    """A municipal merger or split: on ``date`` the successor takes over from the predecessor.
    Both municipalities stay in the registry with their history."""

    wagtail_reference_index_ignore = True
    predecessor = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="successions",
                                    verbose_name=_("predecessor"))
    successor = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="predecessions",
                                  verbose_name=_("successor"))
    date = models.DateField(_("date"), help_text=_("The first day of the successor."))
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.date})"
