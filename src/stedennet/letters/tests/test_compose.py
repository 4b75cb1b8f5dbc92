"""The draft is composed from what happened since the previous letter, one source per function
(``letters.compose``): board decisions, work-programme progress, lobby results, library items,
coming events; each only what is new (and public enough), with absolute links; a fixed number
of queries however much there is."""

import datetime

import pytest
from django.utils import timezone

from stedennet.advocacy import services as advocacy
from stedennet.advocacy.constants import DossierStatus, Outcome
from stedennet.events.constants import EventStatus
from stedennet.events.services import event_create
from stedennet.governance.models import Body, Visibility
from stedennet.knowledge.models import LibraryItem
from stedennet.letters import compose, services
from stedennet.letters.models import Letter
from stedennet.letters.tests.factories import sent_letter
from stedennet.meetings.services import AgendaEntry, decision_add, meeting_create
from stedennet.programmes.models import ActionStatus
from stedennet.programmes.services import action_add, progress_update_add, work_programme_create

BASE = "https://leden.example.org"


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


def decision(slug: str, when: datetime.datetime, text: str, *, cancelled=False):
    meeting = meeting_create(body=body(slug), starts_at=when, ends_at=when + datetime.timedelta(hours=2),
                             agenda=[AgendaEntry(f"Agendapunt {text}")])
    made = decision_add(meeting=meeting, agenda_item=meeting.agenda_items.get(), text=text)
    if cancelled:
        type(meeting).objects.filter(pk=meeting.pk).update(cancelled=True)
    return made


def library_item(title: str, when: datetime.datetime, visibility=Visibility.MEMBERS, **fields):
    item = LibraryItem.objects.create(title=title, summary=f"Over {title}", visibility=visibility, **fields)
    LibraryItem.objects.filter(pk=item.pk).update(created_at=when)
    return item


def event(title: str, starts: datetime.datetime, *, status=EventStatus.PUBLISHED, audience=Visibility.MEMBERS,
          **fields):
    return event_create(title=title, starts_at=starts, ends_at=starts + datetime.timedelta(hours=6), status=status,
                        audience=audience, venue="Stadhuis", **fields)


@pytest.fixture
def world(g40_bodies, settings):
    """A previous letter 30 days ago; before it and after it, something of every source."""
    settings.STEDENNET_BASE_URL = BASE
    now = timezone.now()
    before, after = now - datetime.timedelta(days=40), now - datetime.timedelta(days=10)
    previous = sent_letter(sent_at=now - datetime.timedelta(days=30))
    # Decisions: of the boards (AB, DB) after the previous letter; not before it, not of a pillar
    # meeting, not of a cancelled meeting.
    decision("algemeen-bestuur", after, "Het AB stelt de begroting vast.")
    decision("dagelijks-bestuur", after + datetime.timedelta(days=1), "Het DB benoemt een secretaris.")
    decision("algemeen-bestuur", before, "Een oud besluit.")
    decision("fysieke-pijler-bo", after, "Een besluit van een pijleroverleg.")
    decision("dagelijks-bestuur", after + datetime.timedelta(days=2), "Een besluit van een afgelaste vergadering.",
             cancelled=True)
    # Progress: of public actions in public programmes, dated after the previous letter.
    pillar = body("fysieke-pijler")
    programme = work_programme_create(pillar=pillar, title="Werkprogramma Fysiek",
                                      period_start=datetime.date(2026, 1, 1),
                                      period_end=datetime.date(2027, 12, 31), is_public=True)
    public = action_add(programme=programme, title="Woningbouwversnelling", is_public=True)
    hidden = action_add(programme=programme, title="Interne verkenning", is_public=False)
    progress_update_add(action=public, date=timezone.localdate(after), text="De eerste deals zijn gesloten.",
                        status=ActionStatus.ONGOING)
    progress_update_add(action=public, date=timezone.localdate(before), text="Oude voortgang.",
                        status=ActionStatus.ONGOING)
    progress_update_add(action=hidden, date=timezone.localdate(after), text="Niet voor de brief.",
                        status=ActionStatus.ONGOING)
    closed = work_programme_create(pillar=pillar, title="Intern programma", period_start=datetime.date(2026, 1, 1),
                                   period_end=datetime.date(2027, 12, 31), is_public=False)
    progress_update_add(action=action_add(programme=closed, title="Besloten actie", is_public=True),
                        date=timezone.localdate(after), text="Ook niet.", status=ActionStatus.ONGOING)
    # Library: public or for members, added after the previous letter.
    library_item("Handreiking warmtenet", after, Visibility.PUBLIC)
    library_item("Ledennotitie arbeidsmarkt", after, Visibility.MEMBERS)
    library_item("Voor partners", after, Visibility.MEMBERS_AND_PARTNERS)
    library_item("Oude notitie", before, Visibility.PUBLIC)
    library_item("Alleen de groep", after, Visibility.BODY, group=body("themagroep-wonen"))
    # Events: published, coming, for the public, members or members and partners.
    event("Kennisdag Wonen", now + datetime.timedelta(days=20), audience=Visibility.PUBLIC)
    event("Netwerkdag", now + datetime.timedelta(days=40), audience=Visibility.MEMBERS_AND_PARTNERS)
    event("Voorbij", now - datetime.timedelta(days=5))
    event("Nog concept", now + datetime.timedelta(days=10), status=EventStatus.DRAFT)
    event("Alleen Wonen", now + datetime.timedelta(days=10), audience=Visibility.BODY, body=body("themagroep-wonen"))
    # Lobby: outcomes of public interventions in public dossiers, and status changes of public dossiers.
    dossier = advocacy.dossier_create(network=g40_bodies, pillar=pillar, title="Woningbouw in de G40",
                                      opened_on=datetime.date(2025, 1, 1))
    closed_dossier = advocacy.dossier_create(network=g40_bodies, pillar=pillar, title="Ledendossier",
                                             opened_on=datetime.date(2025, 1, 1), visibility=Visibility.MEMBERS)
    for target, title, outcome_day in ((dossier, "Brief over woningbouw", after), (dossier, "Oude brief", before),
                                       (closed_dossier, "Besloten brief", after)):
        letter = advocacy.intervention_record(dossier=target, kind="letter", title=title,
                                              date=datetime.date(2025, 6, 1), addressee="cabinet")
        advocacy.intervention_outcome_set(intervention=letter, outcome=Outcome.GRANTED,
                                          day=timezone.localdate(outcome_day), note="Toegezegd.")
    advocacy.dossier_status_set(dossier=dossier, status=DossierStatus.PARTLY_ACHIEVED)
    advocacy.dossier_status_set(dossier=closed_dossier, status=DossierStatus.ACHIEVED)
    return {"previous": previous, "now": timezone.now() + datetime.timedelta(seconds=1)}


