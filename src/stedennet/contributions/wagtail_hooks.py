"""Contributions in the back office: the rules per year, index series, size classes, and the
yearly overview (every member's contribution, total against budget, as a table and a chart).

A rule is never edited in place: saving the add or edit form calls ``rule_record``, which keeps
an unchanged rule, or records a new one (in the audit trail) and marks the year's current rule
superseded. Rules are not deleted. Demo data is shown as such wherever a rule appears.
"""

from decimal import Decimal

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_filters import BooleanFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet, SnippetViewSetGroup

from stedennet.accounts.backoffice import (
    BureauMenuItem,
    BureauPolicy,
    MoneyColumn,
    PolicyChecked,
    RateColumn,
    bureau_only,
    demo_column,
)
from stedennet.contributions.models import ContributionRule, IndexSeries, IndexValue, SizeClass
from stedennet.contributions.selectors import Assessment, AssessmentError, AssessmentLine, assess, rule_years
from stedennet.contributions.services import rule_record
from stedennet.registry.constants import PopulationSource
from stedennet.registry.selectors import network_current
from stedennet.web.formats import euro, rate_display

# --- who may do what -----------------------------------------------------------------------

register_permission_policy(ContributionRule, BureauPolicy(ContributionRule, actions={"add", "change", "view"}))
register_permission_policy(IndexSeries, BureauPolicy(IndexSeries))
register_permission_policy(IndexValue, BureauPolicy(IndexValue))
register_permission_policy(SizeClass, BureauPolicy(SizeClass))


# --- rules, index series, size classes ---------------------------------------------------------

RULE_FIELDS = ["year", "rate_method", "rate", "index_series", "rate_decimals", "reference_date_rule",
               "population_basis", "pro_rata", "minimum", "maximum", "budget", "source", "is_demo"]


class RuleRecordMixin:
    """Saving goes through ``rule_record``: unchanged, or a new rule superseding the current one."""

    outcome = "added"

    def record(self, network):
        rule, self.outcome = rule_record(
            network=network, user=self.request.user, **{name: self.form.cleaned_data[name] for name in RULE_FIELDS})
        return rule

    def outcome_message(self, rule):
        return {
            "unchanged": gettext("The rule for %(year)s is unchanged."),
            "added": gettext("The rule for %(year)s is recorded."),
            "changed": gettext("The rule for %(year)s is recorded; the previous rule is kept as superseded."),
        }[self.outcome] % {"year": rule.year}


class RuleCreateView(PolicyChecked, RuleRecordMixin, CreateView):
    def save_instance(self):
        return self.record(network_current())

    def get_success_message(self, instance):
        return self.outcome_message(instance)


class RuleEditView(PolicyChecked, RuleRecordMixin, EditView):
    def save_instance(self):
        return self.record(self.object.network)

    def get_success_message(self):
        return self.outcome_message(self.object)


class RuleFilterSet(WagtailFilterSet):
    current = BooleanFilter(field_name="superseded_at", lookup_expr="isnull", label=_("Current rule"))

    class Meta:
        model = ContributionRule
        fields = ["year", "is_demo"]


class ContributionRuleViewSet(SnippetViewSet):
    model = ContributionRule
    icon = "decimal"
    menu_label = _("Contribution rules")
    add_view_class = RuleCreateView
    edit_view_class = RuleEditView
    copy_view_enabled = False
    list_display = [
        "year", "rate_method", RateColumn("rate", label=_("Rate per inhabitant")), "population_basis", "pro_rata",
        MoneyColumn("budget", label=_("Budget")), demo_column(), "superseded_at",
    ]
    filterset_class = RuleFilterSet
    list_export = ["year", "rate_method", "rate", "index_series", "reference_date_rule", "population_basis",
                   "pro_rata", "minimum", "maximum", "budget", "source", "is_demo", "recorded_at", "superseded_at"]
    search_fields = ["source"]
    search_backend_name = None
    ordering = ["-year", "-recorded_at"]
    panels = [
        HelpPanel(content=_("Saving records a new rule for the year when anything changed; the rule it replaces "
                            "is kept and marked superseded. Rules are never deleted.")),
        *[FieldPanel(name) for name in RULE_FIELDS],
    ]

    def get_queryset(self, request):
        return ContributionRule.objects.select_related("network", "index_series")


class IndexSeriesViewSet(SnippetViewSet):
    model = IndexSeries
    icon = "list-ol"
    menu_label = _("Index series")
    list_display = ["name", "source", "url"]
    search_fields = ["name"]
    search_backend_name = None


class IndexValueViewSet(SnippetViewSet):
    model = IndexValue
    icon = "decimal"
    menu_label = _("Index values")
    list_display = ["series", "year", "value", demo_column(), "source"]
    list_filter = ["series", "year", "is_demo"]
    list_export = ["series", "year", "value", "source", "is_demo"]
    ordering = ["series__name", "year"]

    def get_queryset(self, request):
        return IndexValue.objects.select_related("series")


class SizeClassViewSet(SnippetViewSet):
    model = SizeClass
    icon = "order"
    menu_label = _("Size classes")
    list_display = ["__str__", "rule", "min_population", "max_population", RateColumn("rate"),
                    MoneyColumn("amount", label=_("Fixed amount"))]
    list_filter = ["rule__year"]

    def get_queryset(self, request):
        return SizeClass.objects.select_related("rule", "rule__network")


