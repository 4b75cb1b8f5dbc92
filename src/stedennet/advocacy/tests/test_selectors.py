"""What the public side of advocacy reads: which dossiers a viewer sees, the interventions and
documents in them, the timeline (order, filter, what the mirror adds: submitters, appraisal,
decision and votes per party of a motion; minister, status, due date and overdue of a
commitment; a debate's committee), the letters of the feed, and a fixed number of queries
whatever the amount of data.

The builders here (``lobby``, ``add_motion`` …) are used by the page and browser tests too."""

import datetime
import uuid
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents.models import Document as WagtailDocument
from wagtail.models import Collection

from stedennet.accounts.constants import Role as AccountRole
from stedennet.advocacy import selectors
from stedennet.advocacy.constants import (
    Addressee,
    DossierStatus,
    InterventionKind,
    ItemKind,
    ItemStatus,
    Outcome,
    TimelineKind,
)
from stedennet.advocacy.models import DossierItem, InterventionDocument
from stedennet.advocacy.services import (
    ask_adopt,
    dossier_create,
    dossier_status_set,
    intervention_outcome_set,
    intervention_record,
)
from stedennet.governance.access import ANONYMOUS, Viewer, viewer_for
from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import position_assign
from stedennet.meetings.services import agenda_item_add, decision_add, meeting_create
from stedennet.parliament.constants import Category
from stedennet.parliament.models import (
    Activiteit,
    Besluit,
    Document,
    Kamerstukdossier,
    Link,
    Stemming,
    Toezegging,
    Zaak,
    ZaakActor,
)
from stedennet.programmes.services import action_add, key_message_add, strategic_agenda_create, work_programme_create

d = datetime.date.fromisoformat
AMS = datetime.timezone(datetime.timedelta(hours=1))
PASSWORD = "correct horse battery"  # the test accounts' password


