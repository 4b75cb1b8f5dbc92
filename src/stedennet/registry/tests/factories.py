import datetime

import factory

from stedennet.registry.constants import PopulationSource
from stedennet.registry.models import Municipality, Network, PopulationFigure, Province


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "PV99"
    name = "Testprovincie"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Teststad {n}")
    slug = factory.Sequence(lambda n: f"teststad-{n}")
    province = factory.SubFactory(ProvinceFactory)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    name = "Testnetwerk"
    short_name = "TN"
    slug = "testnetwerk"


class PopulationFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationFigure

    municipality = factory.SubFactory(MunicipalityFactory)
    reference_date = datetime.date(2024, 1, 1)
    inhabitants = 50_000
    source = PopulationSource.CBS_FINAL
