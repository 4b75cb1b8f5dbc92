"""The governance back office: listings, the election turnover (preview, confirm), the vacancies it
leaves and filling them, positions through ``position_assign``, requests to join, invitations."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stedennet.accounts.constants import Role as AccountRole
from stedennet.accounts.models import Invitation
from stedennet.governance.models import Body, MembershipRequest, Position
from stedennet.governance.services import election_turnover, position_assign, theme_group_request
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.registry.models import Municipality

d = datetime.date.fromisoformat
TURNOVER = "/admin/governance/turnover/"
VACANCIES = "/admin/governance/vacancies/"
POSITIONS = "/admin/snippets/governance/position/"
REASON = "End of term after the municipal council elections of March 2026"


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


def fill_url(position: Position) -> str:
    return f"{VACANCIES}{position.pk}/fill/"


def attrs_of(html: str, testid: str) -> list[dict[str, str]]:
    """The attributes of every element with ``data-testid=testid``."""
    found = []
    for tag in re.findall(rf'<[a-z0-9]+\b[^>]*\bdata-testid="{testid}"[^>]*>', html):
        found.append(dict(re.findall(r'([a-z-]+)="([^"]*)"', tag)))
    return found


@pytest.fixture
def bureau(back_office_login, client, make_user):
    back_office_login(client, make_user("bureau", AccountRole.BUREAU))
    return client


@pytest.fixture
def seats(g40_bodies):
    """Four administrators' positions from 1 June 2022 (AB, DB chair, BO Sociale Pijler, theme
    group Jeugd) and one civil servant's (AOT)."""
    alderman = PersonFactory(name="Wethouder Amstelveen", function="alderman")
    mayor = PersonFactory(name="Burgemeester Alkmaar", function="mayor",
                          municipality=Municipality.objects.get(cbs_code="GM0361"))
    other = PersonFactory(name="Wethouder Zaanstad", function="alderman")
    servant = PersonFactory(name="Ambtenaar Amstelveen", function="civil_servant")
    start = d("2022-06-01")
    return {
        "ab": position_assign(person=alderman, body=body("algemeen-bestuur"), start_date=start),
        "db": position_assign(person=mayor, body=body("dagelijks-bestuur"), role="chair", start_date=start),
        "bo": position_assign(person=other, body=body("sociale-pijler-bo"), start_date=start),
        "jeugd": position_assign(person=alderman, body=body("themagroep-jeugd"), start_date=start),
        "aot": position_assign(person=servant, body=body("ambtelijk-ondersteuningsteam"), start_date=start),
    }


@pytest.fixture
def turned_over(seats, g40_bodies):
    election_turnover(network=g40_bodies, day=d("2026-03-31"), reason=REASON)
    return seats


LISTINGS = [
    "/admin/snippets/governance/body/",
    "/admin/snippets/governance/body/?kind=theme_group&track=administrative&archived=false",
    "/admin/snippets/governance/body/?q=pijler",
    "/admin/snippets/governance/person/",
    "/admin/snippets/governance/person/?function=alderman&q=amstelveen",
    "/admin/snippets/governance/position/",
    "/admin/snippets/governance/position/?status=current&role=chair",
    "/admin/snippets/governance/position/?status=ended",
    "/admin/snippets/governance/membershiprequest/",
    "/admin/snippets/meetings/meeting/",
    "/admin/snippets/programmes/workprogramme/",
    "/admin/snippets/programmes/action/",
    "/admin/snippets/programmes/strategicagenda/",
    "/admin/snippets/governance/body/add/",
    "/admin/snippets/governance/person/add/",
    "/admin/snippets/governance/position/add/",
    TURNOVER,
    VACANCIES,
]


def test_the_bureau_opens_every_governance_page(seats, bureau):
    for url in LISTINGS:
        assert bureau.get(url).status_code == 200, url
    html = bureau.get(POSITIONS).content.decode()
    assert "Wethouder Amstelveen" in html and "Ambtenaar Amstelveen" in html
    people = bureau.get("/admin/snippets/governance/person/").content.decode()
    assert people.count("Demo") >= 4  # the factory's people are demo people, flagged in the listing


