"""Findable, and forms that help, in a real browser (axe WCAG 2.1 A/AA and the Nu Html Checker
on every page): a member reads a body's archive of past meetings with their decisions; a partner
signs in and lands on what is shared with partners, with no link to a page it may not open; a
member adds a library item with the simple editor (bold, a list, a link) and picks cities from
a filtered list of checkboxes; the library form names a theme group outside the pillar; a
question and an answer are written with the editor; a closed group's request carries a
motivation."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stedennet.governance.models import Body, MembershipRequest, Visibility
from stedennet.governance.services import bodies_seed_load, position_assign, theme_group_join
from stedennet.knowledge.models import Answer, LibraryItem, Question
from stedennet.meetings import services
from stedennet.meetings.services import AgendaEntry, DecisionEntry
from stedennet.registry.models import Network
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
ARMOEDE = "themagroep-armoede-en-schulden"


@pytest.fixture
def seeded(transactional_db, settings, tmp_path):
    from stedennet.governance.access import viewer_for
    from stedennet.governance.tests.factories import person_with_account
    from stedennet.knowledge.services import library_item_create, question_ask

    settings.MEDIA_ROOT = tmp_path
    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    network = Network.objects.get(slug="g40")
    bodies_seed_load(network=network)
    member = person_with_account(function="civil_servant", cbs_code="GM0362", username="amstelveen",
                                 name="Anna Amstelveen")
    theme_group_join(person=member, body=Body.objects.get(slug=ARMOEDE))
    aot = Body.objects.get(slug="ambtelijk-ondersteuningsteam")
    position_assign(person=member, body=aot, start_date=datetime.date(2024, 1, 1))
    partner = person_with_account(partner=network.partners.first(), function="other", username="vng",
                                  name="Vera VNG")
    for days in (-40, -12):
        start = timezone.now() + datetime.timedelta(days=days)
        meeting = services.meeting_create(body=aot, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                                          title=f"AOT-overleg {-days}", agenda=[AgendaEntry("Opening"),
                                                                               AgendaEntry("Werkplan")])
        items = list(meeting.agenda_items.order_by("number"))
        services.decisions_replace(meeting=meeting, entries=[DecisionEntry(items[1], "Het werkplan is vastgesteld."),
                                                             DecisionEntry(items[0], "De agenda is vastgesteld.")])
    viewer = viewer_for(member.user)
    library_item_create(viewer=viewer, title="Gedeeld met partners", visibility=Visibility.MEMBERS_AND_PARTNERS,
                        body="<p>Voor iedereen in het netwerk</p>")
    library_item_create(viewer=viewer, title="Alleen leden", visibility=Visibility.MEMBERS)
    question_ask(viewer=viewer, title="Wie deelt ervaring met schuldhulp?", visibility=Visibility.MEMBERS_AND_PARTNERS)
    return {"member": member, "partner": partner, "aot": aot}


def sign_in(page, username: str) -> None:
    page.goto(reverse("accounts:login"))
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.accounts-form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_member_reads_the_archive_of_a_body(page, check_page, seeded):
    sign_in(page, "amstelveen")
    check_page(reverse("governance:body", kwargs={"slug": seeded["aot"].slug}))
    page.get_by_test_id("archive-link").click()
    page.wait_for_url("**/archief/")
    check_page()
    assert page.get_by_test_id("archive-meeting").count() == 2
    assert page.get_by_test_id("archive-decision").count() == 4
    first = page.get_by_test_id("archive-meeting").first
    assert "AOT-overleg 12" in first.inner_text()
    assert first.get_by_test_id("decision-reference").first.inner_text().endswith("/1")
    first.get_by_role("link", name="AOT-overleg 12").click()
    page.wait_for_url("**/vergaderingen/*/")
    check_page()
    assert page.get_by_test_id("archive-link").get_attribute("href").endswith("/archief/")


def test_a_partner_lands_on_what_is_shared_and_meets_no_forbidden_link(page, check_page, seeded):
    sign_in(page, "vng")
    page.wait_for_url("**/gedeeld/")
    check_page()
    assert page.get_by_test_id("shared-item").all_inner_texts() == [page.get_by_test_id("shared-item").inner_text()]
    assert "Gedeeld met partners" in page.get_by_test_id("shared-item").inner_text()
    assert page.get_by_test_id("shared-question").count() == 1
    assert page.get_by_test_id("nav-shared").get_attribute("aria-current") == "page"
    check_page(reverse("programmes:pillar", kwargs={"slug": "sociale-pijler"}))
    assert page.locator('a[href^="/organen/"]').count() == 0


def test_a_library_item_with_the_editor_and_cities_from_a_filtered_list(page, check_page, seeded):
    sign_in(page, "amstelveen")
    check_page(reverse("knowledge:library_create"))
    page.locator("#id_title").fill("Schuldhulp voor jongeren")
    editor = page.locator("#id_body_editor")
    assert page.locator("#id_body").is_hidden() and editor.is_visible()
    editor.click()
    page.keyboard.type("Het begin. ")
    page.get_by_role("button", name="Vet").click()
    page.keyboard.type("Belangrijk")
    page.get_by_role("button", name="Vet").click()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Lijst met opsommingstekens").click()
    page.keyboard.type("Eerste punt")
    filter_box = page.get_by_label("Zoek in de lijst")
    filter_box.fill("zwol")
    options = page.locator("[data-checkbox-option]:visible")
    assert options.all_inner_texts() == ["Zwolle"]
    page.get_by_label("Zwolle").check()
    assert "1" in page.locator("[data-checkbox-count]").inner_text()
    check_page()  # the enhanced form, editor and filter included
    page.get_by_test_id("save").click()
    page.wait_for_url("**/bibliotheek/*/")
    item = LibraryItem.objects.get(title="Schuldhulp voor jongeren")
    assert "<strong>Belangrijk</strong>" in item.body and "<ul><li>Eerste punt</li></ul>" in item.body
    assert list(item.tagged_municipalities.values_list("name", flat=True)) == ["Zwolle"]
    check_page()
    assert page.locator('[data-testid="item-body"] strong').inner_text() == "Belangrijk"


def test_the_library_form_names_a_theme_group_outside_the_pillar(page, check_page, seeded):
    sign_in(page, "amstelveen")
    page.goto(reverse("knowledge:library_create"))
    page.locator("#id_title").fill("Huisvesting")
    page.locator("#id_pillar").select_option(label="Sociale Pijler")
    page.locator("#id_theme_group").select_option(label="Themagroep Wonen")
    page.get_by_test_id("save").click()
    page.wait_for_load_state()
    check_page()
    assert page.get_by_test_id("error-theme_group").is_visible()
    assert LibraryItem.objects.filter(title="Huisvesting").count() == 0


def test_a_question_and_an_answer_with_the_editor(page, check_page, seeded):
    sign_in(page, "amstelveen")
    check_page(reverse("knowledge:question_create"))
    page.locator("#id_title").fill("Hoe bereiken jullie jongeren met schulden?")
    page.locator("#id_body_editor").click()
    page.get_by_role("button", name="Genummerde lijst").click()
    page.keyboard.type("Via school")
    page.get_by_test_id("submit-question").click()
    page.wait_for_url("**/vragen/*/")
    question = Question.objects.get(title="Hoe bereiken jullie jongeren met schulden?")
    assert question.body == "<ol><li>Via school</li></ol>"
    check_page()
    page.locator("#id_body_editor").click()
    page.get_by_role("button", name="Cursief").click()
    page.keyboard.type("Met een budgetcoach")
    page.get_by_test_id("submit-answer").click()
    page.wait_for_load_state()
    assert Answer.objects.get(question=question).body == "<p><em>Met een budgetcoach</em></p>"
    check_page()


def test_a_request_to_a_closed_group_carries_a_motivation(page, check_page, seeded):
    sign_in(page, "amstelveen")
    check_page(reverse("governance:my_groups"))
    group = page.locator('[data-testid="theme-group"][data-slug="themagroep-wonen"]')
    group.get_by_label("Waarom wilt u deelnemen? (optioneel)").fill("Ik werk aan woningbouw.")
    group.get_by_test_id("request").click()
    page.wait_for_load_state()
    check_page()
    request = MembershipRequest.objects.get(body__slug="themagroep-wonen")
    assert request.motivation == "Ik werk aan woningbouw."
