"""Factories for governance tests: people of member cities with or without an account."""

import factory
from django.contrib.auth import get_user_model

from stedennet.accounts.constants import Role as AccountRole
from stedennet.accounts.services import roles_ensure
from stedennet.governance.models import Person, PersonFunction
from stedennet.registry.models import Municipality


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Test Persoon {n}")
    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    function = PersonFunction.CIVIL_SERVANT
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(cbs_code="GM0362"))
    is_demo = True


def person_with_account(*, function: str = PersonFunction.CIVIL_SERVANT, cbs_code: str = "GM0362",
                        username: str | None = None, partner=None, **fields) -> Person:
    """A person who can sign in: user in the group that matches the function (password "correct horse battery")."""
    groups = roles_ensure()
    if partner is not None:
        group, municipality = AccountRole.PARTNER, None
    elif function in (PersonFunction.MAYOR, PersonFunction.ALDERMAN):
        group, municipality = AccountRole.ADMINISTRATOR, Municipality.objects.get(cbs_code=cbs_code)
    else:
        group, municipality = AccountRole.CIVIL_SERVANT, Municipality.objects.get(cbs_code=cbs_code)
    person = PersonFactory(function=function, municipality=municipality, partner=partner, **fields)
    user = get_user_model().objects.create_user(username=username or person.email, email=person.email,
                                                password="correct horse battery")
    user.groups.add(groups[group])
    person.user = user
    person.save(update_fields=["user"])
    return person