def test_others_are_denied_the_turnover_and_the_vacancies(back_office_login, seats, client, make_user):
    for url in (TURNOVER, VACANCIES, fill_url(seats["ab"])):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"], url
    servant = person_with_account(function="civil_servant", username="ambtenaar")
    client.force_login(servant.user)
    for url in (TURNOVER, VACANCIES):
        assert client.get(url).status_code in (302, 403), url
    response = client.post(TURNOVER, {"day": "2026-03-31", "reason": REASON, "expected": 4})
    assert response.status_code in (302, 403)
    # Someone with access to the admin who is not in the bureau gets 403 from the view itself.
    staff = make_user("redacteur")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    back_office_login(client, staff)
    for url in (TURNOVER, VACANCIES, fill_url(seats["ab"])):
        assert client.get(url).status_code == 403, url
    assert client.post(TURNOVER, {"day": "2026-03-31", "reason": REASON, "expected": 4}).status_code == 403
    assert not Position.objects.filter(end_date__isnull=False).exists()


def test_the_turnover_form_proposes_today_and_the_reason(seats, bureau):
    from django.utils import timezone

    html = bureau.get(TURNOVER).content.decode()
    assert timezone.localdate().isoformat() in html
    assert 'data-testid="turnover-preview"' not in html


def test_the_preview_lists_the_administrators_positions_per_body_and_changes_nothing(seats, bureau):
    html = bureau.get(TURNOVER, {"day": "2026-03-31", "reason": REASON}).content.decode()
    assert attrs_of(html, "turnover-preview")[0]["data-count"] == "4"
    listed = {int(attrs["data-position"]) for attrs in attrs_of(html, "turnover-position")}
    assert listed == {seats[key].pk for key in ("ab", "db", "bo", "jeugd")}
    per_body = {attrs["data-body"]: attrs["data-count"] for attrs in attrs_of(html, "turnover-body")}
    assert per_body == {"algemeen-bestuur": "1", "dagelijks-bestuur": "1", "sociale-pijler-bo": "1",
                        "themagroep-jeugd": "1"}
    assert 'name="expected"' in html and 'value="4"' in html
    assert not Position.objects.filter(end_date__isnull=False).exists()


def test_confirming_ends_them_on_the_day_and_keeps_the_history(seats, bureau):
    response = bureau.post(TURNOVER, {"day": "2026-03-31", "reason": REASON, "expected": 4})
    assert response.status_code == 302 and response["Location"] == VACANCIES
    assert Position.objects.count() == 5
    for key in ("ab", "db", "bo", "jeugd"):
        seats[key].refresh_from_db()
        assert (seats[key].end_date, seats[key].end_reason) == (d("2026-03-31"), REASON), key
        assert seats[key].start_date == d("2022-06-01")
    seats["aot"].refresh_from_db()
    assert (seats["aot"].end_date, seats["aot"].end_reason) == (None, "")


def test_a_confirmation_after_the_positions_changed_ends_nothing(seats, bureau):
    response = bureau.post(TURNOVER, {"day": "2026-03-31", "reason": REASON, "expected": 3})
    assert response.status_code == 200
    assert attrs_of(response.content.decode(), "turnover-preview")[0]["data-count"] == "4"
    assert not Position.objects.filter(end_date__isnull=False).exists()


