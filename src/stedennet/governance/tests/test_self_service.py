"""Joining, leaving and asking to join are for theme groups only: one rule
(``services.self_service_check``), checked in the services, with refusal codes. Every other
kind of body (boards, support team, coordinators, pillars, pillar meetings) refuses each action,
through the service and through the page's POST, and the seat stays as it was."""

import datetime

import pytest
from django.urls import reverse

from stedennet.governance.models import Body, MembershipRequest, Position
from stedennet.governance.services import (
    GovernanceRefused,
    position_assign,
    theme_group_join,
    theme_group_leave,
    theme_group_request,
)
from stedennet.governance.tests.factories import person_with_account

d = datetime.date.fromisoformat
SERVICES = {"join": theme_group_join, "leave": theme_group_leave, "request": theme_group_request}
VIEWS = {"join": "governance:group_join", "leave": "governance:group_leave", "request": "governance:group_request"}
# (kind, slug of a body of that kind, the function that sits there: its track must match)
NOT_THEME_GROUPS = [
    ("board", "algemeen-bestuur", "alderman"),
    ("board", "dagelijks-bestuur", "mayor"),
    ("support", "ambtelijk-ondersteuningsteam", "civil_servant"),
    ("support", "coordinatorenoverleg", "civil_servant"),
    ("pillar", "sociale-pijler", "alderman"),
    ("pillar_meeting", "sociale-pijler-bo", "alderman"),
    ("pillar_meeting", "fysieke-pijler-ao", "civil_servant"),
]


def _seated(function: str, slug: str):
    """A person of the right kind, holding a seat in the body where one can be held (not in a pillar)."""
    person = person_with_account(function=function, username=f"{function}-{slug}")
    body = Body.objects.get(slug=slug)
    position = None
    if body.track:
        position = position_assign(person=person, body=body, start_date=d("2024-01-01"))
    return person, body, position


@pytest.mark.parametrize("action", ["join", "leave", "request"])
@pytest.mark.parametrize(("kind", "slug", "function"), NOT_THEME_GROUPS)
def test_a_body_that_is_not_a_theme_group_refuses_every_self_service_action(
        client, g40_bodies, kind, slug, function, action):
    person, body, position = _seated(function, slug)
    assert body.kind == kind
    requests_before = MembershipRequest.objects.count()

    with pytest.raises(GovernanceRefused) as refused:
        SERVICES[action](person=person, body=body)
    assert refused.value.code == "not_theme_group"

    client.force_login(person.user)
    response = client.post(reverse(VIEWS[action], kwargs={"slug": slug}), {"motivation": "graag"}, follow=True)
    assert response.status_code == 200
    assert [(m.level_tag, m.extra_tags) for m in response.context["messages"]] == [("error", "not_theme_group")]
    assert 'data-code="not_theme_group"' in response.content.decode()

    # Nothing changed: the seat is still held, no request was stored.
    if position is not None:
        position.refresh_from_db()
        assert position.end_date is None
        assert Position.objects.current().filter(person=person, body=body).exists()
    assert MembershipRequest.objects.count() == requests_before


def test_theme_groups_keep_working_and_refuse_with_codes(g40_bodies):
    civil_servant = person_with_account(function="civil_servant", username="ambtenaar")
    alderman = person_with_account(function="alderman", username="wethouder")
    open_group = Body.objects.get(slug="themagroep-armoede-en-schulden")
    closed_group = Body.objects.get(slug="themagroep-wonen")

    def code(call, **kwargs):
        with pytest.raises(GovernanceRefused) as refused:
            call(**kwargs)
        return refused.value.code

    assert code(theme_group_leave, person=civil_servant, body=open_group) == "not_member"
    theme_group_join(person=civil_servant, body=open_group, day=d("2024-01-01"))
    assert code(theme_group_join, person=civil_servant, body=open_group) == "already_member"
    other = person_with_account(function="civil_servant", username="ambtenaar-twee")
    assert code(theme_group_request, person=other, body=open_group) == "open"
    assert code(theme_group_join, person=civil_servant, body=closed_group) == "closed"
    assert code(theme_group_join, person=alderman, body=open_group) == "track"
    theme_group_request(person=civil_servant, body=closed_group, motivation="  Woningbouw  ")
    assert code(theme_group_request, person=civil_servant, body=closed_group) == "already_requested"
    assert MembershipRequest.objects.get(person=civil_servant).motivation == "Woningbouw"
    left = theme_group_leave(person=civil_servant, body=open_group)
    assert left.end_date is not None
    open_group.archived_at = d("2025-01-01")
    open_group.save()
    assert code(theme_group_join, person=civil_servant, body=open_group) == "archived"


def test_the_motivation_of_a_request_reaches_the_bureau(back_office_login, client, g40_bodies, make_user):
    """From the member's page (body page and my groups) to the back office's listing of requests."""
    from stedennet.accounts.constants import Role as AccountRole

    civil_servant = person_with_account(function="civil_servant", username="ambtenaar")
    client.force_login(civil_servant.user)
    my_groups = client.get(reverse("governance:my_groups")).content.decode()
    assert 'id="id_themagroep-wonen_motivation"' in my_groups  # a closed group of their kind: with a motivation
    client.post(reverse("governance:group_request", kwargs={"slug": "themagroep-wonen"}),
                {"motivation": "Ik werk aan woningbouw in Amstelveen."})
    back_office_login(client, make_user("bureau", AccountRole.BUREAU))
    listing = client.get("/admin/snippets/governance/membershiprequest/").content.decode()
    assert "Ik werk aan woningbouw in Amstelveen." in listing
