"""The public pillar pages and the strategic agenda: what each role sees (members-only material never
reaches visitors or partners), demo badges, 404s, and a constant number of queries."""

import datetime

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.models import Body, BodyKind
from stedennet.governance.services import body_archive, position_assign, position_end
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.programmes.demo import demo_programmes_load
from stedennet.programmes.models import ActionStatus
from stedennet.programmes.services import (
    action_add,
    key_message_add,
    progress_update_add,
    strategic_agenda_create,
    work_programme_create,
)

d = datetime.date.fromisoformat
TERM = d("2022-06-01")


def body(slug):
    return Body.objects.get(slug=slug)


def this_period():
    today = timezone.localdate()
    return datetime.date(today.year, 1, 1), datetime.date(today.year + 1, 12, 31)


def html(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def by_testid(tree, testid, within=None):
    return (within if within is not None else tree).xpath(f'.//*[@data-testid="{testid}"]')


def text(element) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture
def social(g40_bodies):
    """The social pillar with chairs, a public programme with a members-only action, a
    members-only programme, and the current strategic agenda with key messages."""
    pillar = body("sociale-pijler")
    chair = PersonFactory(name="Wethouder Voorzitter", function="alderman", is_demo=False)
    vice = PersonFactory(name="Ambtenaar Vice", function="civil_servant", is_demo=False)
    group_chair = PersonFactory(name="Ambtenaar Themavoorzitter", function="civil_servant", is_demo=False)
    former = PersonFactory(name="Oud Voorzitter", function="civil_servant", is_demo=False)
    member = PersonFactory(name="Gewoon Lid", function="alderman", is_demo=False)
    position_assign(person=chair, body=body("sociale-pijler-bo"), role="chair", start_date=TERM)
    position_assign(person=member, body=body("sociale-pijler-bo"), role="member", start_date=TERM)
    position_assign(person=vice, body=body("sociale-pijler-ao"), role="vice_chair", start_date=TERM)
    ended = position_assign(person=former, body=body("sociale-pijler-ao"), role="chair", start_date=TERM)
    position_end(position=ended, day=d("2024-01-01"))
    position_assign(person=group_chair, body=body("themagroep-armoede-en-schulden"), role="chair", start_date=TERM)

    start, end = this_period()
    programme = work_programme_create(pillar=pillar, title="Werkprogramma Sociaal", period_start=start,
                                      period_end=end, goals=["Minder schulden", "Betere jeugdhulp"], is_public=True)
    public_action = action_add(programme=programme, title="Openbare kennissessie", is_public=True,
                               owner=body("themagroep-armoede-en-schulden"), goal=programme.goals.get(number=1))
    progress_update_add(action=public_action, date=d("2026-02-01"), text="Voorbereiding", status="planned")
    progress_update_add(action=public_action, date=d("2026-04-15"), text="Eerste sessie gehouden",
                        status=ActionStatus.ONGOING)
    action_add(programme=programme, title="Geheime verkenning", is_public=False, owner=body("themagroep-jeugd"))
    hidden = work_programme_create(pillar=pillar, title="Interne planning", period_start=start, period_end=end,
                                   goals=["Intern doel"])
    action_add(programme=hidden, title="Interne actie", is_public=True, owner=body("themagroep-jeugd"))
    work_programme_create(pillar=pillar, title="Vorig werkprogramma", period_start=d("2020-01-01"),
                          period_end=d("2021-12-31"), is_public=True)

    agenda = strategic_agenda_create(network=g40_bodies, title="Strategische agenda 2026-2030",
                                     period_start=d("2026-01-01"), period_end=d("2030-12-31"),
                                     source="https://example.org/strategische-agenda.pdf")
    key_message_add(agenda=agenda, text="Kernboodschap sociaal", pillar=pillar)
    key_message_add(agenda=agenda, text="Kernboodschap fysiek", pillar=body("fysieke-pijler"))
    key_message_add(agenda=agenda, text="Kernboodschap algemeen")
    draft = strategic_agenda_create(network=g40_bodies, title="Concept agenda", period_start=d("2026-06-01"),
                                    period_end=d("2030-12-31"), is_public=False)
    key_message_add(agenda=draft, text="Concept kernboodschap", pillar=pillar)
    return pillar


PILLAR_URL = "/pijlers/sociale-pijler/"
MEMBERS_ONLY_TEXTS = ["Geheime verkenning", "Interne planning", "Interne actie", "Intern doel"]


@pytest.fixture(params=["anonymous", "partner", "member", "bureau"])
def role_client(request, client, make_user, g40_bodies):
    role = request.param
    if role == "partner":
        client.force_login(make_user("partner", AccountRole.PARTNER))
    elif role == "member":
        client.force_login(person_with_account(function="civil_servant", username="lid", is_demo=False).user)
    elif role == "bureau":
        client.force_login(make_user("bureau", AccountRole.BUREAU))
    return role, client


class TestPillarList:
    def test_the_three_pillars_with_description_and_link(self, g40_bodies, client):
        assert reverse("programmes:pillar_list") == "/pijlers/"
        tree = html(client.get("/pijlers/"))
        pillars = by_testid(tree, "pillar")
        assert [p.get("data-slug") for p in pillars] == ["sociale-pijler", "pijler-economie-en-werk", "fysieke-pijler"]
        assert pillars[0].xpath(".//a/@href") == ["/pijlers/sociale-pijler/"]
        assert body("sociale-pijler").description in text(pillars[0])
        assert tree.xpath('//a[@href="/strategische-agenda/"]')

    def test_an_archived_pillar_is_not_listed(self, g40_bodies, client):
        body_archive(body=body("fysieke-pijler"), day=d("2026-01-01"))
        tree = html(client.get("/pijlers/"))
        assert [p.get("data-slug") for p in by_testid(tree, "pillar")] == ["sociale-pijler", "pijler-economie-en-werk"]

    def test_constant_queries(self, g40_bodies, client, django_assert_max_num_queries):
        client.get("/pijlers/")
        with django_assert_max_num_queries(2):  # the data version and the pillars
            client.get("/pijlers/")


class TestPillarPage:
    def test_name_description_chairs_and_theme_groups(self, social, client):
        assert reverse("programmes:pillar", kwargs={"slug": "sociale-pijler"}) == PILLAR_URL
        tree = html(client.get(PILLAR_URL))
        assert text(tree.xpath("//h1")[0]) == "Sociale Pijler"
        assert text(by_testid(tree, "pillar-description")[0]) == social.description
        chairs = [(row.get("data-body"), row.get("data-role"), text(by_testid(tree, "chair-name", row)[0]))
                  for row in by_testid(tree, "chair")]
        assert chairs == [
            ("sociale-pijler-bo", "chair", "Wethouder Voorzitter"),
            ("sociale-pijler-ao", "vice_chair", "Ambtenaar Vice"),
            ("themagroep-armoede-en-schulden", "chair", "Ambtenaar Themavoorzitter"),
        ]
        first = by_testid(tree, "chair")[0]
        assert "Amstelveen" in text(first)
        page = tree.text_content()
        assert "Oud Voorzitter" not in page and "Gewoon Lid" not in page  # ended, and not a chair
        groups = {row.get("data-slug"): (row.get("data-track"), row.get("data-open"), bool(by_testid(tree, "demo-badge",
                                                                                                  row)))
                  for row in by_testid(tree, "theme-group")}
        assert groups == {"themagroep-armoede-en-schulden": ("civil_service", "true", True),
                          "themagroep-jeugd": ("administrative", "false", True)}

    def test_the_current_public_programme_with_goals_public_actions_and_latest_update(self, social, client):
        tree = html(client.get(PILLAR_URL))
        programmes = by_testid(tree, "programme")
        assert len(programmes) == 1
        programme = programmes[0]
        assert "Werkprogramma Sociaal" in text(programme.xpath(".//h3")[0])
        assert [text(g) for g in by_testid(tree, "goal", programme)] == ["Minder schulden", "Betere jeugdhulp"]
        actions = by_testid(tree, "action", programme)
        assert len(actions) == 1
        action = actions[0]
        assert "Openbare kennissessie" in text(action)
        assert action.get("data-status") == "ongoing"
        assert "Themagroep Armoede en schulden" in text(by_testid(tree, "owner", action)[0])
        latest = by_testid(tree, "latest-update", action)[0]
        assert latest.xpath(".//time/@datetime") == ["2026-04-15"]
        assert "Eerste sessie gehouden" in text(latest) and "Voorbereiding" not in text(latest)
        assert "Vorig werkprogramma" not in tree.text_content()

    def test_key_messages_of_this_pillar_from_the_current_public_agenda(self, social, client):
        tree = html(client.get(PILLAR_URL))
        assert [text(m) for m in by_testid(tree, "key-message")] == ["Kernboodschap sociaal"]
        page = tree.text_content()
        assert "Kernboodschap fysiek" not in page and "Concept kernboodschap" not in page

    def test_members_only_material_per_role(self, social, role_client):
        role, client = role_client
        response = client.get(PILLAR_URL)
        tree = html(response)
        public_part = "".join(lxml.html.tostring(p, encoding="unicode") for p in by_testid(tree, "programme")
                              if not p.xpath('ancestor::*[@data-testid="members-only"]'))
        for hidden in MEMBERS_ONLY_TEXTS:
            assert hidden not in public_part, (role, hidden)
        section = by_testid(tree, "members-only")
        if role in ("anonymous", "partner"):
            assert section == []
            for hidden in MEMBERS_ONLY_TEXTS:
                assert hidden not in response.content.decode(), (role, hidden)
        else:
            assert len(section) == 1
            blocks = {p.xpath(".//h3")[0].text_content().strip(): [text(a) for a in by_testid(tree, "action", p)]
                      for p in by_testid(tree, "programme", section[0])}
            assert set(blocks) == {"Werkprogramma Sociaal", "Interne planning"}
            [hidden_action] = blocks["Werkprogramma Sociaal"]
            assert "Geheime verkenning" in hidden_action
            [internal_action] = blocks["Interne planning"]
            assert "Interne actie" in internal_action
            assert "Intern doel" in text(section[0])

    @pytest.mark.parametrize("slug", ["algemeen-bestuur", "sociale-pijler-bo", "themagroep-jeugd", "bestaat-niet"])
    def test_not_a_pillar_is_404(self, g40_bodies, client, slug):
        assert client.get(f"/pijlers/{slug}/").status_code == 404

    def test_an_archived_pillar_is_404(self, social, client):
        body_archive(body=social, day=d("2026-01-01"))
        assert client.get(PILLAR_URL).status_code == 404

    def test_demo_programmes_and_demo_people_carry_a_badge(self, social, client):
        demo_programmes_load(social.network)
        # the chairs of the fixture are real people; a demo person gets the badge
        position_assign(person=PersonFactory(name="Demo Vice", function="alderman", is_demo=True),
                        body=body("sociale-pijler-bo"), role="vice_chair", start_date=TERM)
        tree = html(client.get(PILLAR_URL))
        headings = {text(p.xpath(".//h3")[0]): bool(by_testid(tree, "demo-badge", p.xpath(".//h3")[0]))
                    for p in by_testid(tree, "programme")}
        assert headings == {"DEMO werkprogramma Sociale Pijler 2026-2027 demo": True, "Werkprogramma Sociaal": False}
        chairs = {text(by_testid(tree, "chair-name", row)[0]): bool(by_testid(tree, "demo-badge", row))
                  for row in by_testid(tree, "chair")}
        assert chairs["Demo Vice demo"] is True and chairs["Wethouder Voorzitter"] is False

    def test_the_page_does_not_grow_in_queries(self, social, client, django_assert_max_num_queries):
        member = person_with_account(function="civil_servant", username="lid", is_demo=False)

        def count(logged_in: bool) -> int:
            client.logout()
            if logged_in:
                client.force_login(member.user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(PILLAR_URL).status_code == 200
            return len(queries)

        count(False)  # warm the network's cached fragment, as a running server has it
        before = (count(False), count(True))
        assert before[0] <= 10, before

        start, end = this_period()
        programme = work_programme_create(pillar=social, title="Nog een programma", period_start=start,
                                          period_end=end, goals=[f"Doel {n}" for n in range(5)], is_public=True)
        goals = list(programme.goals.all())
        for n in range(4):
            track = "administrative" if n % 2 else "civil_service"
            group = Body.objects.create(network=social.network, name=f"Themagroep Extra {n}", slug=f"extra-{n}",
                                        kind=BodyKind.THEME_GROUP, track=track, parent=social)
            function = "alderman" if track == "administrative" else "civil_servant"
            position_assign(person=PersonFactory(function=function), body=group, role="chair", start_date=TERM)
            position_assign(person=PersonFactory(function=function), body=group, role="vice_chair", start_date=TERM)
            for m in range(3):
                action = action_add(programme=programme, title=f"Actie {n}-{m}", owner=group, goal=goals[m],
                                    is_public=m != 2)
                for day in range(1, 4):
                    progress_update_add(action=action, date=d(f"2026-0{day}-01"), text=f"Stap {day}",
                                        status="ongoing")
        agenda = social.key_messages.first().agenda
        for n in range(3):
            key_message_add(agenda=agenda, text=f"Extra boodschap {n}", pillar=social)

        after = (count(False), count(True))
        assert after == before
        assert len(by_testid(html(client.get(PILLAR_URL)), "action")) == 1 + 1 + 1 + 12  # public, hidden x2, 12 new


class TestStrategicAgenda:
    def test_the_current_public_agenda_grouped_per_pillar_with_its_source(self, social, client):
        assert reverse("programmes:strategic_agenda") == "/strategische-agenda/"
        tree = html(client.get("/strategische-agenda/"))
        assert text(by_testid(tree, "agenda-title")[0]) == "Strategische agenda 2026-2030"
        assert not by_testid(tree, "demo-badge")
        assert by_testid(tree, "agenda-source")[0].xpath(".//a/@href") == [
            "https://example.org/strategische-agenda.pdf"]
        groups = [(g.get("data-pillar"), [text(m) for m in by_testid(tree, "key-message", g)])
                  for g in by_testid(tree, "key-message-group")]
        assert groups == [("", ["Kernboodschap algemeen"]), ("sociale-pijler", ["Kernboodschap sociaal"]),
                          ("fysieke-pijler", ["Kernboodschap fysiek"])]
        assert "Concept" not in tree.text_content()

    def test_no_current_agenda(self, g40_bodies, client):
        tree = html(client.get("/strategische-agenda/"))
        assert by_testid(tree, "no-agenda")

    def test_a_demo_agenda_carries_a_badge(self, g40_bodies, client):
        demo_programmes_load(g40_bodies)
        tree = html(client.get("/strategische-agenda/"))
        title = by_testid(tree, "agenda-title")[0]
        assert text(title).startswith("DEMO") and by_testid(tree, "demo-badge", title)
        assert len(by_testid(tree, "key-message-group")) == 3

    def test_constant_queries(self, social, client):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                client.get("/strategische-agenda/")
            return len(queries)

        count()  # warm the network's cached fragment
        before = count()
        agenda = social.key_messages.first().agenda
        for n in range(10):
            key_message_add(agenda=agenda, text=f"Extra {n}", pillar=body("pijler-economie-en-werk"))
        assert count() == before <= 4
