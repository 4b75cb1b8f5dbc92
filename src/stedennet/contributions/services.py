"""Contribution rules as data: recording the rule of a year (``rule_record``: a changed rule
supersedes the current one and is never edited in place; every new rule is in the audit trail,
from the command line and the back office alike) and loading the seed's rules.

Reading the rules and making the yearly assessment: ``selectors``.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from stedennet.contributions.models import ContributionRule, SizeClass
from stedennet.registry.models import Network
from stedennet.web.refusals import Refused

__all__ = [
    "RuleRefused",
    "rule_record",
    "rules_seed_load",
]

MONEY_FIELDS = {"rate", "minimum", "maximum", "budget"}


class RuleRefused(Refused, ValueError):
    """A rule that is not recorded; ``code`` says why, ``field`` which input."""


@transaction.atomic
def rule_record(*, network: Network, year: int, user=None, **fields) -> tuple[ContributionRule, str]:
    """Record the rule of ``year``. An identical current rule is left alone ("unchanged"); a
    different one is superseded by a new record ("changed"), never edited in place. A new rule
    ("added" or "changed") is logged, with ``user`` when known."""
    rate = fields.get("rate")
    if rate is not None and Decimal(rate) < 0:
        raise RuleRefused(_("A rate cannot be negative (%(year)s: %(rate)s).") % {"year": year, "rate": rate},
                          "negative_rate", field="rate")
    current = ContributionRule.objects.select_for_update().current().filter(network=network, year=year).first()
    if current is not None:
        same = all(getattr(current, name) == (Decimal(str(value)) if name in MONEY_FIELDS and value is not None
                                               else value)
                   for name, value in fields.items())
        if same:
            return current, "unchanged"
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
    rule = ContributionRule(network=network, year=year, **fields)
    rule.full_clean()
    rule.save()
    if current is not None:
        # The size classes belong to the rule's content: the new version carries them on.
        SizeClass.objects.bulk_create([
            SizeClass(rule=rule, min_population=c.min_population, max_population=c.max_population, rate=c.rate,
                      amount=c.amount)
            for c in current.size_classes.all()
        ])
    log(instance=rule, action="wagtail.create", user=user)
    return rule, "added" if current is None else "changed"


def rules_seed_load(*, network: Network, data: dict) -> dict[str, int]:
    """The seed's contribution rules (G40: 2022 from the seed, 2023 and 2024 as demo data)."""
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    for item in data.get("contribution_rules", []):
        fields = {k: v for k, v in item.items() if k != "year"}
        for name in MONEY_FIELDS:
            if fields.get(name) is not None:
                fields[name] = Decimal(fields[name])
        _rule, outcome = rule_record(network=network, year=item["year"], **fields)
        counts[outcome] += 1
    return counts