def test_the_vacancies_are_grouped_per_pillar_with_a_count(turned_over, bureau):
    html = bureau.get(VACANCIES).content.decode()
    assert attrs_of(html, "vacancies")[0]["data-count"] == "4"
    groups = [(attrs["data-pillar"], attrs["data-count"]) for attrs in attrs_of(html, "vacancy-group")]
    assert groups == [("", "2"), ("sociale-pijler", "2")]
    rows = [(attrs["data-body"], int(attrs["data-position"])) for attrs in attrs_of(html, "vacancy")]
    assert rows == [("algemeen-bestuur", turned_over["ab"].pk), ("dagelijks-bestuur", turned_over["db"].pk),
                    ("sociale-pijler-bo", turned_over["bo"].pk), ("themagroep-jeugd", turned_over["jeugd"].pk)]
    assert "Burgemeester Alkmaar" in html and "Alkmaar" in html and "2026-03-31" in html
    assert html.count(fill_url(turned_over["ab"])) == 1
    assert 'data-testid="demo-badge"' in html  # theme groups and the factory's people are demo data


def test_filling_a_vacancy_makes_a_successor_position_in_one_step(turned_over, bureau):
    vacancy = turned_over["db"]
    successor = PersonFactory(name="Burgemeester Nieuw", function="mayor")
    form = bureau.get(fill_url(vacancy)).content.decode()
    assert f'value="{successor.pk}"' in form and "2026-04-01" in form
    assert f'value="{turned_over["aot"].person.pk}"' not in form  # civil servants are not offered

    response = bureau.post(fill_url(vacancy), {"person": successor.pk, "start_date": "2026-04-15"})
    assert response.status_code == 302 and response["Location"] == VACANCIES
    position = Position.objects.get(person=successor)
    assert (position.body, position.role, position.start_date, position.predecessor) == (
        vacancy.body, "chair", d("2026-04-15"), vacancy)
    html = bureau.get(VACANCIES).content.decode()
    assert attrs_of(html, "vacancies")[0]["data-count"] == "3"
    assert fill_url(vacancy) not in html
    # Filled once: the fill page now sends the bureau back to the vacancies.
    assert bureau.get(fill_url(vacancy)).status_code == 302


def test_the_same_administrator_can_take_their_seat_back(turned_over, bureau):
    vacancy = turned_over["ab"]
    response = bureau.post(fill_url(vacancy), {"person": vacancy.person.pk, "start_date": "2026-05-01"})
    assert response.status_code == 302
    assert Position.objects.filter(person=vacancy.person, body=vacancy.body).count() == 2