def titles(section) -> list[str]:
    return [item.title for item in section.items]


def test_each_source_picks_only_what_is_new_since_the_previous_letter(world):
    since, until = world["previous"].composed_until, world["now"]
    decisions = compose.board_decisions(since, until)
    assert len(decisions.items) == 2
    assert all(item.url.startswith(f"{BASE}/vergaderingen/") for item in decisions.items)
    assert {item.text for item in decisions.items} == {"Het AB stelt de begroting vast.",
                                                       "Het DB benoemt een secretaris."}
    progress = compose.programme_progress(since, until)
    assert [item.text for item in progress.items] == ["De eerste deals zijn gesloten."]
    assert progress.items[0].url == f"{BASE}/pijlers/fysieke-pijler/"
    library = compose.library_items(since, until)
    assert sorted(titles(library)) == ["Handreiking warmtenet", "Ledennotitie arbeidsmarkt"]
    assert all(item.url.startswith(f"{BASE}/bibliotheek/") for item in library.items)
    events = compose.coming_events(until)
    assert titles(events) == ["Kennisdag Wonen", "Netwerkdag"]
    lobby = compose.lobby_results(since, until)
    assert sorted(titles(lobby)) == ["Woningbouw in de G40", "Woningbouw in de G40: Brief over woningbouw"]
    assert {item.url for item in lobby.items} == {f"{BASE}/lobby/woningbouw-in-de-g40/"}


def test_the_draft_holds_the_sections_with_absolute_links(world, make_user):
    bureau = make_user("bureau")
    letter = services.letter_draft_create(by=bureau, now=world["now"])
    assert letter.reference == f"Lbr. {world['now'].year % 100:02d}/002"  # the previous letter was 001
    assert (letter.status, letter.created_by) == ("draft", bureau)
    assert letter.composed_from == world["previous"].composed_until
    assert letter.composed_until == world["now"]
    assert letter.body.count("<h2>") == 5
    for expected in ("Het AB stelt de begroting vast.", "De eerste deals zijn gesloten.", "Handreiking warmtenet",
                     "Kennisdag Wonen", "Brief over woningbouw", f'href="{BASE}/lobby/woningbouw-in-de-g40/"'):
        assert expected in letter.body
    for left_out in ("Een oud besluit", "pijleroverleg", "Oude voortgang", "Niet voor de brief", "Voor partners",
                     "Oude notitie", "Alleen de groep", "Voorbij", "Nog concept", "Alleen Wonen", "Oude brief",
                     "Besloten brief", "Ledendossier"):
        assert left_out not in letter.body


def test_the_next_draft_starts_where_the_previous_letter_ended(world):
    draft = services.letter_draft_create(now=world["now"])
    services.letter_record_sent(draft, sent_at=world["now"])
    later = services.letter_draft_create(now=world["now"] + datetime.timedelta(days=1))
    assert later.composed_from == world["now"]
    # Nothing happened since: only the coming events remain.
    assert later.body.count("<h2>") == 1 and "Kennisdag Wonen" in later.body


def test_the_first_draft_looks_back_a_quarter(g40_bodies):
    now = timezone.now()
    letter = services.letter_draft_create(now=now)
    assert letter.composed_from == now - datetime.timedelta(days=92)
    assert Letter.objects.count() == 1


def test_composing_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    since, until = world["previous"].composed_until, world["now"]
    with django_assert_max_num_queries(12):
        sections = compose.compose(since, until)
    assert [section.key for section in sections] == ["decisions", "progress", "lobby", "library", "events"]


def test_a_section_shows_at_most_its_limit_and_counts_the_rest(g40_bodies, monkeypatch):
    monkeypatch.setattr(compose, "SECTION_LIMIT", 2)
    now = timezone.now()
    for i in range(5):
        library_item(f"Stuk {i}", now - datetime.timedelta(hours=i + 1), Visibility.PUBLIC)
    section = compose.library_items(now - datetime.timedelta(days=1), now)
    assert (len(section.items), section.more, section.total) == (2, 3, 5)
    assert "Stuk 0" in compose.draft_body([section])
