"""Factories for contribution tests: rules, their size classes, index series and values."""

from decimal import Decimal

import factory

from stedennet.contributions.models import ContributionRule, IndexSeries, IndexValue, SizeClass
from stedennet.registry.tests.factories import NetworkFactory


class IndexSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndexSeries
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Testindex {n}")


class IndexValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndexValue

    series = factory.SubFactory(IndexSeriesFactory)
    year = 2024
    value = Decimal("0.03100")


class ContributionRuleFactory(factory.django.DjangoModelFactory):
    """A current fixed-rate rule. Tests of how a rule supersedes another use ``rule_record``."""

    class Meta:
        model = ContributionRule

    network = factory.SubFactory(NetworkFactory)
    year = 2024
    rate = Decimal("0.2100")
    source = "Testbesluit"

    class Params:
        indexed = factory.Trait(rate_method="indexed", rate=None, index_series=factory.SubFactory(IndexSeriesFactory))


class SizeClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SizeClass

    rule = factory.SubFactory(ContributionRuleFactory, rate=None)
    min_population = 0
    max_population = None
    rate = Decimal("0.2000")
