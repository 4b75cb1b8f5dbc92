"""What the API returns, and to whom: the same data and the same visibility as the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stedennet.api.tests.conftest import bearer

pytestmark = pytest.mark.django_db


def get(client, url, token=None, **params):
    response = client.get(url, params, **(bearer(token) if token else {}))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def every(client, url, token=None, **params) -> list[dict]:
    return get(client, url, token, pageSize=100, **params)["results"]


# --- members and municipalities ------------------------------------------------------------

def test_members_today_with_their_population_and_source(client, g40):
    body = get(client, "/api/v1/members", pageSize=100)
    assert body["count"] == 41 and body["pageCount"] == 1 and body["pageSize"] == 100
    amstelveen = next(row for row in body["results"] if row["municipality"]["cbsCode"] == "GM0362")
    assert amstelveen["memberSinceDate"] == "2022-07-01"
    assert amstelveen["province"] == {"code": "PV27", "name": "Noord-Holland"}
    assert set(amstelveen["population"]) == {"inhabitants", "referenceDate", "source"}
    assert amstelveen["population"]["source"] in {"cbs_final", "cbs_provisional", "municipal"}


def test_member_on_a_day_before_an_admission(client, g40):
    before = {row["municipality"]["cbsCode"] for row in every(client, "/api/v1/members", memberOn="2022-06-30")}
    after = {row["municipality"]["cbsCode"] for row in every(client, "/api/v1/members", memberOn="2022-07-01")}
    assert "GM0362" not in before and "GM0362" in after
    assert after - before == {"GM0362"}


def test_members_of_one_province(client, g40):
    rows = every(client, "/api/v1/members", province="PV27")
    assert rows and {row["province"]["code"] for row in rows} == {"PV27"}


def test_a_member_with_its_periods_and_every_figure_by_source(client, g40):
    body = get(client, "/api/v1/members/GM0362")
    assert body["periods"][0]["startDate"] == "2022-07-01"
    figures_2022 = {figure["source"]: figure["inhabitants"] for figure in body["populationFigures"]
                    if figure["referenceDate"] == "2022-01-01"}
    assert figures_2022 == {"cbs_final": 92331, "municipal": 92363}  # sources disagree; both are kept


def test_municipalities_include_non_members(client, g40):
    body = get(client, "/api/v1/municipalities")
    assert body["count"] == 342
    utrecht = get(client, "/api/v1/municipalities/GM0344")
    assert utrecht["name"] == "Utrecht" and utrecht["province"]["code"] == "PV26"
    figures = get(client, "/api/v1/municipalities/GM0362/population-figures", source="municipal")["results"]
    assert figures and {f["source"] for f in figures} == {"municipal"}


@pytest.mark.parametrize("url", ["/api/v1/members", "/api/v1/municipalities", "/api/v1/bodies",
                                 "/api/v1/work-programmes", "/api/v1/library-items", "/api/v1/events",
                                 "/api/v1/meetings"])
def test_list_queries_do_not_grow_with_rows(client, content, member_token, url):
    more_rows(content)
    get(client, url, member_token)  # the token's first use is recorded once (``last_used_at``)
    counts = []
    for size in (1, 40):
        with CaptureQueriesContext(connection) as queries:
            get(client, url, member_token, pageSize=size)
        counts.append(len(queries))
    assert counts[0] == counts[1], url


def more_rows(content) -> None:
    """Three more of every kind, with what each list shows of them (topics, goals, actions, updates)."""
    import datetime

    from stedennet.events.tests.factories import event
    from stedennet.governance.models import Body, Visibility
    from stedennet.knowledge.tests.factories import LibraryItemFactory, TopicFactory
    from stedennet.meetings.services import meeting_create
    from stedennet.programmes.models import Action, Goal, ProgressUpdate, WorkProgramme

    pillar = Body.objects.get(slug="sociale-pijler")
    today = timezone.localdate()
    for number in range(3):
        topic = TopicFactory()
        LibraryItemFactory(visibility=Visibility.PUBLIC, topics=[topic, TopicFactory()])
        event(audience=Visibility.PUBLIC)
        start = timezone.now() + datetime.timedelta(days=10 + number)
        meeting_create(body=content["meeting"].body, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
        programme = WorkProgramme.objects.create(pillar=pillar, title=f"Programma {number}", is_public=True,
                                                 period_start=today, period_end=today + datetime.timedelta(days=365))
        goal = Goal.objects.create(programme=programme, number=1, text="Doel")
        action = Action.objects.create(programme=programme, goal=goal, title="Actie", is_public=True,
                                       owner=content["youth"])
        ProgressUpdate.objects.create(action=action, date=today, text="Loopt", status="ongoing")


# --- visibility through the token's person -------------------------------------------------

def test_meetings_are_for_members_and_the_seated(client, content, member_token, member, seat):
    assert get(client, "/api/v1/meetings")["count"] == 0
    assert client.get(f"/api/v1/meetings/{content['meeting'].pk}").status_code == 404
    listed = every(client, "/api/v1/meetings", member_token)
    assert [row["id"] for row in listed] == [content["meeting"].pk]
    detail = get(client, f"/api/v1/meetings/{content['meeting'].pk}", member_token)
    assert [d["text"] for d in detail["decisions"]] == ["Vastgesteld."]
    assert [d["number"] for d in every(client, f"/api/v1/meetings/{content['meeting'].pk}/decisions",
                                       member_token)] == [1]


def test_library_items_as_the_token_person_may_see_them(client, content, member_token, member, seat):
    titles = {row["title"] for row in every(client, "/api/v1/library-items")}
    assert titles == {"Openbaar stuk"}
    assert client.get(f"/api/v1/library-items/{content['members_item'].pk}").status_code == 404
    assert {row["title"] for row in every(client, "/api/v1/library-items", member_token)} == {
        "Openbaar stuk", "Ledenstuk"}
    seat(member, "themagroep-jeugd")
    member.user.__dict__.pop("_governance_viewer", None)
    assert {row["title"] for row in every(client, "/api/v1/library-items", member_token)} == {
        "Openbaar stuk", "Ledenstuk", "Jeugdstuk"}
    assert [row["title"] for row in every(client, "/api/v1/library-items", topic="wonen")] == ["Openbaar stuk"]


def test_events_by_audience(client, content, member_token):
    assert [row["slug"] for row in every(client, "/api/v1/events")] == [content["public_event"].slug]
    assert client.get(f"/api/v1/events/{content['members_event'].slug}").status_code == 404
    assert {row["slug"] for row in every(client, "/api/v1/events", member_token)} == {
        content["public_event"].slug, content["members_event"].slug}


def test_a_session_does_not_stand_in_for_a_token(client, content, member):
    client.force_login(member.user)
    assert {row["title"] for row in every(client, "/api/v1/library-items")} == {"Openbaar stuk"}


def test_positions_public_only_for_pillar_chairs(client, content, member_token, member, seat):
    seat(member, "themagroep-jeugd", role="lead")
    chair = seat(member, "algemeen-bestuur", role="chair")
    assert [p["role"] for p in every(client, "/api/v1/bodies/themagroep-jeugd/positions")] == ["lead"]
    assert every(client, "/api/v1/bodies/algemeen-bestuur/positions") == []
    seated = every(client, "/api/v1/bodies/algemeen-bestuur/positions", member_token)
    assert [(p["role"], p["person"]["name"]) for p in seated] == [("chair", "Api Ambtenaar")]
    chair.person.erased_at = timezone.now()
    chair.person.save(update_fields=["erased_at"])
    assert every(client, "/api/v1/bodies/algemeen-bestuur/positions", member_token)[0]["person"]["name"] is None


def test_bodies_and_work_programmes_filters(client, g40_bodies):
    pillar_bodies = every(client, "/api/v1/bodies", pillar="sociale-pijler")
    assert {row["slug"] for row in pillar_bodies} >= {"sociale-pijler-bo", "sociale-pijler-ao", "themagroep-jeugd"}
    assert {row["kind"] for row in every(client, "/api/v1/bodies", kind="pillar")} == {"pillar"}
    assert get(client, "/api/v1/bodies", pillar="algemeen-bestuur")["count"] == 0  # not a pillar
    assert get(client, "/api/v1/work-programmes", pillar="sociale-pijler")["page"] == 1
