"""Meetings in a real browser (the issue's Done-when): the bureau records a meeting with three
agenda items, attendance and numbered decisions. Every page visited passes axe (WCAG 2.1 A/AA)
and the Nu Html Checker."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from stedennet.governance.models import Body
from stedennet.governance.services import bodies_seed_load, position_assign
from stedennet.meetings.models import Meeting
from stedennet.registry.models import Municipality, Network
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def bodies(transactional_db, settings, tmp_path):
    # Transactional tests truncate every table afterwards, the page tree included.
    settings.MEDIA_ROOT = tmp_path / "media"
    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    bodies_seed_load(network=Network.objects.get(slug="g40"))


@pytest.fixture
def board(bodies):
    """Three administrators in the Algemeen Bestuur, and an alderman who can stand in."""
    from stedennet.governance.tests.factories import PersonFactory

    ab = Body.objects.get(slug="algemeen-bestuur")
    people = [
        PersonFactory(name="Burgemeester Groningen", function="mayor",
                      municipality=Municipality.objects.get(cbs_code="GM0014")),
        PersonFactory(name="Wethouder Zwolle", function="alderman",
                      municipality=Municipality.objects.get(cbs_code="GM0193")),
        PersonFactory(name="Wethouder Apeldoorn", function="alderman",
                      municipality=Municipality.objects.get(cbs_code="GM0200")),
    ]
    for person in people:
        position_assign(person=person, body=ab, start_date=datetime.date(2022, 6, 1))
    substitute = PersonFactory(name="Wethouder Invaller Apeldoorn", function="alderman",
                               municipality=Municipality.objects.get(cbs_code="GM0200"))
    return people, substitute


def sign_in(page, username: str) -> None:
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.accounts-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)


def test_the_bureau_records_a_meeting_with_three_agenda_items_attendance_and_numbered_decisions(
        board, page, check_page, make_user, tmp_path):
    from stedennet.accounts.constants import Role

    people, substitute = board
    make_user("bureau", Role.BUREAU)
    check_page("/inloggen/")
    sign_in(page, "bureau")

    # Plan the meeting with three agenda items.
    day = timezone.localdate() + datetime.timedelta(days=14)
    check_page("/organen/algemeen-bestuur/vergaderingen/nieuw/")
    assert page.get_by_test_id("agenda-row").count() >= 3
    page.get_by_test_id("save").click()  # empty: every missing field says so, and nothing is saved
    page.wait_for_load_state()
    assert page.get_by_test_id("form-errors").is_visible()
    assert page.get_by_test_id("error-date").is_visible() and page.get_by_test_id("error-start_time").is_visible()
    assert page.locator("#id_date").get_attribute("aria-invalid") == "true"
    check_page()  # axe on the page with its errors
    assert not Meeting.objects.exists()
    page.locator("#id_title").fill("Najaarsvergadering")
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_start_time").fill("14:00")
    page.locator("#id_end_time").fill("16:30")
    page.locator("#id_location").fill("Stadhuis Zwolle, Grote Kerkplein 15")
    agenda = [("Opening en mededelingen", None, ""),
              ("Begroting 2027", people[1], "Het AB stelt de begroting 2027 vast."),
              ("Jeugdzorg: stand van zaken", people[2], "")]
    for index, (title, presenter, proposal) in enumerate(agenda):
        page.locator(f"#id_agenda-{index}-title").fill(title)
        if presenter:
            page.locator(f"#id_agenda-{index}-presenter").select_option(str(presenter.pk))
        if proposal:
            page.locator(f"#id_agenda-{index}-proposal").fill(proposal)
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r".*/vergaderingen/\d+/$"))
    meeting = Meeting.objects.get()
    assert [item.title for item in meeting.agenda_items.order_by("number")] == [a[0] for a in agenda]
    check_page()
    assert page.get_by_test_id("agenda-item").count() == 3

    # Record: a document, then attendance, minutes and two decisions.
    page.get_by_test_id("record-link").click()
    page.wait_for_url("**/verslag/")
    check_page()
    rows = page.get_by_test_id("attendance-row")
    assert rows.count() == 3
    assert {rows.nth(i).get_attribute("data-person") for i in range(3)} == {str(p.pk) for p in people}

    document = tmp_path / "begroting-2027.pdf"
    document.write_bytes(PDF)
    page.locator("#id_document-title").fill("Ontwerpbegroting 2027")
    page.locator("#id_document-file").set_input_files(str(document))
    page.locator("#id_document-visibility").select_option("members")
    items = list(meeting.agenda_items.order_by("number"))
    page.locator("#id_document-agenda_item").select_option(str(items[1].pk))
    page.get_by_test_id("upload").click()
    page.wait_for_url("**/verslag/#documents")
    assert page.get_by_test_id("documents").get_by_test_id("document").count() == 1
    check_page()

    page.locator(f"#id_status_{people[0].pk}_0").check()  # present
    page.locator(f"#id_status_{people[1].pk}_1").check()  # absent
    page.locator(f"#id_status_{people[2].pk}_2").check()  # substituted…
    page.locator(f"#id_substitute_{people[2].pk}").select_option(str(substitute.pk))  # …by the substitute
    page.locator("#id_minutes").fill("De voorzitter opent de vergadering.\nDe begroting wordt besproken.")
    page.locator("#id_decisions-0-agenda_item").select_option(str(items[1].pk))
    page.locator("#id_decisions-0-text").fill("Het AB stelt de begroting 2027 vast.")
    page.locator("#id_decisions-1-agenda_item").select_option(str(items[2].pk))
    page.locator("#id_decisions-1-text").fill("Het AB neemt kennis van de stand van zaken.")
    page.get_by_test_id("save-record").click()
    page.wait_for_url(re.compile(rf".*/vergaderingen/{meeting.pk}/$"))
    check_page()

    # The meeting page shows it all.
    titles = page.get_by_test_id("agenda-item-title")
    assert [titles.nth(i).inner_text() for i in range(titles.count())] == [a[0] for a in agenda]
    assert "Wethouder Zwolle" in page.get_by_test_id("agenda-item").nth(1).inner_text()
    assert page.get_by_test_id("agenda-item").nth(1).get_by_test_id("document").inner_text() == "Ontwerpbegroting 2027"

    attendance = page.get_by_test_id("attendance-row")
    assert {attendance.nth(i).get_attribute("data-person"): attendance.nth(i).get_attribute("data-status")
            for i in range(attendance.count())} == {
        str(people[0].pk): "present", str(people[1].pk): "absent", str(people[2].pk): "substituted"}
    substituted = page.locator(f'[data-testid="attendance-row"][data-person="{people[2].pk}"]')
    assert substituted.get_by_test_id("substitute").inner_text().startswith("Wethouder Invaller Apeldoorn")
    assert "De begroting wordt besproken." in page.get_by_test_id("minutes").inner_text()

    decisions = page.get_by_test_id("decision")
    assert decisions.count() == 2
    prefix = f"AB {day.isoformat()}"
    for index, item in enumerate(items[1:], start=1):
        decision = decisions.nth(index - 1)
        assert decision.get_attribute("data-number") == str(index)
        assert decision.get_by_test_id("decision-reference").inner_text() == f"{prefix}/{index}"
        link = decision.get_by_test_id("decision-item-link")
        assert link.get_attribute("href") == f"#agendapunt-{item.number}"
        assert item.title in link.inner_text()
    decisions.nth(0).get_by_test_id("decision-item-link").click()
    page.wait_for_url("**#agendapunt-2")
    assert page.locator("#agendapunt-2").get_by_role("link", name=f"{prefix}/1").is_visible()
