"""Who may open which member page: every role against every kind of page of the member part
(my groups, a body's page, a theme group's page, the bureau's requests, joining, leaving,
requesting, deciding, and the public sign-in pages). Deny unless allowed.

Outcomes: 200 (shown), "login" (302 to /inloggen/?next=…), 403, "back" (302 back to a page of the
site: the action was allowed to run, and either happened or was refused by the rules with a
message), 405 (wrong method)."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.models import Body, MembershipRequest
from stedennet.governance.services import position_assign, theme_group_join, theme_group_request
from stedennet.governance.tests.factories import PersonFactory, person_with_account

ROLES = ["anonymous", "partner", "administrator", "civil_servant", "bureau"]
ARMOEDE = "themagroep-armoede-en-schulden"
WONEN = "themagroep-wonen"


def _request_pk() -> int:
    return MembershipRequest.objects.get(person__name="Wachtende Ambtenaar").pk


# page kind → (method, address, expected outcome per role in ROLES order)
PAGES = {
    "sign in": ("get", lambda: reverse("accounts:login"), [200, 200, 200, 200, 200]),
    "sign out": ("get", lambda: reverse("accounts:logout"), [200, 200, 200, 200, 200]),
    "invitation (unknown link)": ("get", lambda: reverse("accounts:invitation", kwargs={"token": "x"}),
                                  [404, 404, 404, 404, 404]),
    "my groups": ("get", lambda: reverse("governance:my_groups"), ["login", 200, 200, 200, 200]),
    "body page": ("get", lambda: reverse("governance:body", kwargs={"slug": "dagelijks-bestuur"}),
                  ["login", 403, 200, 200, 200]),
    "body page, civil service": ("get", lambda: reverse("governance:body",
                                                        kwargs={"slug": "ambtelijk-ondersteuningsteam"}),
                                 ["login", 403, 200, 200, 200]),
    "theme group page": ("get", lambda: reverse("governance:body", kwargs={"slug": ARMOEDE}),
                         ["login", 403, 200, 200, 200]),
    "requests page": ("get", lambda: reverse("governance:requests"), ["login", 403, 403, 403, 200]),
    "join": ("post", lambda: reverse("governance:group_join", kwargs={"slug": ARMOEDE}),
             ["login", 403, "back", "back", 403]),
    "join with GET": ("get", lambda: reverse("governance:group_join", kwargs={"slug": ARMOEDE}),
                      ["login", 403, 405, 405, 403]),
    "leave": ("post", lambda: reverse("governance:group_leave", kwargs={"slug": ARMOEDE}),
              ["login", 403, "back", "back", 403]),
    "request": ("post", lambda: reverse("governance:group_request", kwargs={"slug": WONEN}),
                ["login", 403, "back", "back", 403]),
    "decide": ("post", lambda: reverse("governance:request_decide", kwargs={"pk": _request_pk()}),
               ["login", 403, 403, 403, "back"]),
}

@pytest.fixture
def world(g40_bodies, make_user):
    """One user per role; the civil servant sits in the AOT and the open theme group; one
    request waits for the bureau."""
    partner = person_with_account(partner=g40_bodies.partners.first(), function="other", username="partner")
    administrator = person_with_account(function="alderman", username="bestuurder")
    civil_servant = person_with_account(function="civil_servant", username="ambtenaar")
    position_assign(person=civil_servant, body=Body.objects.get(slug="ambtelijk-ondersteuningsteam"),
                    start_date=datetime.date(2024, 1, 1))
    theme_group_join(person=civil_servant, body=Body.objects.get(slug=ARMOEDE), day=datetime.date(2024, 1, 1))
    theme_group_request(person=PersonFactory(name="Wachtende Ambtenaar", function="civil_servant"),
                        body=Body.objects.get(slug=WONEN))
    return {
        "anonymous": None,
        "partner": partner.user,
        "administrator": administrator.user,
        "civil_servant": civil_servant.user,
        "bureau": make_user("bureau", AccountRole.BUREAU),
    }


def _outcome(response):
    login = reverse("accounts:login")
    if response.status_code == 302:
        if response.url.startswith(login + "?next="):
            return "login"
        return "back" if response.url.startswith("/") else response.url
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_access(client, world, role):
    """The role's row of the table: every page kind, each tried on the same data (rolled back after)."""
    if world[role] is not None:
        client.force_login(world[role])
    index = ROLES.index(role)
    expected, actual = {}, {}
    for kind, (method, address, outcomes) in PAGES.items():
        with transaction.atomic():
            data = {"decision": "approve"} if kind == "decide" else {}
            actual[kind] = _outcome(getattr(client, method)(address(), data))
            transaction.set_rollback(True)
        expected[kind] = outcomes[index]
    assert actual == expected


def test_every_page_of_the_member_part_is_in_the_table():
    from stedennet.accounts import urls as accounts_urls
    from stedennet.governance import urls_groups

    names = {pattern.name for pattern in urls_groups.urlpatterns + accounts_urls.urlpatterns}
    covered = {"login", "logout", "invitation", "my_groups", "body", "requests", "group_join", "group_leave",
               "group_request", "request_decide"}
    assert names == covered


def test_every_view_declares_its_policy():
    from stedennet.accounts import urls as accounts_urls
    from stedennet.governance import urls_groups
    from stedennet.web.access import ACCESS_ATTRIBUTE

    for pattern in urls_groups.urlpatterns + accounts_urls.urlpatterns:
        assert getattr(pattern.callback, ACCESS_ATTRIBUTE, None), pattern.name
