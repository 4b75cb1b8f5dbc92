"""Meetings: planning with an agenda, recording attendance, minutes and numbered decisions (all or
nothing), documents with their visibility, the pages and who may see them, and query counts."""

import datetime
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import GovernanceRefused, position_assign, position_end
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.meetings import selectors, services
from stedennet.meetings.models import AgendaItem, Attendance, Decision, Meeting, MeetingDocument
from stedennet.meetings.services import AgendaEntry, AttendanceEntry, DecisionEntry
from stedennet.registry.models import PartnerOrganisation
from stedennet.web import uploads

d = datetime.date.fromisoformat
AMSTERDAM = timezone.get_fixed_timezone(120)  # CEST, for fixed April dates
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def at(day: str, hour: int = 14, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(d(day), datetime.time(hour, minute), tzinfo=AMSTERDAM)


def soon(days: int = 10, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


MAIN_TYPES = {  # the main part of an OOXML package and the type [Content_Types].xml gives it
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}


def docx_bytes(part: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml",
                         f'<Types><Override PartName="/{part}" ContentType="{MAIN_TYPES[part]}"/></Types>')
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ab(g40_bodies) -> Body:
    return body("algemeen-bestuur")


@pytest.fixture
def board(ab):
    """Three administrators in the AB since 2022; the first can sign in."""
    people = [
        person_with_account(function="mayor", cbs_code="GM0014", name="Burgemeester Groningen",
                            username="ab-lid"),
        PersonFactory(name="Wethouder Zwolle", function="alderman"),
        PersonFactory(name="Wethouder Apeldoorn", function="alderman"),
    ]
    for person in people:
        position_assign(person=person, body=ab, start_date=d("2022-06-01"))
    return people


@pytest.fixture
def meeting(ab, board) -> Meeting:
    return services.meeting_create(
        body=ab, starts_at=at("2026-04-14"), ends_at=at("2026-04-14", 16), title="Voorjaarsvergadering",
        location="Stadhuis Zwolle",
        agenda=[AgendaEntry("Opening"), AgendaEntry("Begroting 2027", presenter=board[1], proposal="Vaststellen."),
                AgendaEntry("Rondvraag")])


@pytest.fixture
def other_meeting(ab, board) -> Meeting:
    return services.meeting_create(body=ab, starts_at=at("2026-06-02"), ends_at=at("2026-06-02", 16),
                                   agenda=[AgendaEntry("Opening")])


def items(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.order_by("number"))


# --- services ------------------------------------------------------------------------------

class TestPlanning:
    def test_a_meeting_gets_its_uid_and_a_numbered_agenda(self, meeting, board):
        assert meeting.uid.startswith("meeting-") and meeting.uid.endswith("@stedennet")
        assert meeting.sequence == 0
        assert [(i.number, i.title) for i in items(meeting)] == [(1, "Opening"), (2, "Begroting 2027"),
                                                                 (3, "Rondvraag")]
        assert items(meeting)[1].presenter == board[1]

    def test_every_meeting_has_its_own_uid(self, meeting, other_meeting):
        assert meeting.uid != other_meeting.uid

    def test_a_meeting_that_ends_before_it_starts_is_refused(self, ab):
        with pytest.raises(GovernanceRefused) as refused:
            services.meeting_create(body=ab, starts_at=at("2026-04-14", 16), ends_at=at("2026-04-14", 14),
                                    agenda=[AgendaEntry("Opening")])
        assert "ends_at" in refused.value.error_dict
        assert not Meeting.objects.exists() and not AgendaItem.objects.exists()

    def test_an_archived_body_plans_no_meetings(self, ab):
        ab.archived_at = d("2026-01-01")
        ab.save()
        with pytest.raises(GovernanceRefused):
            services.meeting_create(body=ab, starts_at=at("2026-04-14"), ends_at=at("2026-04-14", 16))

    def test_agenda_items_added_later_take_the_next_number(self, meeting):
        assert services.agenda_item_add(meeting=meeting, title="Sluiting").number == 4

    def test_a_change_of_schedule_raises_the_sequence_and_a_non_change_does_not(self, meeting):
        meeting = services.meeting_update(meeting=meeting, location="Stadhuis Zwolle")
        assert meeting.sequence == 0
        meeting = services.meeting_update(meeting=meeting, location="Stadhuis Deventer")
        assert meeting.sequence == 1
        meeting = services.meeting_cancel(meeting=meeting)
        assert meeting.cancelled and meeting.sequence == 2
        meeting.refresh_from_db()
        assert meeting.location == "Stadhuis Deventer" and meeting.sequence == 2

    def test_meeting_update_changes_only_schedule_fields(self, meeting):
        with pytest.raises(TypeError):
            services.meeting_update(meeting=meeting, minutes="sneaky")


class TestDecisions:
    def test_decisions_are_numbered_per_meeting(self, meeting, other_meeting):
        first = services.decision_add(meeting=meeting, agenda_item=items(meeting)[1], text="Vastgesteld.")
        second = services.decision_add(meeting=meeting, agenda_item=items(meeting)[2], text="Genoteerd.")
        elsewhere = services.decision_add(meeting=other_meeting, agenda_item=items(other_meeting)[0], text="Ja.")
        assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
        assert second.reference == "AB 2026-04-14/2"
        assert selectors.decision_prefix(meeting) == "AB 2026-04-14"

    def test_a_decision_on_another_meetings_agenda_item_is_refused(self, meeting, other_meeting):
        with pytest.raises(GovernanceRefused) as refused:
            services.decision_add(meeting=meeting, agenda_item=items(other_meeting)[0], text="Nee.")
        assert "Opening" in str(refused.value)
        assert not Decision.objects.exists()

    def test_replacing_the_list_renumbers_keeps_rows_and_drops_the_rest(self, meeting):
        one, two, three = items(meeting)
        kept = services.decision_add(meeting=meeting, agenda_item=two, text="A")
        services.decision_add(meeting=meeting, agenda_item=three, text="B")
        services.decision_add(meeting=meeting, agenda_item=three, text="C")
        result = services.decisions_replace(meeting=meeting,
                                            entries=[DecisionEntry(two, "A2"), DecisionEntry(one, "X")])
        assert [(x.number, x.text, x.agenda_item_id) for x in result] == [(1, "A2", two.pk), (2, "X", one.pk)]
        assert result[0].pk == kept.pk
        assert Decision.objects.filter(meeting=meeting).count() == 2


class TestRecording:
    def test_attendance_minutes_and_decisions_are_recorded_together(self, meeting, board):
        substitute = PersonFactory(name="Wethouder Vervanger", function="alderman")
        _, two, three = items(meeting)
        services.meeting_record(
            meeting=meeting, minutes="De vergadering wordt geopend.", minutes_approved_on=d("2026-06-02"),
            attendance=[AttendanceEntry(board[0], Attendance.Status.PRESENT),
                        AttendanceEntry(board[1], Attendance.Status.SUBSTITUTED, substitute),
                        AttendanceEntry(board[2], Attendance.Status.ABSENT)],
            decisions=[DecisionEntry(two, "De begroting wordt vastgesteld."), DecisionEntry(three, "Geen vragen.")])
        meeting.refresh_from_db()
        assert meeting.minutes == "De vergadering wordt geopend." and meeting.minutes_approved_on == d("2026-06-02")
        rows = {a.person_id: (a.status, a.substitute_id) for a in meeting.attendance.all()}
        assert rows == {board[0].pk: ("present", None), board[1].pk: ("substituted", substitute.pk),
                        board[2].pk: ("absent", None)}
        assert [(x.number, x.agenda_item_id) for x in meeting.decisions.order_by("number")] == [(1, two.pk),
                                                                                               (2, three.pk)]

    def test_recording_again_updates_instead_of_duplicating(self, meeting, board):
        entries = [AttendanceEntry(board[0], Attendance.Status.PRESENT)]
        services.meeting_record(meeting=meeting, minutes="", attendance=entries, decisions=[])
        services.meeting_record(meeting=meeting, minutes="", decisions=[],
                                attendance=[AttendanceEntry(board[0], Attendance.Status.ABSENT)])
        assert list(meeting.attendance.values_list("status", flat=True)) == ["absent"]

    def test_nothing_is_saved_when_one_decision_is_refused(self, meeting, other_meeting, board):
        one = items(meeting)[0]
        with pytest.raises(GovernanceRefused):
            services.meeting_record(
                meeting=meeting, minutes="Verslag",
                attendance=[AttendanceEntry(board[0], Attendance.Status.PRESENT)],
                decisions=[DecisionEntry(one, "Goed."), DecisionEntry(items(other_meeting)[0], "Fout.")])
        meeting.refresh_from_db()
        assert meeting.minutes == "" and not Attendance.objects.exists() and not Decision.objects.exists()

    def test_nothing_is_saved_when_the_database_refuses_half_way(self, meeting, board, monkeypatch):
        def broken(**kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(services, "decisions_replace", broken)
        with pytest.raises(RuntimeError):
            services.meeting_record(meeting=meeting, minutes="Verslag", decisions=[],
                                    attendance=[AttendanceEntry(board[0], Attendance.Status.PRESENT)])
        meeting.refresh_from_db()
        assert meeting.minutes == "" and not Attendance.objects.exists()

    @pytest.mark.parametrize("status, substitute, message", [
        ("substituted", None, "Wie heeft"),
        ("substituted", "self", "zichzelf"),
        ("present", "other", "Alleen wie is vervangen"),
    ])
    def test_substitutes_follow_the_rules(self, meeting, board, status, substitute, message):
        other = PersonFactory(name="Wethouder Ander", function="alderman")
        chosen = {"self": board[0], "other": other, None: None}[substitute]
        with pytest.raises(GovernanceRefused) as refused:
            services.attendance_record(meeting=meeting, entries=[AttendanceEntry(board[0], status, chosen)])
        assert message in str(refused.value)
        assert not Attendance.objects.exists()

    def test_only_people_holding_a_position_on_the_date_attend(self, meeting, ab):
        outsider = PersonFactory(name="Wethouder Buiten", function="alderman")
        late = PersonFactory(name="Wethouder Later", function="alderman")
        position_assign(person=late, body=ab, start_date=d("2026-05-01"))
        for person in (outsider, late):
            with pytest.raises(GovernanceRefused) as refused:
                services.attendance_record(meeting=meeting, entries=[AttendanceEntry(person, "present")])
            assert person.name in str(refused.value)

    def test_expected_attendees_are_the_position_holders_on_the_meeting_date(self, meeting, board, ab):
        late = PersonFactory(name="Wethouder Later", function="alderman")
        position_assign(person=late, body=ab, start_date=d("2026-05-01"))
        position_end(position=board[2].positions.get(), day=d("2026-04-14"))
        assert {p.pk for p in selectors.expected_attendees(meeting)} == {p.pk for p in board}


class TestSelectors:
    def test_upcoming_meetings_of_a_body_and_of_bodies(self, ab, board):
        db = body("dagelijks-bestuur")
        past = services.meeting_create(body=ab, starts_at=soon(-10), ends_at=soon(-10, 16))
        next_ab = services.meeting_create(body=ab, starts_at=soon(5), ends_at=soon(5, 16))
        later_ab = services.meeting_create(body=ab, starts_at=soon(40), ends_at=soon(40, 16))
        next_db = services.meeting_create(body=db, starts_at=soon(3), ends_at=soon(3, 16))
        cancelled = services.meeting_cancel(
            meeting=services.meeting_create(body=ab, starts_at=soon(7), ends_at=soon(7, 16)))
        assert list(selectors.upcoming_meetings(body=ab)) == [next_ab, later_ab]
        assert list(selectors.upcoming_meetings(bodies=[ab, db])) == [next_db, next_ab, later_ab]
        assert cancelled in selectors.upcoming_meetings(body=ab, include_cancelled=True)
        assert past not in selectors.upcoming_meetings(body=ab, include_cancelled=True)

    def test_meetings_for_a_person_are_those_of_their_current_bodies(self, ab, board):
        db = body("dagelijks-bestuur")
        position = position_assign(person=board[0], body=db, start_date=d("2022-06-01"))
        ab_meeting = services.meeting_create(body=ab, starts_at=soon(5), ends_at=soon(5, 16))
        db_meeting = services.meeting_create(body=db, starts_at=soon(6), ends_at=soon(6, 16))
        assert list(selectors.meetings_for_person(board[0])) == [ab_meeting, db_meeting]
        assert list(selectors.meetings_for_person(board[1])) == [ab_meeting]
        position_end(position=position, day=timezone.localdate() - datetime.timedelta(days=1))
        assert list(selectors.meetings_for_person(board[0])) == [ab_meeting]


class TestDocumentFiles:
    @pytest.mark.parametrize("name, content", [
        ("stuk.pdf", PDF), ("stuk.PDF", PDF), ("stuk.docx", docx_bytes()),
        ("stuk.xlsx", docx_bytes("xl/workbook.xml")), ("stuk.pptx", docx_bytes("ppt/presentation.xml")),
        ("stuk.odt", odt_bytes()),
    ])
    def test_accepted_types(self, name, content):
        assert services.document_file_check(SimpleUploadedFile(name, content)) == name.rsplit(".", 1)[1].lower()

    @pytest.mark.parametrize("name, content, code", [
        ("virus.exe", b"MZ...", "type_not_allowed"),
        ("stuk", PDF, "type_not_allowed"),
        ("nep.pdf", b"<html>not a pdf</html>", "content_mismatch"),
        ("nep.docx", PDF, "content_mismatch"),
        ("nep.xlsx", docx_bytes("word/document.xml"), "content_mismatch"),
        ("nep.odt", docx_bytes(), "content_mismatch"),
        ("leeg.pdf", b"", "upload_empty"),
    ])
    def test_refused_types_say_why(self, name, content, code):
        with pytest.raises(ValidationError) as refused:
            services.document_file_check(SimpleUploadedFile(name, content))
        assert refused.value.code == code
        assert name in refused.value.messages[0]

    def test_a_file_over_20_mb_is_refused(self):
        upload = SimpleUploadedFile("groot.pdf", PDF)
        upload.size = 20 * 1024 * 1024 + 1
        with pytest.raises(ValidationError) as refused:
            services.document_file_check(upload)
        assert refused.value.code == "upload_too_large" and "20" in refused.value.messages[0]

    def test_exactly_20_mb_is_allowed(self):
        upload = SimpleUploadedFile("groot.pdf", PDF)
        upload.size = 20 * 1024 * 1024
        assert services.document_file_check(upload) == "pdf"

    def test_a_document_is_stored_in_the_restricted_collection(self, meeting):
        attached = services.meeting_document_add(meeting=meeting, title="Begroting",
                                                 file=SimpleUploadedFile("begroting.pdf", PDF),
                                                 visibility=Visibility.MEMBERS, agenda_item=items(meeting)[1])
        assert attached.document.collection.name == services.DOCUMENTS_COLLECTION
        assert attached.document.file_size == len(PDF) and attached.document.file_hash
        restriction = attached.document.collection.view_restrictions.get()
        assert list(restriction.groups.values_list("name", flat=True)) == [AccountRole.BUREAU]

    def test_a_document_for_another_meetings_item_is_refused(self, meeting, other_meeting):
        with pytest.raises(GovernanceRefused) as refused:
            services.meeting_document_add(meeting=meeting, title="X", file=SimpleUploadedFile("x.pdf", PDF),
                                          agenda_item=items(other_meeting)[0])
        assert "agenda_item" in refused.value.error_dict
        assert not MeetingDocument.objects.exists()


# --- pages and access ----------------------------------------------------------------------

@pytest.fixture
def people(g40_bodies, board, make_user):
    """A signed-in-able user for each role the access rules distinguish."""
    partner = PartnerOrganisation.objects.filter(network=g40_bodies).first()
    return {
        "partner": person_with_account(function="other", partner=partner, username="partner").user,
        "civil_servant": person_with_account(function="civil_servant", username="ambtenaar").user,
        "body_member": board[0].user,
        "bureau": make_user("bureau", AccountRole.BUREAU),
    }


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def documents(meeting):
    two = items(meeting)[1]
    made = {}
    for visibility in Visibility.values:
        made[visibility] = services.meeting_document_add(
            meeting=meeting, title=f"Stuk {visibility}", file=SimpleUploadedFile(f"{visibility}.pdf", PDF),
            visibility=visibility, agenda_item=two if visibility != Visibility.PUBLIC else None)
    return made


MEETING_ACCESS = {"partner": 403, "civil_servant": 200, "body_member": 200, "bureau": 200}
VISIBLE_DOCUMENTS = {
    "civil_servant": {"public", "members", "members_partners"},
    "body_member": {"public", "members", "members_partners", "body"},
    "bureau": {"public", "members", "members_partners", "body"},
}
DOCUMENT_ACCESS = {
    "partner": {"public", "members_partners"},
    "civil_servant": {"public", "members", "members_partners"},
    "body_member": {"public", "members", "members_partners", "body"},
    "bureau": {"public", "members", "members_partners", "body"},
}


class TestMeetingPageAccess:
    def test_anonymous_visitors_are_sent_to_the_login(self, client, meeting):
        response = client.get(meeting.get_absolute_url())
        assert response.status_code == 302 and "next=" in response["Location"]

    @pytest.mark.parametrize("role", MEETING_ACCESS)
    def test_who_sees_the_meeting_page(self, client, meeting, people, documents, role):
        response = login(client, people[role]).get(meeting.get_absolute_url())
        assert response.status_code == MEETING_ACCESS[role]
        if response.status_code == 200:
            shown = {v for v, doc in documents.items() if f"Stuk {v}<" in response.content.decode()}
            assert shown == VISIBLE_DOCUMENTS[role]

    @pytest.mark.parametrize("role", DOCUMENT_ACCESS)
    def test_who_downloads_which_document(self, client, meeting, people, documents, role):
        login(client, people[role])
        for visibility, attached in documents.items():
            url = reverse("meetings:meeting_document", kwargs={"pk": meeting.pk, "document_pk": attached.pk})
            response = client.get(url)
            expected = 200 if visibility in DOCUMENT_ACCESS[role] else 403
            assert response.status_code == expected, (role, visibility)
            if expected == 200:
                assert b"".join(response.streaming_content) == PDF
                assert response["Content-Type"] == "application/pdf"

    def test_anonymous_visitors_download_nothing(self, client, meeting, documents):
        url = reverse("meetings:meeting_document",
                      kwargs={"pk": meeting.pk, "document_pk": documents["public"].pk})
        assert client.get(url).status_code == 302

    def test_a_document_of_another_meeting_is_not_found_under_this_one(self, client, meeting, other_meeting,
                                                                       people, documents):
        url = reverse("meetings:meeting_document",
                      kwargs={"pk": other_meeting.pk, "document_pk": documents["public"].pk})
        assert login(client, people["bureau"]).get(url).status_code == 404

    @pytest.mark.parametrize("role", ["anonymous", "partner", "civil_servant", "body_member", "bureau"])
    def test_wagtails_own_document_address_follows_the_documents_visibility(self, client, people, documents, role):
        """The address search links to: served to whoever the visibility admits (anonymous visitors
        the public document), 404 to anyone else, as for an address that does not exist."""
        if role != "anonymous":
            login(client, people[role])
        allowed = DOCUMENT_ACCESS[role] if role != "anonymous" else {"public"}
        for visibility, attached in documents.items():
            response = client.get(attached.document.url)
            assert response.status_code == (200 if visibility in allowed else 404), (role, visibility)

    def test_an_unknown_meeting_is_404_for_those_who_may_see_meetings(self, client, people):
        assert login(client, people["bureau"]).get("/vergaderingen/999999/").status_code == 404


class TestMeetingPage:
    def test_it_shows_agenda_attendance_minutes_and_decisions_linked_to_items(self, client, meeting, board, people):
        _, two, three = items(meeting)
        services.meeting_record(
            meeting=meeting, minutes="Alles besproken.",
            attendance=[AttendanceEntry(board[0], "present"),
                        AttendanceEntry(board[1], "substituted", PersonFactory(name="Invaller", function="mayor")),
                        AttendanceEntry(board[2], "absent")],
            decisions=[DecisionEntry(two, "Begroting vastgesteld."), DecisionEntry(three, "Niets.")])
        html = login(client, people["civil_servant"]).get(meeting.get_absolute_url()).content.decode()
        assert 'id="agendapunt-2"' in html and "Begroting 2027" in html and "Vaststellen." in html
        assert "Wethouder Zwolle" in html and "Invaller" in html and 'data-status="substituted"' in html
        assert "Alles besproken." in html
        assert 'id="besluit-1"' in html and "AB 2026-04-14/1" in html and "AB 2026-04-14/2" in html
        assert 'data-number="1" data-item="2"' in html and 'href="#agendapunt-2"' in html
        assert 'href="#besluit-1"' in html
        assert 'data-testid="demo-badge"' in html  # the factory's people are demo people
        assert 'data-testid="record-link"' not in html

    def test_the_bureau_gets_the_link_to_record(self, client, meeting, people):
        html = login(client, people["bureau"]).get(meeting.get_absolute_url()).content.decode()
        assert reverse("meetings:meeting_record", kwargs={"pk": meeting.pk}) in html

    def test_a_position_holder_gets_feeds_with_their_token(self, client, meeting, people, board):
        html = login(client, people["body_member"]).get(meeting.get_absolute_url()).content.decode()
        assert f"vergaderingen.ics?token={board[0].calendar_token}" in html
        assert reverse("meetings:my_ical", kwargs={"token": board[0].calendar_token}) in html

    def test_the_page_runs_the_same_queries_whatever_the_size_of_the_meeting(self, client, meeting, board, ab,
                                                                            people):
        def fill(count):
            extra_people = [PersonFactory(function="alderman") for _ in range(count)]
            for person in extra_people:
                position_assign(person=person, body=ab, start_date=d("2022-06-01"))
            new_items = [services.agenda_item_add(meeting=meeting, title=f"Punt {i}", presenter=board[1])
                         for i in range(count)]
            for item in new_items:
                services.decision_add(meeting=meeting, agenda_item=item, text="Besloten.")
                services.meeting_document_add(meeting=meeting, title=f"Stuk {item.number}", agenda_item=item,
                                              file=SimpleUploadedFile("s.pdf", PDF), visibility="members")
            services.attendance_record(meeting=meeting, entries=[
                AttendanceEntry(p, "substituted", board[2]) for p in extra_people])

        client = login(client, people["civil_servant"])

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(meeting.get_absolute_url()).status_code == 200
            return len(queries)

        fill(2)
        count()  # warm: the session and the network's cached name
        small = count()
        fill(15)
        assert count() == small <= 12


class TestPlanningPage:
    def url(self, slug="algemeen-bestuur"):
        return reverse("meetings:meeting_create", kwargs={"slug": slug})

    @pytest.mark.parametrize("role, status", [("partner", 403), ("civil_servant", 403), ("body_member", 403),
                                              ("bureau", 200)])
    def test_only_the_bureau_plans(self, client, people, role, status):
        assert login(client, people[role]).get(self.url()).status_code == status

    def test_anonymous_visitors_are_sent_to_the_login(self, client, ab):
        assert client.get(self.url()).status_code == 302
        assert client.post(self.url(), {}).status_code == 302

    def test_the_form_has_three_agenda_rows_and_presenters_from_the_body(self, client, people, board):
        html = login(client, people["bureau"]).get(self.url()).content.decode()
        assert html.count('data-testid="agenda-row"') >= 3
        assert f'value="{board[1].pk}"' in html

    def data(self, **overrides):
        data = {"date": "2026-04-14", "start_time": "14:00", "end_time": "16:00", "location": "Stadhuis",
                "title": "", "online_url": "",
                "agenda-TOTAL_FORMS": "3", "agenda-INITIAL_FORMS": "0",
                "agenda-0-title": "Opening", "agenda-1-title": "Begroting", "agenda-2-title": ""}
        data.update(overrides)
        return data

    def test_the_bureau_plans_a_meeting_with_its_agenda(self, client, people, board, ab):
        response = login(client, people["bureau"]).post(self.url(), self.data(**{
            "agenda-1-presenter": str(board[1].pk), "agenda-1-proposal": "Vaststellen"}))
        meeting = Meeting.objects.get()
        assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
        assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-04-14 14:00"
        assert [(i.number, i.title, i.presenter_id) for i in items(meeting)] == [(1, "Opening", None),
                                                                                 (2, "Begroting", board[1].pk)]

    def test_errors_are_shown_on_their_fields_and_nothing_is_saved(self, client, people):
        outsider = PersonFactory(function="alderman")
        response = login(client, people["bureau"]).post(self.url(), self.data(**{
            "end_time": "13:00", "location": "", "agenda-0-presenter": str(outsider.pk),
            "agenda-2-proposal": "Zonder titel"}))
        assert response.status_code == 200 and not Meeting.objects.exists()
        html = response.content.decode()
        for field in ("end_time", "location", "agenda-0-presenter", "agenda-2-title"):
            assert f'data-testid="error-{field}"' in html, field
        assert 'data-testid="form-errors"' in html

    def test_more_rows_keeps_what_was_typed(self, client, people):
        response = login(client, people["bureau"]).post(self.url(), self.data(more_rows="1"))
        html = response.content.decode()
        assert html.count('data-testid="agenda-row"') == 6
        assert 'value="Begroting"' in html and 'value="2026-04-14"' in html
        assert 'data-testid="form-errors"' not in html and not Meeting.objects.exists()

    def test_an_unknown_body_is_404(self, client, people):
        assert login(client, people["bureau"]).get(self.url("geen-orgaan")).status_code == 404


class TestRecordPage:
    def url(self, meeting):
        return reverse("meetings:meeting_record", kwargs={"pk": meeting.pk})

    @pytest.mark.parametrize("role, status", [("partner", 403), ("civil_servant", 403), ("body_member", 403),
                                              ("bureau", 200)])
    def test_only_the_bureau_records(self, client, meeting, people, role, status):
        assert login(client, people[role]).get(self.url(meeting)).status_code == status
        assert login(client, people[role]).post(self.url(meeting), {}).status_code == (status if status == 403
                                                                                      else 200)

    def test_it_lists_every_position_holder_on_the_meeting_date(self, client, meeting, people, board):
        html = login(client, people["bureau"]).get(self.url(meeting)).content.decode()
        assert html.count('data-testid="attendance-row"') == 3
        for person in board:
            assert f'name="status_{person.pk}"' in html and f'name="substitute_{person.pk}"' in html

    def data(self, meeting, board, **overrides):
        _, two, three = items(meeting)
        data = {f"status_{p.pk}": "present" for p in board}
        data.update({"minutes": "Verslag.", "minutes_approved_on": "",
                     "decisions-TOTAL_FORMS": "3", "decisions-INITIAL_FORMS": "0",
                     "decisions-0-agenda_item": str(two.pk), "decisions-0-text": "Vastgesteld.",
                     "decisions-1-agenda_item": "", "decisions-1-text": "",
                     "decisions-2-agenda_item": str(three.pk), "decisions-2-text": "Geen vragen."})
        data.update(overrides)
        return data

    def test_the_bureau_records_attendance_minutes_and_numbered_decisions(self, client, meeting, people, board):
        substitute = PersonFactory(name="Invaller", function="alderman")
        response = login(client, people["bureau"]).post(self.url(meeting), self.data(meeting, board, **{
            f"status_{board[1].pk}": "substituted", f"substitute_{board[1].pk}": str(substitute.pk),
            f"status_{board[2].pk}": "absent"}))
        assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
        assert {(a.person_id, a.status, a.substitute_id) for a in meeting.attendance.all()} == {
            (board[0].pk, "present", None), (board[1].pk, "substituted", substitute.pk),
            (board[2].pk, "absent", None)}
        assert [(x.number, x.agenda_item.number, x.text) for x in meeting.decisions.order_by("number")] == [
            (1, 2, "Vastgesteld."), (2, 3, "Geen vragen.")]
        html = client.get(self.url(meeting)).content.decode()
        assert re.search(rf'name="status_{board[1].pk}" value="substituted"[^>]*checked', html)
        assert f'<option value="{substitute.pk}" selected>' in html
        assert "Vastgesteld." in html

    def test_field_errors_and_nothing_saved(self, client, meeting, people, board):
        response = login(client, people["bureau"]).post(self.url(meeting), self.data(meeting, board, **{
            f"status_{board[1].pk}": "substituted", "decisions-1-text": "Zonder agendapunt",
            f"status_{board[2].pk}": ""}))
        assert response.status_code == 200
        html = response.content.decode()
        for field in (f"substitute_{board[1].pk}", "decisions-1-agenda_item"):
            assert f'data-testid="error-{field}"' in html, field
        assert f'id="id_status_{board[2].pk}_error"' in html
        assert not Attendance.objects.exists() and not Decision.objects.exists()
        meeting.refresh_from_db()
        assert meeting.minutes == ""

    def test_an_agenda_item_of_another_meeting_cannot_be_chosen(self, client, meeting, other_meeting, people, board):
        response = login(client, people["bureau"]).post(self.url(meeting), self.data(meeting, board, **{
            "decisions-0-agenda_item": str(items(other_meeting)[0].pk)}))
        assert response.status_code == 200
        assert 'data-testid="error-decisions-0-agenda_item"' in response.content.decode()
        assert not Decision.objects.exists()

    def test_more_rows_keeps_what_was_typed(self, client, meeting, people, board):
        response = login(client, people["bureau"]).post(self.url(meeting), self.data(meeting, board, more_rows="1"))
        html = response.content.decode()
        assert html.count('data-testid="decision-row"') == 6 and "Geen vragen." in html
        assert not Decision.objects.exists()

    def test_the_bureau_uploads_a_document(self, client, meeting, people):
        url = reverse("meetings:meeting_document_upload", kwargs={"pk": meeting.pk})
        response = login(client, people["bureau"]).post(url, {
            "document-title": "Begroting 2027", "document-visibility": "members",
            "document-agenda_item": str(items(meeting)[1].pk),
            "document-file": SimpleUploadedFile("begroting.pdf", PDF, content_type="application/pdf")})
        assert response.status_code == 302
        attached = MeetingDocument.objects.get()
        assert (attached.title, attached.visibility, attached.agenda_item.number) == ("Begroting 2027", "members", 2)

    @pytest.mark.parametrize("name, content", [("stuk.exe", b"MZ"), ("stuk.pdf", b"not a pdf")])
    def test_a_wrong_file_is_refused_on_its_field(self, client, meeting, people, name, content):
        url = reverse("meetings:meeting_document_upload", kwargs={"pk": meeting.pk})
        response = login(client, people["bureau"]).post(url, {
            "document-title": "X", "document-visibility": "members",
            "document-file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200
        assert 'data-testid="error-document-file"' in response.content.decode()
        assert name in response.content.decode()
        assert not MeetingDocument.objects.exists()

    def test_a_file_over_the_limit_is_refused_on_its_field(self, client, meeting, people, monkeypatch):
        monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
        url = reverse("meetings:meeting_document_upload", kwargs={"pk": meeting.pk})
        response = login(client, people["bureau"]).post(url, {
            "document-title": "X", "document-visibility": "members",
            "document-file": SimpleUploadedFile("groot.pdf", PDF)})
        assert 'data-testid="error-document-file"' in response.content.decode()
        assert not MeetingDocument.objects.exists()

    @pytest.mark.parametrize("role", ["partner", "civil_servant", "body_member"])
    def test_only_the_bureau_uploads(self, client, meeting, people, role):
        url = reverse("meetings:meeting_document_upload", kwargs={"pk": meeting.pk})
        response = login(client, people[role]).post(url, {
            "document-title": "X", "document-visibility": "public", "document-file": SimpleUploadedFile("x.pdf", PDF)})
        assert response.status_code == 403 and not MeetingDocument.objects.exists()


class TestFeedQueries:
    def test_the_body_feed_runs_the_same_queries_whatever_the_number_of_meetings(self, client, ab, board, people):
        def add(count):
            for index in range(count):
                meeting = services.meeting_create(
                    body=ab, starts_at=soon(index + 1), ends_at=soon(index + 1, 16),
                    agenda=[AgendaEntry("Opening", presenter=board[0]), AgendaEntry("Rondvraag")])
                services.decision_add(meeting=meeting, agenda_item=items(meeting)[0], text="Ja.")

        url = reverse("meetings:body_ical", kwargs={"slug": "algemeen-bestuur"})
        token_url = f"{url}?token={board[1].calendar_token}"
        login(client, people["civil_servant"])

        def count(address) -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(address).status_code == 200
            return len(queries)

        add(2)
        count(url), count(token_url)  # warm: the session and cached data
        small, small_token = count(url), count(token_url)
        add(20)
        assert (count(url), count(token_url)) == (small, small_token)
        assert client.get(url).content.count(b"BEGIN:VEVENT") == 22