def test_a_civil_servant_for_an_administrative_seat_is_refused_with_the_reason(turned_over, bureau):
    vacancy = turned_over["db"]
    servant = turned_over["aot"].person
    response = bureau.post(fill_url(vacancy), {"person": servant.pk, "start_date": "2026-04-15"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dagelijks Bestuur" in html and servant.name in html
    assert response.context["form"].errors["person"]
    assert not Position.objects.filter(predecessor=vacancy).exists()


def test_a_start_before_the_seat_was_vacant_is_refused_on_the_date(turned_over, bureau):
    response = bureau.post(fill_url(turned_over["bo"]), {"person": PersonFactory(function="alderman").pk,
                                                         "start_date": "2026-03-31"})
    assert response.status_code == 200 and response.context["form"].errors["start_date"]
    assert Position.objects.count() == 5


def test_the_position_form_refuses_the_wrong_track_with_the_reason(seats, bureau):
    alderman = seats["ab"].person
    data = {"person": alderman.pk, "body": body("ambtelijk-ondersteuningsteam").pk, "role": "member",
            "start_date": "2026-04-01", "end_date": "", "on_behalf_of": "", "predecessor": "", "note": ""}
    response = bureau.post(f"{POSITIONS}add/", data)
    assert response.status_code == 200
    assert "Ambtelijk Ondersteuningsteam" in response.content.decode()
    assert response.context["form"].errors["person"]
    assert Position.objects.count() == 5

    data["body"] = body("pijler-economie-en-werk-bo").pk
    response = bureau.post(f"{POSITIONS}add/", data)
    assert response.status_code == 302
    position = Position.objects.get(person=alderman, body=body("pijler-economie-en-werk-bo"))
    assert position.on_behalf_of.cbs_code == "GM0362"


def test_a_position_is_edited_only_in_its_end_and_never_deleted(seats, bureau):
    position = seats["bo"]
    url = f"{POSITIONS}edit/{position.pk}/"
    response = bureau.post(url, {"end_date": "2020-01-01", "end_reason": "x", "predecessor": "", "note": ""})
    assert response.status_code == 200 and response.context["form"].errors["end_date"]
    response = bureau.post(url, {"end_date": "2025-12-31", "end_reason": "Moved on", "predecessor": "", "note": ""})
    assert response.status_code == 302
    position.refresh_from_db()
    assert (position.end_date, position.end_reason, position.person.name) == (
        d("2025-12-31"), "Moved on", "Wethouder Zaanstad")
    assert bureau.get(f"{POSITIONS}delete/{position.pk}/").status_code in (302, 403)
    assert Position.objects.filter(pk=position.pk).exists()


def test_a_body_with_positions_is_archived_not_deleted(seats, bureau):
    ab = body("algemeen-bestuur")
    html = bureau.get(f"/admin/snippets/governance/body/delete/{ab.pk}/").content.decode()
    assert 'data-testid="delete-refused"' in html
    response = bureau.post(f"/admin/snippets/governance/body/delete/{ab.pk}/")
    assert response.status_code == 302
    assert Body.objects.filter(pk=ab.pk).exists()
    # An unused body can go.
    spare = Body.objects.create(network=ab.network, name="Werkgroep", slug="werkgroep", kind="theme_group",
                                track="administrative", is_demo=True)
    assert bureau.post(f"/admin/snippets/governance/body/delete/{spare.pk}/").status_code == 302
    assert not Body.objects.filter(pk=spare.pk).exists()


def test_the_bureau_adds_a_body_to_the_network(g40_bodies, bureau):
    data = {"name": "Themagroep Energie", "short_name": "", "slug": "themagroep-energie", "kind": "theme_group",
            "track": "administrative", "parent": body("fysieke-pijler").pk, "description": "", "is_open": "on",
            "order": 5, "archived_at": "", "is_demo": "on"}
    response = bureau.post("/admin/snippets/governance/body/add/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    created = body("themagroep-energie")
    assert created.network == g40_bodies and created.parent.slug == "fysieke-pijler"


def test_the_bureau_approves_a_request_to_join_a_closed_group(seats, bureau):
    alderman = seats["bo"].person
    request = theme_group_request(person=alderman, body=body("themagroep-jeugd"), motivation="Jeugdzorg")
    listing = bureau.get("/admin/snippets/governance/membershiprequest/").content.decode()
    assert f"/admin/governance/requests/{request.pk}/decide/" in listing
    url = f"/admin/governance/requests/{request.pk}/decide/"
    assert bureau.get(url, {"decision": "approve"}).status_code == 200
    response = bureau.post(url, {"decision": "approve", "day": "2026-01-05"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == MembershipRequest.Status.APPROVED
    assert Position.objects.filter(person=alderman, body=body("themagroep-jeugd"), start_date=d("2026-01-05")).exists()
    assert bureau.get(url).status_code == 302  # decided: back to the list


def test_the_bureau_invites_a_person_without_an_account(seats, bureau, mailoutbox, django_capture_on_commit_callbacks):
    person = seats["bo"].person
    listing = bureau.get("/admin/snippets/governance/person/").content.decode()
    assert f"/admin/governance/people/{person.pk}/invite/" in listing
    response = bureau.post(f"/admin/governance/people/{person.pk}/invite/", {"send": ""})
    assert response.status_code == 200
    assert Invitation.objects.filter(person=person, used_at__isnull=True).count() == 1
    assert 'data-testid="invitation"' in response.content.decode()
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):  # the request commits: the mail leaves
        response = bureau.post(f"/admin/governance/people/{person.pk}/invite/", {"send": "on"})
    assert response.status_code == 200
    assert [message.to for message in mailoutbox] == [[person.email]]
    link = re.search(r'data-testid="invitation-url"', response.content.decode())
    assert link is not None and "/uitnodiging/" in response.content.decode()
    assert Invitation.objects.filter(person=person).count() == 2  # the first one no longer works


def test_a_person_with_an_account_is_not_invited(g40_bodies, bureau):
    person = person_with_account(function="alderman", username="wethouder")
    listing = bureau.get("/admin/snippets/governance/person/").content.decode()
    assert f"/admin/governance/people/{person.pk}/invite/" not in listing
    response = bureau.post(f"/admin/governance/people/{person.pk}/invite/", {"send": ""})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Invitation.objects.filter(person=person).exists()


def test_the_meetings_listing_links_to_the_meeting_page(seats, bureau):
    from django.utils import timezone

    from stedennet.meetings.models import Meeting

    starts = timezone.make_aware(datetime.datetime(2026, 5, 12, 10))
    meeting = Meeting.objects.create(body=body("algemeen-bestuur"), title="AB mei", starts_at=starts,
                                     ends_at=starts + datetime.timedelta(hours=2), uid="ab-mei@test")
    html = bureau.get("/admin/snippets/meetings/meeting/").content.decode()
    assert "AB mei" in html
    assert f'href="{meeting.get_absolute_url()}"' in html
    assert bureau.get("/admin/snippets/meetings/meeting/add/").status_code == 404


def test_the_vacancies_page_runs_a_constant_number_of_queries(turned_over, bureau, g40_bodies):
    bureau.get(VACANCIES)  # warm caches (the network, content types)
    with CaptureQueriesContext(connection) as few:
        assert bureau.get(VACANCIES).status_code == 200
    for slug in ("pijler-economie-en-werk-bo", "fysieke-pijler-bo", "themagroep-mobiliteit", "algemeen-bestuur"):
        for _ in range(3):
            position_assign(person=PersonFactory(function="alderman"), body=body(slug), start_date=d("2023-01-01"))
    election_turnover(network=g40_bodies, day=d("2026-04-30"), reason="Resigned")
    with CaptureQueriesContext(connection) as many:
        html = bureau.get(VACANCIES).content.decode()
    assert attrs_of(html, "vacancies")[0]["data-count"] == "16"
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_turnover_preview_runs_a_constant_number_of_queries(seats, bureau):
    params = {"day": "2026-03-31", "reason": REASON}
    bureau.get(TURNOVER, params)
    with CaptureQueriesContext(connection) as few:
        bureau.get(TURNOVER, params)
    for slug in ("pijler-economie-en-werk-bo", "fysieke-pijler-bo"):
        for _ in range(3):
            position_assign(person=PersonFactory(function="alderman"), body=body(slug), start_date=d("2023-01-01"))
    with CaptureQueriesContext(connection) as many:
        html = bureau.get(TURNOVER, params).content.decode()
    assert attrs_of(html, "turnover-preview")[0]["data-count"] == "10"
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_services_write_the_audit_trail_also_without_the_back_office(seats, g40_bodies, make_user):
    """Positions assigned, terms ended at the turnover and a vacancy filled are in the audit trail
    when a service does them from code or the command line (no user), and name the user when given."""
    from wagtail.models import ModelLogEntry

    from stedennet.governance.services import POSITION_ENDED, vacancy_fill

    def entries(position):
        return list(ModelLogEntry.objects.for_instance(position).values_list("action", "user_id"))

    assert entries(seats["ab"]) == [("wagtail.create", None)]
    election_turnover(network=g40_bodies, day=d("2026-03-31"), reason=REASON)
    assert ("governance.position_ended", None) in entries(seats["ab"]) and POSITION_ENDED == "governance.position_ended"
    assert [action for action, _ in entries(seats["aot"])] == ["wagtail.create"]  # a civil servant's term goes on
    bureau = make_user("bureau-audit", AccountRole.BUREAU)
    successor = PersonFactory(name="Wethouder Opvolger", function="alderman")
    seats["ab"].refresh_from_db()
    filled = vacancy_fill(vacancy=seats["ab"], person=successor, start_date=d("2026-04-15"), by=bureau)
    assert entries(filled) == [("wagtail.create", bureau.pk)]