def at(day: str, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(d(day), datetime.time(hour), tzinfo=AMS)


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


# --- the mirror, written directly ---------------------------------------------------------------

def mirror(model, **fields):
    return model.objects.create(guid=fields.pop("guid", None) or uuid.uuid4(), synced_at=timezone.now(), **fields)


def confirm(dossier, entity, *, category: str, kind: str, title: str, date=None, reference: str = "",
            status: str = ItemStatus.CONFIRMED, is_demo: bool = False) -> DossierItem:
    return DossierItem.objects.create(dossier=dossier, category=category, guid=entity.guid, kind=kind, title=title,
                                      reference=reference, date=date, status=status, suggested_at=timezone.now(),
                                      decided_at=timezone.now(), is_demo=is_demo)


PARTIES = [("PvdS", 40, "Voor"), ("LMP", 35, "Voor"), ("CSA", 30, "Tegen"), ("GV", 25, "Voor"),
           ("PvhP", 20, "Niet deelgenomen")]


def add_motion(dossier, title: str, *, day: str = "2025-05-10", outcome: str = "Aangenomen.",
               appraisal: str = "Oordeel Kamer", votes=PARTIES, submitters=(("Anna de Vries", "PvdS"),
                                                                              ("Bram Jansen", "LMP")),
               status: str = ItemStatus.CONFIRMED) -> DossierItem:
    """A motion in the mirror (case, submitters, decision, a vote per party) and in the dossier."""
    zaak = mirror(Zaak, nummer=f"2025Z{uuid.uuid4().int % 100000:05d}", soort="Motie", titel=title,
                  onderwerp=title, kabinetsappreciatie=appraisal, gestart_op=at(day))
    for number, (name, party) in enumerate(submitters):
        mirror(ZaakActor, zaak_id=zaak.guid, relatie="Indiener" if number == 0 else "Medeindiener",
               actor_naam=name, actor_fractie=party)
    besluit = mirror(Besluit, zaak_id=zaak.guid, soort="Stemmen - aangenomen", tekst=outcome,
                     bijgewerkt=at(day, 15))
    for party, seats, vote in votes:
        mirror(Stemming, besluit_id=besluit.guid, soort=vote, fractie_grootte=seats, actor_fractie=party,
               actor_naam=party)
    return confirm(dossier, zaak, category=Category.ZAAK, kind=ItemKind.MOTION, title=title, date=at(day),
                   reference=zaak.nummer, status=status)


def add_commitment(dossier, text: str, *, due: str, status: str = "Openstaand", minister: str = "Minister Bakker",
                   made: str = "2025-03-01") -> DossierItem:
    commitment = mirror(Toezegging, nummer=f"TZ{uuid.uuid4().int % 100000:05d}", tekst=text, status=status,
                        naam=minister, ministerie="BZK", aanmaakdatum=at(made), datum_nakoming=at(due, 0))
    return confirm(dossier, commitment, category=Category.TOEZEGGING, kind=ItemKind.COMMITMENT, title=text,
                   date=at(made), reference=commitment.nummer)


def add_debate(dossier, subject: str, *, day: str, committee: str = "vaste commissie voor Binnenlandse Zaken"):
    activity = mirror(Activiteit, nummer=f"2025A{uuid.uuid4().int % 100000:05d}", soort="Commissiedebat",
                      onderwerp=subject, datum=at(day, 0), aanvangstijd=at(day, 10), voortouwnaam=committee)
    return confirm(dossier, activity, category=Category.ACTIVITEIT, kind=ItemKind.DEBATE, title=subject,
                   date=at(day, 10))


def add_letter_of_government(dossier, title: str, *, day: str, number: int = 14) -> DossierItem:
    kamerdossier = Kamerstukdossier.objects.filter(nummer=36600, toevoeging="VII").first() or mirror(
        Kamerstukdossier, nummer=36600, toevoeging="VII", titel="Begroting BZK 2025")
    document = mirror(Document, soort="Brief regering", titel=title, datum=at(day),
                      kamerstukdossier_id=kamerdossier.guid, volgnummer=number, documentnummer=f"2025D{number:05d}")
    return confirm(dossier, document, category=Category.DOCUMENT, kind=ItemKind.GOVERNMENT_LETTER, title=title,
                   date=at(day))


def wagtail_document(title: str) -> WagtailDocument:
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    document = WagtailDocument(title=title, collection=root)
    document.file.save(f"{title.lower().replace(' ', '-')}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    return document


# --- the lobby ----------------------------------------------------------------------------------

@dataclass
class Lobby:
    public: object
    members_only: object
    group_only: object
    letter: object
    secret_letter: object
    meeting: object
    members_letter: object
    motion: object
    rejected: object
    overdue: object
    open_commitment: object
    debate: object
    government_letter: object


def lobby(network) -> Lobby:
    """Three dossiers of the social pillar owned by Armoede en schulden: a public one (two ask
    versions, the second adopted by a numbered decision of the BO; a public letter to a committee
    with its outcome, a letter that is not public, a meeting with a minister; documents public,
    for members and for the group; key messages and actions public and not; two motions with
    votes, an overdue and an open commitment, a debate, a government letter; one suggested and
    one dismissed item), one for members and one for the group Wonen only."""
    social, armoede, wonen = body("sociale-pijler"), body("themagroep-armoede-en-schulden"), body("themagroep-wonen")
    bo = body("sociale-pijler-bo")
    public = dossier_create(network=network, pillar=social, title="Armoede en schulden", slug="armoede",
                            opened_on=d("2025-01-01"), owners=[armoede],
                            summary="Wat de steden vragen voor een sterkere aanpak van armoede.")
    ask_adopt(dossier=public, text="Structureel geld voor schuldhulpverlening.", adopted_on=d("2025-01-10"),
              body=armoede)
    meeting = meeting_create(body=bo, starts_at=at("2025-06-01", 10), ends_at=at("2025-06-01", 12),
                             title="BO Sociaal")
    item = agenda_item_add(meeting=meeting, title="Lobby armoede")
    decision = decision_add(meeting=meeting, agenda_item=item, text="Het BO stelt de vraag vast.")
    ask_adopt(dossier=public, text="Structureel 500 miljoen voor schuldhulpverlening en armoedebestrijding.",
              adopted_on=d("2025-06-01"), body=bo, decision=decision)
    letter = intervention_record(dossier=public, kind=InterventionKind.LETTER, title="Brief aan de commissie SZW",
                                 date=d("2025-02-01"), addressee=Addressee.COMMITTEE,
                                 addressee_name="vaste commissie voor Sociale Zaken en Werkgelegenheid",
                                 signatories="Wethouder Alkmaar\nWethouder Zwolle", summary="Onze zorgen.")
    secret = intervention_record(dossier=public, kind=InterventionKind.LETTER, title="Vertrouwelijke notitie",
                                 date=d("2025-03-01"), addressee=Addressee.CABINET, is_public=False)
    talk = intervention_record(dossier=public, kind=InterventionKind.MEETING_MINISTER, title="Gesprek met de minister",
                               date=d("2025-04-01"), addressee=Addressee.MINISTER, addressee_name="Minister van SZW")
    for title, visibility in (("Brief openbaar", Visibility.PUBLIC), ("Bijlage leden", Visibility.MEMBERS),
                              ("Bijlage themagroep", Visibility.BODY)):
        InterventionDocument.objects.create(intervention=letter, document=wagtail_document(title), title=title,
                                            visibility=visibility)
    motion = add_motion(public, "Motie over structureel geld voor schuldhulp", day="2025-05-10")
    rejected = add_motion(public, "Motie over een armoedetoets", day="2025-05-11", outcome="Verworpen.",
                          appraisal="Ontraden", votes=[("PvdS", 40, "Voor"), ("CSA", 30, "Tegen"),
                                                       ("LMP", 35, "Tegen"), ("GV", 25, "Tegen")])
    intervention_outcome_set(intervention=letter, outcome=Outcome.GRANTED, day=d("2025-05-20"),
                             note="De Kamer nam de motie aan.", evidence_url="https://example.org/motie",
                             evidence_item=motion)
    overdue = add_commitment(public, "De minister stuurt voor de zomer een brief over schuldhulp.", due="2025-07-01")
    open_commitment = add_commitment(public, "De minister evalueert de regeling.", due="2099-01-01")
    debate = add_debate(public, "Commissiedebat Armoede- en schuldenbeleid", day="2025-04-15")
    government = add_letter_of_government(public, "Kabinetsreactie op de motie", day="2025-06-15")
    add_motion(public, "Voorgestelde motie die niemand bevestigde", status=ItemStatus.SUGGESTED)
    add_motion(public, "Afgewezen suggestie", status=ItemStatus.DISMISSED)

    agenda = strategic_agenda_create(network=network, title="Strategische agenda 2026-2030",
                                     period_start=d("2026-01-01"), period_end=d("2030-12-31"))
    draft = strategic_agenda_create(network=network, title="Concept agenda", period_start=d("2026-06-01"),
                                    period_end=d("2030-12-31"), is_public=False)
    public.key_messages.add(key_message_add(agenda=agenda, text="Bestaanszekerheid voor iedereen", pillar=social),
                            key_message_add(agenda=draft, text="Geheime kernboodschap", pillar=social))
    programme = work_programme_create(pillar=social, title="Werkprogramma Sociaal", period_start=d("2026-01-01"),
                                      period_end=d("2026-12-31"), is_public=True)
    public.actions.add(action_add(programme=programme, title="Lobbydag armoede", is_public=True, owner=armoede),
                       action_add(programme=programme, title="Interne lobbyverkenning", is_public=False,
                                  owner=armoede))

    members_only = dossier_create(network=network, pillar=social, title="Ledendossier jeugdzorg", slug="jeugdzorg",
                                  opened_on=d("2025-01-01"), owners=[armoede], visibility=Visibility.MEMBERS)
    members_letter = intervention_record(dossier=members_only, kind=InterventionKind.LETTER,
                                         title="Brief over jeugdzorg", date=d("2025-02-02"),
                                         addressee=Addressee.CABINET)
    group_only = dossier_create(network=network, pillar=body("fysieke-pijler"), title="Groepsdossier woningbouw",
                                slug="woningbouw", opened_on=d("2025-01-01"), owners=[wonen],
                                visibility=Visibility.BODY, group=wonen)
    dossier_status_set(dossier=group_only, status=DossierStatus.PARTLY_ACHIEVED, day=d("2025-09-01"))
    return Lobby(public=public, members_only=members_only, group_only=group_only, letter=letter, secret_letter=secret,
                 meeting=talk, members_letter=members_letter, motion=motion, rejected=rejected, overdue=overdue,
                 open_commitment=open_commitment, debate=debate, government_letter=government)


def people(make_user) -> dict:
    """A user per kind of viewer: a member of the network, one seated in the owning group
    (Armoede en schulden), one seated in Wonen, a partner, the bureau."""
    from stedennet.governance.tests.factories import person_with_account
    from stedennet.registry.models import Network

    member = person_with_account(function="civil_servant", username="lid", is_demo=False)
    insider = person_with_account(function="civil_servant", username="armoede", is_demo=False)
    position_assign(person=insider, body=body("themagroep-armoede-en-schulden"), start_date=d("2024-01-01"))
    wonen = person_with_account(function="civil_servant", username="wonen", is_demo=False)
    position_assign(person=wonen, body=body("themagroep-wonen"), start_date=d("2024-01-01"))
    partner = person_with_account(partner=Network.objects.get(slug="g40").partners.first(), function="other",
                                  username="partner", is_demo=False)
    return {"anonymous": None, "member": member.user, "insider": insider.user, "wonen": wonen.user,
            "partner": partner.user, "bureau": make_user("bureau", AccountRole.BUREAU)}


def viewer(user) -> Viewer:
    return ANONYMOUS if user is None else viewer_for(user)


@pytest.fixture
def world(g40_bodies, make_user):
    return lobby(g40_bodies), people(make_user)


# --- which dossiers ---------------------------------------------------------------------------

SEES = {  # viewer → the dossiers they see
    "anonymous": {"armoede"},
    "partner": {"armoede"},
    "member": {"armoede", "jeugdzorg"},
    "insider": {"armoede", "jeugdzorg"},
    "wonen": {"armoede", "jeugdzorg", "woningbouw"},
    "bureau": {"armoede", "jeugdzorg", "woningbouw"},
}


@pytest.mark.parametrize("role", SEES)
def test_who_sees_which_dossier(world, role):
    _lobby, users = world
    who = viewer(users[role])
    assert {dossier.slug for dossier in selectors.dossiers_visible(who)} == SEES[role]
    for slug in ("armoede", "jeugdzorg", "woningbouw"):
        assert (selectors.dossier_for(who, slug) is not None) == (slug in SEES[role]), slug
    assert selectors.dossier_for(who, "bestaat-niet") is None


def test_the_list_is_grouped_by_pillar_with_the_latest_ask(world, django_assert_max_num_queries):
    lobby_, users = world
    bureau = viewer(users["bureau"])
    with django_assert_max_num_queries(3):
        grouped = selectors.dossiers_by_pillar(bureau, network=lobby_.public.network)
    assert [(pillar.slug, [dossier.slug for dossier in dossiers]) for pillar, dossiers in grouped] == [
        ("sociale-pijler", ["armoede", "jeugdzorg"]), ("fysieke-pijler", ["woningbouw"])]
    armoede = grouped[0][1][0]
    assert armoede.latest_ask.number == 2 and armoede.latest_ask.text.startswith("Structureel 500 miljoen")
    assert [group.slug for group in armoede.owner_groups] == ["themagroep-armoede-en-schulden"]
    assert grouped[0][1][1].latest_ask is None


# --- interventions and documents ----------------------------------------------------------------

INTERVENTIONS = {  # viewer → interventions of the public dossier, and the letter's documents
    "anonymous": ({"Brief aan de commissie SZW", "Gesprek met de minister"}, {"Brief openbaar"}),
    "partner": ({"Brief aan de commissie SZW", "Gesprek met de minister"}, {"Brief openbaar"}),
    "member": ({"Brief aan de commissie SZW", "Gesprek met de minister", "Vertrouwelijke notitie"},
               {"Brief openbaar", "Bijlage leden"}),
    "insider": ({"Brief aan de commissie SZW", "Gesprek met de minister", "Vertrouwelijke notitie"},
                {"Brief openbaar", "Bijlage leden", "Bijlage themagroep"}),
    "wonen": ({"Brief aan de commissie SZW", "Gesprek met de minister", "Vertrouwelijke notitie"},
              {"Brief openbaar", "Bijlage leden"}),
    "bureau": ({"Brief aan de commissie SZW", "Gesprek met de minister", "Vertrouwelijke notitie"},
               {"Brief openbaar", "Bijlage leden", "Bijlage themagroep"}),
}


@pytest.mark.parametrize("role", INTERVENTIONS)
def test_interventions_and_their_documents_by_viewer(world, role):
    lobby_, users = world
    who = viewer(users[role])
    interventions = selectors.interventions_visible(lobby_.public, who)
    titles, documents = INTERVENTIONS[role]
    assert {i.title for i in interventions} == titles
    letter = next(i for i in interventions if i.pk == lobby_.letter.pk)
    assert {document.title for document in letter.visible_documents} == documents
    assert letter.visible_evidence_item == lobby_.motion
    for document in InterventionDocument.objects.filter(intervention=lobby_.letter):
        found = selectors.intervention_document_for(who, "armoede", document.pk)
        assert (found is not None) == (document.title in documents), document.title
    timeline_titles = {entry.title for entry in selectors.timeline(lobby_.public, who, [TimelineKind.INTERVENTION])}
    assert timeline_titles == titles


def test_a_document_of_a_hidden_dossier_is_not_found(world):
    lobby_, users = world
    document = InterventionDocument.objects.create(intervention=lobby_.members_letter,
                                                   document=wagtail_document("Jeugd bijlage"))
    assert selectors.intervention_document_for(ANONYMOUS, "jeugdzorg", document.pk) is None
    assert selectors.intervention_document_for(ANONYMOUS, "armoede", document.pk) is None  # another dossier's
    assert selectors.intervention_document_for(viewer(users["member"]), "jeugdzorg", document.pk) == document


# --- the timeline --------------------------------------------------------------------------------

def test_the_timeline_in_date_order_with_every_kind(world):
    lobby_, _users = world
    entries = selectors.timeline(lobby_.public, ANONYMOUS)
    assert [(entry.date.isoformat(), entry.kind, entry.title[:30]) for entry in entries] == [
        ("2025-01-10", TimelineKind.ASK, "Structureel geld voor schuldhu"),
        ("2025-02-01", TimelineKind.INTERVENTION, "Brief aan de commissie SZW"),
        ("2025-03-01", TimelineKind.COMMITMENT, "De minister stuurt voor de zom"),
        ("2025-03-01", TimelineKind.COMMITMENT, "De minister evalueert de regel"),
        ("2025-04-01", TimelineKind.INTERVENTION, "Gesprek met de minister"),
        ("2025-04-15", TimelineKind.DEBATE, "Commissiedebat Armoede- en sch"),
        ("2025-05-10", TimelineKind.MOTION, "Motie over structureel geld vo"),
        ("2025-05-11", TimelineKind.MOTION, "Motie over een armoedetoets"),
        ("2025-05-20", TimelineKind.OUTCOME, "Brief aan de commissie SZW"),
        ("2025-06-01", TimelineKind.ASK, "Structureel 500 miljoen voor s"),
        ("2025-06-15", TimelineKind.GOVERNMENT_LETTER, "Kabinetsreactie op de motie"),
    ]
    assert "Vertrouwelijke notitie" not in {entry.title for entry in entries}  # not public
    titles = {entry.title for entry in entries}
    assert "Voorgestelde motie die niemand bevestigde" not in titles and "Afgewezen suggestie" not in titles
    ask = entries[-2].ask
    assert ask.number == 2 and ask.body.slug == "sociale-pijler-bo" and ask.decision.reference.endswith("/1")
    outcome = entries[8].intervention
    assert outcome.outcome == Outcome.GRANTED and outcome.outcome_on == d("2025-05-20")
    member_titles = {e.title for e in selectors.timeline(lobby_.public, viewer(_users["member"]))}
    assert "Vertrouwelijke notitie" in member_titles


def test_the_timeline_filtered_by_kind(world):
    lobby_, _users = world
    kinds = [entry.kind for entry in selectors.timeline(lobby_.public, ANONYMOUS,
                                                         [TimelineKind.MOTION, TimelineKind.OUTCOME])]
    assert kinds == [TimelineKind.MOTION, TimelineKind.MOTION, TimelineKind.OUTCOME]
    assert [e.kind for e in selectors.timeline(lobby_.public, ANONYMOUS, ["debate", "nonsense"])] == ["debate"]
    assert len(selectors.timeline(lobby_.public, ANONYMOUS, ["nonsense"])) == 11  # unknown only: everything
    page = selectors.dossier_page(lobby_.public, ANONYMOUS, ["commitment"])
    assert [e.kind for e in page.timeline] == ["commitment", "commitment"]
    assert len(page.motions) == 2  # the sections below are not filtered
    assert dict((value, count) for value, _label, count, _checked in page.filter_options)["motion"] == 2
    assert [value for value, _label, _count, checked in page.filter_options if checked] == ["commitment"]


def test_a_motion_with_submitters_appraisal_decision_and_votes_per_party(world):
    lobby_, _users = world
    page = selectors.dossier_page(lobby_.public, ANONYMOUS)
    adopted, rejected = page.motions
    assert adopted.item == lobby_.motion
    assert [(s.naam, s.fractie, s.relatie) for s in adopted.motion.submitters] == [
        ("Anna de Vries", "PvdS", "Indiener"), ("Bram Jansen", "LMP", "Medeindiener")]
    assert adopted.motion.kabinetsappreciatie == "Oordeel Kamer"
    assert adopted.motion.decision.outcome == "Aangenomen"
    assert [(v.fractie, v.kind, v.zetels) for v in adopted.motion.votes] == [
        ("PvdS", "voor", 40), ("LMP", "voor", 35), ("CSA", "tegen", 30), ("GV", "voor", 25),
        ("PvhP", "niet deelgenomen", 20)]
    assert (adopted.motion.decision.seats_for, adopted.motion.decision.seats_against) == (100, 30)
    assert rejected.motion.decision.outcome == "Verworpen" and rejected.motion.kabinetsappreciatie == "Ontraden"
    assert rejected.motion.decision.seats_against == 90


def test_commitments_with_minister_status_due_date_and_overdue(world):
    lobby_, _users = world
    page = selectors.dossier_page(lobby_.public, ANONYMOUS)
    overdue, still_open = page.commitments
    assert overdue.item == lobby_.overdue and overdue.overdue
    assert (overdue.commitment.naam, overdue.commitment.status) == ("Minister Bakker", "Openstaand")
    assert timezone.localtime(overdue.commitment.datum_nakoming).date() == d("2025-07-01")
    assert still_open.item == lobby_.open_commitment and not still_open.overdue
    assert page.overdue_count == 1
    Toezegging.objects.filter(guid=lobby_.overdue.guid).update(status="Voldaan")
    assert selectors.dossier_page(lobby_.public, ANONYMOUS).overdue_count == 0


def test_debates_and_government_letters_from_the_mirror(world):
    lobby_, _users = world
    page = selectors.dossier_page(lobby_.public, ANONYMOUS)
    debate = next(e for e in page.entries if e.kind == TimelineKind.DEBATE)
    assert debate.activity.onderwerp == "Commissiedebat Armoede- en schuldenbeleid"
    assert debate.committee == "vaste commissie voor Binnenlandse Zaken"
    letter = next(e for e in page.entries if e.kind == TimelineKind.GOVERNMENT_LETTER)
    assert letter.document.soort == "Brief regering" and letter.reference == "36600-VII nr. 14"


def test_an_item_whose_entity_the_mirror_deleted_keeps_its_trace(world):
    lobby_, _users = world
    Activiteit.objects.filter(guid=lobby_.debate.guid).delete()
    debate = next(e for e in selectors.timeline(lobby_.public, ANONYMOUS, ["debate"]))
    assert debate.activity is None and debate.title == "Commissiedebat Armoede- en schuldenbeleid"
    assert debate.date == d("2025-04-15")


def test_a_motion_filed_as_its_document_gets_the_vote_of_its_case(world):
    lobby_, _users = world
    zaak = Zaak.objects.get(guid=lobby_.motion.guid)
    document = mirror(Document, soort="Motie", titel="Motie (document)", datum=at("2025-05-09"))
    Link.objects.create(source_category=Category.DOCUMENT, source_guid=document.guid, relation="zaak",
                        target_guid=zaak.guid)
    confirm(lobby_.members_only, document, category=Category.DOCUMENT, kind=ItemKind.MOTION, title="Motie (document)")
    entry = selectors.dossier_page(lobby_.members_only, viewer_for(None)).motions[0]
    assert entry.zaak == zaak and entry.motion.decision.outcome == "Aangenomen"


def test_the_page_shows_public_key_messages_and_actions_to_visitors_all_to_members(world):
    lobby_, users = world
    public = selectors.dossier_page(lobby_.public, ANONYMOUS)
    assert [m.text for m in public.key_messages] == ["Bestaanszekerheid voor iedereen"]
    assert [a.title for a in public.actions] == ["Lobbydag armoede"]
    members = selectors.dossier_page(lobby_.public, viewer(users["member"]))
    assert {m.text for m in members.key_messages} == {"Bestaanszekerheid voor iedereen", "Geheime kernboodschap"}
    assert {a.title for a in members.actions} == {"Lobbydag armoede", "Interne lobbyverkenning"}
    assert public.current_ask.number == 2 and [a.number for a in public.earlier_asks] == [1]
    assert [g.slug for g in public.owners] == ["themagroep-armoede-en-schulden"]


def test_body_dossiers(world):
    _lobby, users = world
    armoede = body("themagroep-armoede-en-schulden")
    assert [x.slug for x in selectors.body_dossiers(ANONYMOUS, armoede)] == ["armoede"]
    assert [x.slug for x in selectors.body_dossiers(viewer(users["member"]), armoede)] == ["armoede", "jeugdzorg"]
    assert [x.slug for x in selectors.body_dossiers(viewer(users["bureau"]), body("fysieke-pijler"))] == [
        "woningbouw"]
    assert selectors.body_dossiers(ANONYMOUS, body("themagroep-wonen")) == []


# --- the feed's letters --------------------------------------------------------------------------

def test_public_letters_only_from_public_dossiers(world):
    lobby_, _users = world
    letters = selectors.public_letters(10)
    assert letters == [lobby_.letter]  # not the secret one, not the meeting, not the members' dossier's
    assert selectors.public_letters(0) == []


# --- a fixed number of queries ---------------------------------------------------------------------

def _grow(dossier, n: int, start: int) -> None:
    for number in range(start, start + n):
        add_motion(dossier, f"Extra motie {number}", day="2025-08-01")
        add_commitment(dossier, f"Extra toezegging {number}", due="2025-01-01")
        add_debate(dossier, f"Extra debat {number}", day="2025-08-02")
        add_letter_of_government(dossier, f"Extra brief {number}", day="2025-08-03", number=100 + number)
        intervention = intervention_record(dossier=dossier, kind=InterventionKind.LETTER, title=f"Brief {number}",
                                           date=d("2025-08-04"), addressee=Addressee.CABINET)
        InterventionDocument.objects.create(intervention=intervention, document=wagtail_document(f"Bijlage {number}"))
        intervention_outcome_set(intervention=intervention, outcome=Outcome.PARTLY, day=d("2025-08-05"))
        ask_adopt(dossier=dossier, text=f"Vraag {number}", adopted_on=d("2025-08-06"),
                  body=body("themagroep-armoede-en-schulden"))


@pytest.mark.parametrize("role", ["anonymous", "insider"])
def test_the_timeline_and_page_take_the_same_queries_whatever_the_data(world, role,
                                                                       django_assert_max_num_queries):
    lobby_, users = world
    who = viewer(users[role])

    def count(function) -> int:
        with CaptureQueriesContext(connection) as queries:
            function()
        return len(queries)

    def page():
        return selectors.dossier_page(lobby_.public, who)

    def line():
        return selectors.timeline(lobby_.public, who)

    before_page, before_line = count(page), count(line)
    _grow(lobby_.public, 4, 1)
    with django_assert_max_num_queries(before_page):
        grown = page()
    assert len(grown.entries) >= 11 + 4 * 7
    assert count(line) == before_line
    _grow(lobby_.public, 3, 10)
    assert (count(page), count(line)) == (before_page, before_line)
    with django_assert_max_num_queries(16):
        page()