class ContributionsGroup(SnippetViewSetGroup):
    menu_label = _("Contributions")
    menu_icon = "decimal"
    menu_order = 220
    items = (ContributionRuleViewSet, IndexSeriesViewSet, IndexValueViewSet, SizeClassViewSet)

    def get_submenu_items(self):
        overview = BureauMenuItem(_("Overview per year"), reverse("contributions_overview"), name="overview",
                                  icon_name="table", order=0)
        return [overview, *super().get_submenu_items()]


register_snippet(ContributionsGroup)


# --- the yearly overview ----------------------------------------------------------------------

CHART_LABEL_WIDTH = 190
CHART_BAR_AREA = 440
CHART_VALUE_WIDTH = 110
CHART_WIDTH = CHART_LABEL_WIDTH + CHART_BAR_AREA + CHART_VALUE_WIDTH
CHART_ROW = 20
CHART_BAR = 14
CHART_MARGIN = 8


def _bars(items: list[tuple[str, Decimal]]) -> dict:
    """Horizontal bars for (label, amount) pairs, in the given order, scaled to the largest."""
    top = max((amount for _label, amount in items), default=Decimal(0))
    bars = []
    for index, (label, amount) in enumerate(items):
        width = float(amount / top) * CHART_BAR_AREA if top > 0 and amount > 0 else 0.0
        y = CHART_MARGIN + index * CHART_ROW
        bars.append({"label": label, "amount": euro(amount), "y": y, "text_y": y + CHART_BAR - 3,
                     "width": round(width, 1), "value_x": round(CHART_LABEL_WIDTH + width + 6, 1)})
    return {"bars": bars, "width": CHART_WIDTH, "height": 2 * CHART_MARGIN + len(items) * CHART_ROW,
            "bar_x": CHART_LABEL_WIDTH, "label_x": CHART_LABEL_WIDTH - 6, "bar_height": CHART_BAR}


def member_chart(lines: list[AssessmentLine]) -> dict:
    ordered = sorted(lines, key=lambda line: (-line.amount, line.name))
    chart = _bars([(line.name, line.amount) for line in ordered])
    if ordered:
        chart["largest"] = {"name": ordered[0].name, "amount": euro(ordered[0].amount)}
        chart["smallest"] = {"name": ordered[-1].name, "amount": euro(ordered[-1].amount)}
    return chart


def budget_chart(assessment: Assessment) -> dict | None:
    if assessment.budget is None:
        return None
    return _bars([(gettext("Total assessed"), assessment.total), (gettext("Budget"), assessment.budget)])


# The invoice column of the overview belongs to the invoices app, which builds on this one: it
# offers it through this hook, so contributions never imports invoices (layers point one way).
INVOICE_COLUMN_HOOK = "contributions_overview_invoices"


def invoice_column(network, year: int) -> tuple[dict[int, list[dict]], int]:
    """The invoices per municipality and the number not yet sent, from whichever app registers
    ``INVOICE_COLUMN_HOOK`` (the invoices app); nothing when none does."""
    for provide in hooks.get_hooks(INVOICE_COLUMN_HOOK):
        return provide(network=network, year=year)
    return {}, 0


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]


class OverviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "contributions/admin/overview.html"
    page_title = _("Contributions per year")
    header_icon = "table"

    def get_page_subtitle(self):
        return str(self.year) if self.year else ""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_header_title()}]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.network = network_current()
        years = rule_years(network=self.network) if self.network else []
        bound = request.GET if "year" in request.GET else None
        self.form = YearForm(bound, years=years, initial={"year": years[0] if years else None})
        if bound is None:
            self.year = years[0] if years else None
        else:
            self.year = self.form.cleaned_data["year"] if self.form.is_valid() else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, year=self.year, network=self.network, assessment=None, problems=[])
        if self.year is None or self.network is None:
            return context
        try:
            assessment = assess(network=self.network, year=self.year)
        except AssessmentError as error:
            context["problems"] = error.problems
            return context
        invoices, unsent = invoice_column(self.network, self.year)
        sources = dict(PopulationSource.choices)
        context.update(
            assessment=assessment,
            rule=assessment.rule,
            rate=rate_display(assessment.rate.rate),
            rows=[{
                "line": line, "rate": rate_display(line.rate), "amount": euro(line.amount),
                "source": sources.get(line.population_source, line.population_source),
                "invoices": invoices.get(line.municipality.pk, []),
            } for line in assessment.lines],
            has_invoices=bool(invoices),
            unsent=unsent,
            issue_url=reverse("invoices_issue", args=[self.year]),
            send_url=reverse("invoices_send_year", args=[self.year]),
            total=euro(assessment.total),
            budget=euro(assessment.budget),
            difference=euro(assessment.difference),
            member_chart=member_chart(assessment.lines),
            budget_chart=budget_chart(assessment),
        )
        return context


@hooks.register("register_admin_urls")
def register_contributions_urls():
    return [path("contributions/overview/", bureau_only(OverviewView.as_view()), name="contributions_overview")]
