"""Theme groups and bodies for members: the opt-in rules, the selectors, my groups, a body's page
(members, who chaired it when, meetings, documents, actions), joining, leaving and requesting
through the pages, the bureau deciding requests, and signing in and out."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.models import Body, MembershipRequest, Position, Role, Visibility
from stedennet.governance.selectors import (
    body_history,
    body_members,
    chairs_of,
    groups_of,
    pending_requests,
    theme_groups_by_pillar,
)
from stedennet.governance.services import (
    GovernanceRefused,
    position_assign,
    theme_group_join,
    theme_group_leave,
    theme_group_request,
    theme_group_request_decide,
)
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.meetings.models import Meeting, MeetingDocument
from stedennet.meetings.selectors import body_documents
from stedennet.programmes.models import Action, WorkProgramme

d = datetime.date.fromisoformat
PASSWORD = "correct horse battery"
ARMOEDE = "themagroep-armoede-en-schulden"  # civil service, open
WONEN = "themagroep-wonen"  # civil service, closed
JEUGD = "themagroep-jeugd"  # administrative, closed
MOBILITEIT = "themagroep-mobiliteit"  # administrative, open


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


def url(name: str, **kwargs) -> str:
    return reverse(f"governance:{name}", kwargs=kwargs)


@pytest.fixture
def civil_servant(g40_bodies):
    return person_with_account(function="civil_servant", username="ambtenaar", name="Ambtenaar Een")


@pytest.fixture
def alderman(g40_bodies):
    return person_with_account(function="alderman", username="wethouder", name="Wethouder Een")


@pytest.fixture
def bureau(g40_bodies, make_user):
    return make_user("bureau", AccountRole.BUREAU)


def signed_in(client, person_or_user):
    user = getattr(person_or_user, "user", person_or_user)
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# --- the rules, through the services -------------------------------------------------------------

class TestOptingIn:
    def test_a_civil_servant_joins_an_open_group_of_their_kind(self, civil_servant):
        position = theme_group_join(person=civil_servant, body=body(ARMOEDE))
        assert position.role == Role.MEMBER and position.end_date is None
        assert position.on_behalf_of == civil_servant.municipality

    def test_a_closed_group_refuses_joining_and_takes_a_request(self, civil_servant):
        with pytest.raises(GovernanceRefused) as refused:
            theme_group_join(person=civil_servant, body=body(WONEN))
        assert "Themagroep Wonen" in " ".join(refused.value.messages)
        request = theme_group_request(person=civil_servant, body=body(WONEN), motivation="Woningbouw")
        assert request.status == MembershipRequest.Status.PENDING
        assert not Position.objects.filter(body__slug=WONEN).exists()
        with pytest.raises(GovernanceRefused):  # one pending request per person and group
            theme_group_request(person=civil_servant, body=body(WONEN))

    def test_a_group_of_the_other_kind_is_refused_with_a_reason_naming_it(self, civil_servant, alderman):
        with pytest.raises(GovernanceRefused) as refused:
            theme_group_join(person=civil_servant, body=body(MOBILITEIT))
        assert "Themagroep Mobiliteit" in " ".join(refused.value.messages)
        with pytest.raises(GovernanceRefused) as refused:
            theme_group_request(person=alderman, body=body(WONEN))
        assert "Themagroep Wonen" in " ".join(refused.value.messages)
        assert not Position.objects.exists() and not MembershipRequest.objects.exists()

    def test_leaving_ends_the_position_and_keeps_it(self, civil_servant):
        joined = theme_group_join(person=civil_servant, body=body(ARMOEDE), day=d("2025-01-06"))
        theme_group_leave(person=civil_servant, body=body(ARMOEDE), day=d("2025-06-01"))
        joined.refresh_from_db()
        assert joined.end_date == d("2025-05-31")
        assert list(body_history(body=body(ARMOEDE))) == [joined]
        assert list(body_members(body=body(ARMOEDE))) == []

    def test_approving_a_request_creates_the_position(self, civil_servant, bureau):
        request = theme_group_request(person=civil_servant, body=body(WONEN))
        theme_group_request_decide(request=request, approve=True, by=bureau)
        request.refresh_from_db()
        assert request.status == MembershipRequest.Status.APPROVED and request.decided_by == bureau
        assert Position.objects.current().filter(person=civil_servant, body__slug=WONEN, role=Role.MEMBER).exists()


# --- selectors --------------------------------------------------------------------------------

class TestSelectors:
    def test_members_chairs_first_and_history_with_predecessors(self, g40_bodies):
        db = body("dagelijks-bestuur")
        first = PersonFactory(name="Burgemeester Oud", function="mayor")
        second = PersonFactory(name="Burgemeester Nieuw", function="mayor")
        member = PersonFactory(name="Aaron Lid", function="alderman")
        old = position_assign(person=first, body=db, role=Role.CHAIR, start_date=d("2022-06-01"),
                              end_date=d("2026-03-31"))
        new = position_assign(person=second, body=db, role=Role.CHAIR, start_date=d("2026-05-01"), predecessor=old)
        plain = position_assign(person=member, body=db, start_date=d("2022-06-01"))
        assert list(body_members(body=db, day=d("2026-06-01"))) == [new, plain]
        assert list(body_members(body=db, day=d("2024-01-01"))) == [old, plain]
        history = list(body_history(body=db))
        assert history == [old, plain, new]
        assert chairs_of(history) == [old, new]
        assert history[2].predecessor.person.name == "Burgemeester Oud"

    def test_groups_of_a_person_and_theme_groups_per_pillar(self, civil_servant):
        theme_group_join(person=civil_servant, body=body(ARMOEDE))
        assert [p.body.slug for p in groups_of(person=civil_servant)] == [ARMOEDE]
        pillars = theme_groups_by_pillar(track="civil_service")
        assert [p.pillar.slug for p in pillars] == ["sociale-pijler", "pijler-economie-en-werk", "fysieke-pijler"]
        slugs = [g.slug for p in pillars for g in p.groups]
        assert set(slugs) == {ARMOEDE, "themagroep-arbeidsmarkt", WONEN}
        assert {g.slug for p in theme_groups_by_pillar(track="administrative") for g in p.groups} == {
            JEUGD, "themagroep-binnensteden", MOBILITEIT}

    def test_archived_groups_are_not_offered(self, civil_servant):
        Body.objects.filter(slug=ARMOEDE).update(archived_at=d("2024-01-01"))
        assert ARMOEDE not in {g.slug for p in theme_groups_by_pillar(track="civil_service") for g in p.groups}

    def test_pending_requests(self, civil_servant, alderman, bureau):
        waiting = theme_group_request(person=civil_servant, body=body(WONEN))
        decided = theme_group_request(person=alderman, body=body(JEUGD))
        theme_group_request_decide(request=decided, approve=False, by=bureau)
        assert list(pending_requests()) == [waiting]
        assert list(pending_requests(person=alderman)) == []
        assert list(pending_requests(body=body(WONEN))) == [waiting]


# --- my groups ---------------------------------------------------------------------------------

class TestMyGroups:
    def test_a_civil_servant_sees_positions_requests_and_groups_of_their_kind(self, client, civil_servant):
        position_assign(person=civil_servant, body=body("ambtelijk-ondersteuningsteam"), start_date=d("2024-01-01"))
        theme_group_join(person=civil_servant, body=body(ARMOEDE))
        theme_group_request(person=civil_servant, body=body(WONEN))
        response = signed_in(client, civil_servant).get(url("my_groups"))
        assert response.status_code == 200
        html = response.content.decode()
        assert re.findall(r'data-testid="position" data-body="([\w-]+)"', html) == [
            "ambtelijk-ondersteuningsteam", ARMOEDE]
        assert re.findall(r'data-testid="pending-request" data-body="([\w-]+)"', html) == [WONEN]
        states = dict(re.findall(r'data-testid="theme-group" data-slug="([\w-]+)" data-state="(\w+)"', html))
        assert states == {ARMOEDE: "member", "themagroep-arbeidsmarkt": "open", WONEN: "requested"}
        assert html.count('data-testid="demo-badge"') >= 3  # the demo theme groups are flagged
        assert "1 januari 2024" in html

    def test_an_administrator_is_offered_the_administrative_groups(self, client, alderman):
        html = signed_in(client, alderman).get(url("my_groups")).content.decode()
        states = dict(re.findall(r'data-testid="theme-group" data-slug="([\w-]+)" data-state="(\w+)"', html))
        assert states == {JEUGD: "closed", "themagroep-binnensteden": "open", MOBILITEIT: "open"}
        assert 'data-testid="no-positions"' in html

    def test_a_user_without_a_person_is_told_so(self, client, make_user, g40_bodies):
        response = signed_in(client, make_user("zonder", AccountRole.CIVIL_SERVANT)).get(url("my_groups"))
        assert response.status_code == 200
        assert 'data-testid="no-person"' in response.content.decode()

    def test_a_partner_has_nothing_to_join(self, client, g40_bodies):
        partner = person_with_account(partner=g40_bodies.partners.first(), function="other", username="partner")
        html = signed_in(client, partner).get(url("my_groups")).content.decode()
        assert 'data-testid="partner-note"' in html and 'data-testid="theme-group"' not in html

    def test_constant_queries(self, client, civil_servant, django_assert_max_num_queries):
        signed_in(client, civil_servant)
        with CaptureQueriesContext(connection) as few:
            client.get(url("my_groups"))
        for slug in (ARMOEDE, "themagroep-arbeidsmarkt"):
            theme_group_join(person=civil_servant, body=body(slug))
        position_assign(person=civil_servant, body=body("ambtelijk-ondersteuningsteam"), start_date=d("2024-01-01"))
        theme_group_request(person=civil_servant, body=body(WONEN))
        with django_assert_max_num_queries(len(few)):
            client.get(url("my_groups"))


# --- a body's page -----------------------------------------------------------------------------

def _meeting(body_: Body, days: int, uid: str) -> Meeting:
    starts = timezone.now() + datetime.timedelta(days=days)
    return Meeting.objects.create(body=body_, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
                                  uid=uid, title=f"Overleg {uid}", location="Utrecht")


@pytest.fixture
def document_file(settings, tmp_path):
    from wagtail.documents.models import Document

    settings.MEDIA_ROOT = tmp_path

    def make(title: str) -> Document:
        return Document.objects.create(title=title, file=ContentFile(b"%PDF-1.4\n", name=f"{title}.pdf"))

    return make


class TestBodyPage:
    def test_who_chaired_the_executive_board_when(self, client, bureau):
        db = body("dagelijks-bestuur")
        first = PersonFactory(name="Burgemeester Oud", function="mayor")
        second = PersonFactory(name="Burgemeester Nieuw", function="mayor", municipality=first.municipality)
        old = position_assign(person=first, body=db, role=Role.CHAIR, start_date=d("2022-06-01"),
                              end_date=d("2026-03-31"))
        position_assign(person=second, body=db, role=Role.CHAIR, start_date=d("2026-05-01"), predecessor=old)
        html = signed_in(client, bureau).get(url("body", slug="dagelijks-bestuur")).content.decode()
        chairs = re.findall(r'data-testid="chair" data-person="(\d+)" data-start="([\d-]+)" data-end="([\d-]*)"', html)
        assert chairs == [(str(first.pk), "2022-06-01", "2026-03-31"), (str(second.pk), "2026-05-01", "")]
        assert "1 juni 2022" in html and "31 maart 2026" in html and "1 mei 2026" in html
        assert html.count('data-testid="history-row"') == 2

    def test_members_meetings_documents_and_actions(self, client, civil_servant, document_file):
        group = body(ARMOEDE)
        theme_group_join(person=civil_servant, body=group)
        other = PersonFactory(name="Ambtenaar Twee", function="civil_servant")
        position_assign(person=other, body=group, role=Role.LEAD, start_date=d("2024-02-01"))
        past = _meeting(group, -30, "past")
        coming = _meeting(group, 10, "coming")
        _meeting(body(WONEN), 5, "other-body")
        shown = {
            MeetingDocument.objects.create(meeting=past, title=f"Stuk {v}", document=document_file(f"stuk-{v}"),
                                           visibility=v).pk: v
            for v in (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.BODY)
        }
        programme = WorkProgramme.objects.create(pillar=body("sociale-pijler"), title="Werkprogramma 2026",
                                                 period_start=d("2026-01-01"), period_end=d("2026-12-31"), is_demo=True)
        action = Action.objects.create(programme=programme, title="Schuldhulp verbeteren", owner=group,
                                       status="ongoing")
        response = signed_in(client, civil_servant).get(url("body", slug=ARMOEDE))
        assert response.status_code == 200
        html = response.content.decode()
        assert re.findall(r'data-testid="member" data-role="(\w+)"', html) == ["lead", "member"]
        assert re.findall(r'data-testid="meeting" data-pk="(\d+)"', html) == [str(coming.pk)]
        assert sorted(int(pk) for pk in re.findall(r'data-testid="document" data-pk="(\d+)"', html)) == sorted(shown)
        for pk in shown:  # linked through the meeting part's guarded download, never the open file address
            assert f'href="{reverse("meetings:meeting_document", kwargs={"pk": past.pk, "document_pk": pk})}"' in html
        assert 'href="/documenten/' not in html.split('data-testid="documents"')[1].split("</ul>")[0]
        assert f'data-testid="action" data-pk="{action.pk}" data-status="ongoing"' in html
        assert "Schuldhulp verbeteren" in html
        assert re.search(r'data-testid="group-actions" data-state="member"', html)

    def test_a_body_document_is_hidden_from_members_outside_the_body(self, alderman, document_file, g40_bodies):
        from stedennet.governance.access import viewer_for

        db = body("dagelijks-bestuur")
        meeting = _meeting(db, -3, "db")
        members_only = MeetingDocument.objects.create(meeting=meeting, title="Leden", visibility=Visibility.MEMBERS,
                                                      document=document_file("leden"))
        MeetingDocument.objects.create(meeting=meeting, title="DB", visibility=Visibility.BODY,
                                       document=document_file("db"))
        outsider = viewer_for(alderman.user)
        assert list(body_documents(body=db, viewer=outsider)) == [members_only]
        position_assign(person=alderman, body=db, start_date=d("2022-01-01"))
        alderman.user._governance_viewer = None
        assert len(body_documents(body=db, viewer=viewer_for(alderman.user))) == 2

    def test_an_upcoming_meeting_links_to_its_meeting_page(self, client, civil_servant):
        meeting = _meeting(body(ARMOEDE), 3, "soon")
        html = signed_in(client, civil_servant).get(url("body", slug=ARMOEDE)).content.decode()
        item = html.split(f'data-testid="meeting" data-pk="{meeting.pk}"')[1].split("</li>")[0]
        assert f'href="{reverse("meetings:meeting", kwargs={"pk": meeting.pk})}"' in item

    def test_buttons_follow_the_viewer(self, client, civil_servant, alderman, bureau):
        def state(who, slug):
            client.logout()
            html = signed_in(client, who).get(url("body", slug=slug)).content.decode()
            found = re.search(r'data-testid="group-actions" data-state="(\w+)"', html)
            return found.group(1) if found else None

        assert state(civil_servant, ARMOEDE) == "open"
        assert state(civil_servant, WONEN) == "closed"
        assert state(civil_servant, MOBILITEIT) is None  # the other kind
        assert state(alderman, MOBILITEIT) == "open"
        assert state(bureau, ARMOEDE) is None  # no person
        assert state(civil_servant, "ambtelijk-ondersteuningsteam") is None  # not a theme group
        theme_group_request(person=civil_servant, body=body(WONEN))
        assert state(civil_servant, WONEN) == "requested"

    def test_a_pillar_goes_to_its_pillar_page(self, client, civil_servant):
        response = signed_in(client, civil_servant).get(url("body", slug="sociale-pijler"))
        assert response.status_code == 302
        assert response.url == reverse("programmes:pillar", kwargs={"slug": "sociale-pijler"})

    def test_an_unknown_body_is_404(self, client, civil_servant):
        assert signed_in(client, civil_servant).get(url("body", slug="bestaat-niet")).status_code == 404

    def test_demo_bodies_are_flagged(self, client, civil_servant):
        html = signed_in(client, civil_servant).get(url("body", slug=ARMOEDE)).content.decode()
        assert 'data-testid="demo-badge"' in html
        html = client.get(url("body", slug="dagelijks-bestuur")).content.decode()
        assert 'data-testid="demo-badge"' not in html

    def test_constant_queries_as_positions_meetings_and_actions_grow(
            self, client, civil_servant, bureau, document_file, django_assert_max_num_queries):
        group = body(ARMOEDE)
        theme_group_join(person=civil_servant, body=group)
        signed_in(client, civil_servant)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url("body", slug=ARMOEDE)).status_code == 200
        previous = None
        for index in range(8):
            person = PersonFactory(function="civil_servant")
            position = position_assign(person=person, body=group, start_date=d("2020-01-01") + datetime.timedelta(
                days=index * 40), end_date=d("2020-01-20") + datetime.timedelta(days=index * 40),
                predecessor=previous)
            previous = position
            meeting = _meeting(group, index + 1, f"m{index}")
            MeetingDocument.objects.create(meeting=meeting, title=f"Stuk {index}", visibility=Visibility.MEMBERS,
                                           document=document_file(f"stuk{index}"))
        programme = WorkProgramme.objects.create(pillar=body("sociale-pijler"), title="WP", is_demo=True,
                                                 period_start=d("2026-01-01"), period_end=d("2026-12-31"))
        Action.objects.bulk_create([Action(programme=programme, title=f"Actie {i}", owner=group) for i in range(8)])
        with django_assert_max_num_queries(len(few)):
            response = client.get(url("body", slug=ARMOEDE))
        assert response.content.decode().count('data-testid="history-row"') == 9


# --- joining, leaving, requesting through the pages -----------------------------------------------

class TestOptingInThroughThePages:
    def test_join_and_leave(self, client, civil_servant):
        signed_in(client, civil_servant)
        response = client.post(url("group_join", slug=ARMOEDE), {"next": url("my_groups")}, follow=True)
        assert response.redirect_chain[-1][0] == url("my_groups")
        assert Position.objects.current().filter(person=civil_servant, body__slug=ARMOEDE).exists()
        assert any(m.level_tag == "success" for m in response.context["messages"])
        response = client.post(url("group_leave", slug=ARMOEDE))
        assert response.status_code == 302 and response.url == url("body", slug=ARMOEDE)
        position = Position.objects.get(person=civil_servant, body__slug=ARMOEDE)  # history kept
        assert position.end_date == timezone.localdate()  # joined today, so it ends today
        html = client.get(url("body", slug=ARMOEDE)).content.decode()
        assert 'data-testid="group-actions" data-state="ending"' in html

    def test_leave_a_group_joined_earlier(self, client, civil_servant):
        joined = theme_group_join(person=civil_servant, body=body(ARMOEDE), day=d("2025-01-06"))
        signed_in(client, civil_servant).post(url("group_leave", slug=ARMOEDE))
        joined.refresh_from_db()
        assert joined.end_date == timezone.localdate() - datetime.timedelta(days=1)
        html = client.get(url("my_groups")).content.decode()
        assert f'data-testid="theme-group" data-slug="{ARMOEDE}" data-state="open"' in html
        assert 'data-testid="position"' not in html

    def test_a_closed_group_refuses_join_and_accepts_a_request(self, client, civil_servant):
        signed_in(client, civil_servant)
        response = client.post(url("group_join", slug=WONEN), follow=True)
        assert any("Themagroep Wonen" in m for m in messages_of(response))
        assert not Position.objects.filter(body__slug=WONEN).exists()
        client.post(url("group_request", slug=WONEN), {"motivation": "Ik werk aan woningbouw."})
        request = MembershipRequest.objects.get()
        assert (request.person, request.body.slug, request.motivation) == (civil_servant, WONEN,
                                                                          "Ik werk aan woningbouw.")

    def test_the_wrong_kind_is_refused_with_the_reason(self, client, civil_servant):
        response = signed_in(client, civil_servant).post(url("group_join", slug=MOBILITEIT), follow=True)
        assert response.status_code == 200
        errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        assert len(errors) == 1 and "Themagroep Mobiliteit" in errors[0]
        assert not Position.objects.exists()

    def test_a_too_long_motivation_is_refused_naming_the_field(self, client, civil_servant):
        response = signed_in(client, civil_servant).post(url("group_request", slug=WONEN), {"motivation": "x" * 501},
                                                         follow=True)
        errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
        assert len(errors) == 1 and "500" in errors[0]
        label, _colon, _reason = errors[0].partition(": ")
        assert label and label in response.content.decode()  # the message names the field by its label
        assert not MembershipRequest.objects.exists()

    def test_next_must_stay_on_the_site(self, client, civil_servant):
        response = signed_in(client, civil_servant).post(url("group_join", slug=ARMOEDE),
                                                         {"next": "https://evil.example/"})
        assert response.url == url("body", slug=ARMOEDE)

    def test_get_is_not_allowed(self, client, civil_servant):
        assert signed_in(client, civil_servant).get(url("group_join", slug=ARMOEDE)).status_code == 405

    def test_csrf_is_required(self, civil_servant):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(civil_servant.user)
        assert client.post(url("group_join", slug=ARMOEDE)).status_code == 403
        assert not Position.objects.exists()


# --- the bureau decides ------------------------------------------------------------------------------

class TestRequestsPage:
    def test_the_bureau_approves_and_declines(self, client, civil_servant, alderman, bureau):
        approve = theme_group_request(person=civil_servant, body=body(WONEN))
        decline = theme_group_request(person=alderman, body=body(JEUGD))
        signed_in(client, bureau)
        html = client.get(url("requests")).content.decode()
        assert re.findall(r'data-testid="request-row" data-pk="(\d+)"', html) == [str(approve.pk), str(decline.pk)]
        client.post(url("request_decide", pk=approve.pk), {"decision": "approve"})
        client.post(url("request_decide", pk=decline.pk), {"decision": "decline"})
        assert Position.objects.current().filter(person=civil_servant, body__slug=WONEN).exists()
        assert not Position.objects.filter(person=alderman).exists()
        assert set(MembershipRequest.objects.values_list("status", flat=True)) == {"approved", "declined"}
        html = client.get(url("requests")).content.decode()
        assert 'data-testid="no-requests"' in html

    def test_deciding_twice_is_refused_with_a_message(self, client, civil_servant, bureau):
        request = theme_group_request(person=civil_servant, body=body(WONEN))
        signed_in(client, bureau)
        client.post(url("request_decide", pk=request.pk), {"decision": "approve"})
        response = client.post(url("request_decide", pk=request.pk), {"decision": "decline"}, follow=True)
        assert [m.level_tag for m in response.context["messages"]][-1] == "error"
        assert MembershipRequest.objects.get().status == "approved"

    def test_an_invalid_decision_changes_nothing(self, client, civil_servant, bureau):
        request = theme_group_request(person=civil_servant, body=body(WONEN))
        signed_in(client, bureau).post(url("request_decide", pk=request.pk), {"decision": "maybe"})
        assert MembershipRequest.objects.get().status == "pending"

    def test_constant_queries(self, client, bureau, django_assert_max_num_queries):
        signed_in(client, bureau)
        first = PersonFactory(function="civil_servant")
        theme_group_request(person=first, body=body(WONEN))
        with CaptureQueriesContext(connection) as few:
            client.get(url("requests"))
        for _ in range(6):
            theme_group_request(person=PersonFactory(function="civil_servant"), body=body(WONEN))
        with django_assert_max_num_queries(len(few)):
            html = client.get(url("requests")).content.decode()
        assert html.count('data-testid="request-row"') == 7
