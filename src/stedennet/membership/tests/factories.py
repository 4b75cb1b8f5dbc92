import datetime

import factory

from stedennet.membership.models import MembershipPeriod
from stedennet.registry.tests.factories import MunicipalityFactory, NetworkFactory


class MembershipPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipPeriod

    network = factory.SubFactory(NetworkFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    start_date = datetime.date(2020, 1, 1)
    end_date = None

    class Params:
        ended = factory.Trait(end_date=datetime.date(2023, 12, 31))
