"""Advocacy in the back office: only the bureau gets in; dossiers, asks, interventions, outcomes,
matching rules and the review queue all go through the services, so their refusals show on the
form field they concern (asserted by code) and every change leaves its audit entry."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry

from stedennet.accounts.constants import Role
from stedennet.advocacy import services
from stedennet.advocacy.constants import AlertOn, DossierStatus, ItemKind, ItemStatus, Outcome
from stedennet.advocacy.models import AskVersion, Dossier, DossierItem, Intervention, InterventionDocument, MatchRule
from stedennet.governance.models import Body
from stedennet.meetings.services import AgendaEntry, decision_add, meeting_create

d = datetime.date.fromisoformat
DOSSIERS = "/admin/snippets/advocacy/dossier/"
INTERVENTIONS = "/admin/snippets/advocacy/intervention/"
RULES = "/admin/snippets/advocacy/matchrule/"
REVIEW = "/admin/advocacy/review/"


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


def entries(instance, action: str) -> list[ModelLogEntry]:
    return list(ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(instance),
                                             object_id=str(instance.pk), action=action))


def codes(form, field: str) -> list[str]:
    return [error.code for error in form.errors.as_data()[field]]


@pytest.fixture
def bureau_user(make_user):
    return make_user("bureau", Role.BUREAU)


@pytest.fixture
def bureau(back_office_login, client, bureau_user):
    back_office_login(client, bureau_user)
    return client


@pytest.fixture
def dossier(g40_bodies):
    return services.dossier_create(
        network=g40_bodies, pillar=body("fysieke-pijler"), title="Woningbouw in de G40", opened_on=d("2025-01-15"),
        owners=[body("themagroep-wonen")])


@pytest.fixture
def decision(g40_bodies):
    start = timezone.make_aware(datetime.datetime(2025, 3, 10, 14))
    meeting = meeting_create(body=body("fysieke-pijler-bo"), starts_at=start,
                             ends_at=start + datetime.timedelta(hours=2), agenda=[AgendaEntry("Woningbouw")])
    return decision_add(meeting=meeting, agenda_item=meeting.agenda_items.get(),
                        text="Het BO stelt de inzet op woningbouw vast.")


def suggest(dossier, n: int, *, title="Motie over woningbouw", start=None) -> list[DossierItem]:
    import uuid

    start = start or timezone.now() - datetime.timedelta(days=1)
    return [DossierItem.objects.create(
        dossier=dossier, category="Zaak", guid=uuid.uuid4(), kind=ItemKind.MOTION, title=f"{title} {i}",
        reference=f"36600-VII nr. {10 + i}", date=start, suggested_at=start + datetime.timedelta(minutes=i),
        reasons=[{"rule": None, "why": f"kamerstuk dossier 36600-VII ({i})"}]) for i in range(n)]


def urls_of(dossier, intervention, item) -> list[str]:
    return [
        DOSSIERS, f"{DOSSIERS}add/", f"{DOSSIERS}edit/{dossier.pk}/",
        INTERVENTIONS, f"{INTERVENTIONS}add/", f"{INTERVENTIONS}edit/{intervention.pk}/",
        RULES, f"{RULES}add/",
        f"/admin/advocacy/dossiers/{dossier.pk}/status/", f"/admin/advocacy/dossiers/{dossier.pk}/ask/",
        f"/admin/advocacy/interventions/{intervention.pk}/outcome/",
        f"/admin/advocacy/interventions/{intervention.pk}/documents/",
        REVIEW,
    ]


@pytest.fixture
def letter(dossier):
    return services.intervention_record(dossier=dossier, kind="letter", title="Brief aan de commissie BiZa",
                                        date=d("2025-02-01"), addressee="committee",
                                        addressee_name="vaste commissie voor Binnenlandse Zaken")


# --- who gets in ------------------------------------------------------------------------------

def test_the_bureau_opens_every_advocacy_page(bureau, dossier, letter):
    item = suggest(dossier, 1)[0]
    for url in urls_of(dossier, letter, item):
        assert bureau.get(url).status_code == 200, url
    html = bureau.get(DOSSIERS).content.decode()
    assert "Woningbouw in de G40" in html and "Themagroep Wonen" in html
    assert f'href="/admin/advocacy/dossiers/{dossier.pk}/ask/"' in html
    assert bureau.get(f"{DOSSIERS}delete/{dossier.pk}/").status_code in (302, 403)
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_others_are_refused_every_advocacy_page(back_office_login, client, make_user, dossier, letter):
    item = suggest(dossier, 1)[0]
    urls = urls_of(dossier, letter, item)
    decide = f"/admin/advocacy/review/{item.pk}/decide/"
    for url in [*urls, decide]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/"), url
    client.force_login(make_user("ambtenaar", Role.CIVIL_SERVANT))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/"), url
    editor = make_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    back_office_login(client, editor)
    for url in urls:
        response = client.get(url)
        if url.startswith("/admin/snippets/"):  # Wagtail's own views send them to the dashboard
            assert response.status_code == 302 and response["Location"] == "/admin/", url
        else:  # ours answer 403
            assert response.status_code == 403, url
    assert client.post(decide, {"status": ItemStatus.CONFIRMED}).status_code == 403
    assert client.post(f"/admin/advocacy/dossiers/{dossier.pk}/status/",
                       {"status": DossierStatus.CLOSED, "day": "2026-01-01"}).status_code == 403
    assert client.post(f"{DOSSIERS}add/", {"title": "X"}).status_code in (302, 403)
    assert not Dossier.objects.filter(title="X").exists()
    item.refresh_from_db()
    dossier.refresh_from_db()
    assert item.status == ItemStatus.SUGGESTED and dossier.status == DossierStatus.OPEN


def test_the_review_queue_can_only_be_decided_by_post(bureau, dossier):
    item = suggest(dossier, 1)[0]
    assert bureau.get(f"/admin/advocacy/review/{item.pk}/decide/").status_code == 405


# --- dossiers -----------------------------------------------------------------------------------

def test_the_bureau_creates_a_dossier_with_its_owners(bureau, bureau_user, g40_bodies):
    wonen, mobiliteit = body("themagroep-wonen"), body("themagroep-mobiliteit")
    response = bureau.post(f"{DOSSIERS}add/", {
        "pillar": body("fysieke-pijler").pk, "title": "Mobiliteit en wonen", "summary": "Ruimte voor de stad.",
        "opened_on": "2025-01-10", "visibility": "public", "owner_groups": [wonen.pk, mobiliteit.pk],
        "alert_on_suggestion": [mobiliteit.pk]})
    assert response.status_code == 302, response.context["form"].errors
    dossier = Dossier.objects.get(title="Mobiliteit en wonen")
    assert dossier.network == g40_bodies and dossier.status == DossierStatus.OPEN and dossier.slug
    assert dict(dossier.ownerships.values_list("group__slug", "alert_on")) == {
        "themagroep-wonen": AlertOn.CONFIRMED, "themagroep-mobiliteit": AlertOn.SUGGESTED}
    assert [entry.user for entry in entries(dossier, "wagtail.create")] == [bureau_user]


def test_a_dossier_for_one_group_must_name_it(bureau, g40_bodies):
    response = bureau.post(f"{DOSSIERS}add/", {
        "pillar": body("fysieke-pijler").pk, "title": "Besloten dossier", "opened_on": "2025-01-10",
        "visibility": "body"})
    assert response.status_code == 200
    assert codes(response.context["form"], "group") == ["group_required"]
    assert not Dossier.objects.filter(title="Besloten dossier").exists()


def test_alerting_of_suggestions_is_for_owners_only(bureau, g40_bodies):
    response = bureau.post(f"{DOSSIERS}add/", {
        "pillar": body("fysieke-pijler").pk, "title": "Dossier", "opened_on": "2025-01-10", "visibility": "public",
        "owner_groups": [body("themagroep-wonen").pk], "alert_on_suggestion": [body("themagroep-mobiliteit").pk]})
    assert codes(response.context["form"], "alert_on_suggestion") == ["alert_not_owner"]


def test_editing_a_dossier_sets_its_owners_but_not_its_status(bureau, dossier):
    url = f"{DOSSIERS}edit/{dossier.pk}/"
    form = bureau.get(url).context["form"]
    assert "status" not in form.fields and "pillar" not in form.fields
    assert form.initial["owner_groups"] == [body("themagroep-wonen").pk]
    mobiliteit = body("themagroep-mobiliteit")
    response = bureau.post(url, {"title": "Woningbouw en mobiliteit", "summary": "", "visibility": "members",
                                 "owner_groups": [mobiliteit.pk], "alert_on_suggestion": [mobiliteit.pk],
                                 "status": DossierStatus.CLOSED})
    assert response.status_code == 302, response.context["form"].errors
    dossier.refresh_from_db()
    assert dossier.title == "Woningbouw en mobiliteit" and dossier.visibility == "members"
    assert dossier.status == DossierStatus.OPEN
    assert list(dossier.ownerships.values_list("group__slug", "alert_on")) == [
        ("themagroep-mobiliteit", AlertOn.SUGGESTED)]


def test_the_status_changes_only_by_the_transitions(bureau, bureau_user, dossier):
    url = f"/admin/advocacy/dossiers/{dossier.pk}/status/"
    response = bureau.post(url, {"status": DossierStatus.CLOSED, "day": "2024-12-31"})
    assert response.status_code == 200 and codes(response.context["form"], "day") == ["before_dossier_opened"]
    response = bureau.post(url, {"status": DossierStatus.CLOSED, "day": "2026-01-31"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.CLOSED and dossier.closed_on == d("2026-01-31")
    [entry] = entries(dossier, services.STATUS_CHANGED)
    assert entry.user == bureau_user and entry.data["to"] == DossierStatus.CLOSED
    # Closed → achieved is not a transition: refused on the status field.
    response = bureau.post(url, {"status": DossierStatus.ACHIEVED, "day": "2026-02-01"})
    assert response.status_code == 200
    assert codes(response.context["form"], "status") == ["status_not_allowed"]
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.CLOSED


# --- the ask --------------------------------------------------------------------------------------

def test_the_bureau_adopts_an_ask_with_a_numbered_decision(bureau, bureau_user, dossier, decision):
    url = f"/admin/advocacy/dossiers/{dossier.pk}/ask/"
    response = bureau.get(url)
    assert decision.reference in response.content.decode()
    response = bureau.post(url, {"text": "Structureel 1 miljard voor woningbouw.", "adopted_on": "2025-03-10",
                                 "body": body("fysieke-pijler").pk, "decision": decision.pk})
    assert response.status_code == 302
    ask = AskVersion.objects.get(dossier=dossier)
    assert (ask.number, ask.decision, ask.created_by) == (1, decision, bureau_user)
    [entry] = entries(dossier, services.ASK_ADOPTED)
    assert entry.data["decision"] == decision.reference and entry.user == bureau_user
    html = bureau.get(url).content.decode()
    versions = re.search(r'data-testid="ask-versions".*?</table>', html, re.S).group(0)
    assert decision.reference in versions and "Structureel 1 miljard" in versions

    # A decision of another body is refused on the decision field; an older version on its date.
    response = bureau.post(url, {"text": "Nieuw", "adopted_on": "2025-04-01", "body": body("sociale-pijler").pk,
                                 "decision": decision.pk})
    assert codes(response.context["form"], "decision") == ["decision_other_body"]
    response = bureau.post(url, {"text": "Nieuw", "adopted_on": "2025-03-01", "body": body("fysieke-pijler").pk})
    assert codes(response.context["form"], "adopted_on") == ["before_previous_version"]
    assert AskVersion.objects.filter(dossier=dossier).count() == 1


# --- interventions -------------------------------------------------------------------------------

def intervention_data(dossier, **changes) -> dict:
    return {"dossier": dossier.pk, "kind": "letter", "title": "Brief over woningbouw", "date": "2025-02-01",
            "addressee": "committee", "addressee_name": "vaste commissie voor Volkshuisvesting",
            "mps": "", "signatories": "Voorzitter G40", "summary": "", "is_public": "on", **changes}


def test_the_bureau_records_a_letter_to_a_committee(bureau, bureau_user, dossier):
    assert bureau.get(f"{INTERVENTIONS}add/?dossier={dossier.pk}").context["form"].initial["dossier"] == dossier.pk
    response = bureau.post(f"{INTERVENTIONS}add/", intervention_data(dossier))
    assert response.status_code == 302, response.context["form"].errors
    letter = Intervention.objects.get(dossier=dossier)
    assert (letter.addressee, letter.addressee_name, letter.outcome) == (
        "committee", "vaste commissie voor Volkshuisvesting", Outcome.PENDING)
    assert [entry.user for entry in entries(letter, "wagtail.create")] == [bureau_user]


def test_a_letter_before_the_dossier_opened_is_an_error_on_its_date(bureau, dossier, letter):
    response = bureau.post(f"{INTERVENTIONS}add/", intervention_data(dossier, date="2024-12-31"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["date"]
    assert codes(response.context["form"], "date") == ["before_dossier_opened"]
    response = bureau.post(f"{INTERVENTIONS}add/", intervention_data(dossier, addressee_name=""))
    assert codes(response.context["form"], "addressee_name") == ["addressee_name_required"]
    assert Intervention.objects.filter(dossier=dossier).count() == 1
    # Editing checks the same.
    data = intervention_data(dossier, date="2024-12-01")
    del data["dossier"]
    response = bureau.post(f"{INTERVENTIONS}edit/{letter.pk}/", data)
    assert codes(response.context["form"], "date") == ["before_dossier_opened"]
    letter.refresh_from_db()
    assert letter.date == d("2025-02-01")


def test_the_bureau_records_an_outcome(bureau, bureau_user, dossier, letter):
    url = f"/admin/advocacy/interventions/{letter.pk}/outcome/"
    response = bureau.post(url, {"outcome": Outcome.GRANTED, "outcome_on": "2025-01-20"})
    assert codes(response.context["form"], "outcome_on") == ["outcome_before_intervention"]
    response = bureau.post(url, {"outcome": Outcome.GRANTED, "outcome_on": ""})
    assert codes(response.context["form"], "outcome_on") == ["outcome_date_required"]
    item = suggest(dossier, 1)[0]
    services.item_decide(item=item, status=ItemStatus.CONFIRMED)
    response = bureau.post(url, {"outcome": Outcome.PARTLY, "outcome_on": "2025-06-01", "note": "Deels toegezegd.",
                                 "evidence_url": "https://www.tweedekamer.nl/motie", "evidence_item": item.pk})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.outcome, letter.outcome_on, letter.evidence_item) == (Outcome.PARTLY, d("2025-06-01"), item)
    [entry] = entries(letter, services.OUTCOME_RECORDED)
    assert entry.user == bureau_user and entry.data["outcome"] == Outcome.PARTLY


def test_the_bureau_adds_a_document_to_an_intervention(bureau, bureau_user, letter, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    document = get_document_model().objects.create(title="De brief", file=ContentFile(b"%PDF-1.4\n", "brief.pdf"))
    url = f"/admin/advocacy/interventions/{letter.pk}/documents/"
    response = bureau.post(url, {"document": document.pk, "title": "", "visibility": "members"})
    assert response.status_code == 302
    attached = InterventionDocument.objects.get(intervention=letter)
    assert (attached.document, attached.visibility) == (document, "members")
    assert len(entries(letter, "advocacy.document_added")) == 1
    assert "De brief" in bureau.get(url).content.decode()


# --- matching rules -------------------------------------------------------------------------------

def rule_data(dossier, **changes) -> dict:
    return {"dossier": dossier.pk, "name": "Begroting BZK", "dossier_numbers": "36600-VII", "committees": "",
            "case_kinds": "", "terms": "", "mps": "", "is_active": "on", **changes}


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"dossier_numbers": "36600/VII"}, "dossier_numbers", "dossier_number_malformed"),
    ({"dossier_numbers": "", "terms": "de, het"}, "terms", "terms_empty"),
    ({"dossier_numbers": ""}, "__all__", "rule_empty"),
])
def test_a_rule_that_cannot_work_is_a_form_error(bureau, dossier, changes, field, code):
    response = bureau.post(f"{RULES}add/", rule_data(dossier, **changes))
    assert response.status_code == 200
    assert codes(response.context["form"], field) == [code]
    assert not MatchRule.objects.exists()


def test_a_new_rule_matches_the_mirror_after_the_commit(bureau, dossier, django_capture_on_commit_callbacks):
    from stedennet.parliament.demo import load_demo_parliament

    load_demo_parliament()
    assert bureau.get(f"{RULES}add/?dossier={dossier.pk}").context["form"].initial["dossier"] == dossier.pk
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = bureau.post(f"{RULES}add/", rule_data(dossier))
    assert response.status_code == 302 and callbacks
    found = DossierItem.objects.filter(dossier=dossier, status=ItemStatus.SUGGESTED).count()
    assert found > 0
    tags = [message.extra_tags for message in get_messages(response.wsgi_request)]
    assert f"suggestions-{found}" in " ".join(tags)
    html = bureau.get(REVIEW).content.decode()
    assert re.search(r'data-testid="review-queue" data-count="(\d+)"', html).group(1) == str(found)
    assert "Begroting BZK" in html and "36600-VII" in html  # why it matched: the rule and its reason


# --- the review queue -----------------------------------------------------------------------------

def test_the_bureau_confirms_and_dismisses_suggestions(bureau, bureau_user, dossier):
    old, new = suggest(dossier, 2)
    html = bureau.get(REVIEW).content.decode()
    assert html.index(old.title) < html.index(new.title)  # oldest first
    assert "kamerstuk dossier 36600-VII (0)" in html and "36600-VII nr. 10" in html
    assert f'action="/admin/advocacy/review/{old.pk}/decide/"' in html and "csrfmiddlewaretoken" in html

    response = bureau.post(f"/admin/advocacy/review/{old.pk}/decide/", {"status": ItemStatus.CONFIRMED,
                                                                       "next": f"{REVIEW}?p=1"})
    assert response.status_code == 302 and response["Location"] == f"{REVIEW}?p=1"
    response = bureau.post(f"/admin/advocacy/review/{new.pk}/decide/", {"status": ItemStatus.DISMISSED,
                                                                       "next": "https://example.org/"})
    assert response["Location"] == REVIEW
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, old.decided_by, new.status, new.decided_by) == (
        ItemStatus.CONFIRMED, bureau_user, ItemStatus.DISMISSED, bureau_user)
    [confirmed] = entries(dossier, services.ITEM_CONFIRMED)
    [dismissed] = entries(dossier, services.ITEM_DISMISSED)
    assert (confirmed.data["item"], dismissed.data["item"]) == (old.pk, new.pk)
    assert confirmed.user == dismissed.user == bureau_user

    # Deciding again is refused with its code, and changes nothing.
    response = bureau.post(f"/admin/advocacy/review/{new.pk}/decide/", {"status": ItemStatus.CONFIRMED})
    assert "refusal-item_status_not_allowed" in [m.extra_tags for m in get_messages(response.wsgi_request)]
    new.refresh_from_db()
    assert new.status == ItemStatus.DISMISSED
    assert 'data-count="0"' in bureau.get(REVIEW).content.decode()


def test_the_review_queue_is_paginated_with_a_fixed_number_of_queries(bureau, dossier, g40_bodies):
    other = services.dossier_create(network=g40_bodies, pillar=body("sociale-pijler"), title="Armoede",
                                    opened_on=d("2025-01-01"), owners=[body("themagroep-armoede-en-schulden")])
    rule = MatchRule.objects.create(dossier=dossier, name="Regel", dossier_numbers="36600-VII")
    suggest(dossier, 2)
    bureau.get(REVIEW)  # warm the caches a running server has
    with CaptureQueriesContext(connection) as few:
        assert bureau.get(REVIEW).status_code == 200
    for item in suggest(other, 30, title="Motie over armoede"):
        item.reasons = [{"rule": rule.pk, "why": "term armoede"}, {"rule": 999999, "why": "gone"}]
        item.save()
    with CaptureQueriesContext(connection) as many:
        html = bureau.get(REVIEW).content.decode()
    assert 'data-count="32"' in html and html.count("<tr data-item=") == 25 and 'data-testid="pages"' in html
    assert len(many.captured_queries) == len(few.captured_queries) + 1  # + the rules the page's reasons name
    assert "Regel: term armoede" in html
    page_two = bureau.get(REVIEW, {"p": 2}).content.decode()
    assert page_two.count("<tr data-item=") == 7


def test_the_menu_shows_the_lobby_with_the_waiting_suggestions(bureau, dossier):
    suggest(dossier, 3)
    html = bureau.get("/admin/").content.decode()
    assert "/admin/advocacy/review/" in html and "/admin/parliament/sync/" in html
    assert re.search(r"\(3\)", html)
