"""The bureau's lobby back office in a real browser: the dossier listing, creating a dossier,
adopting an ask by a numbered decision, recording a letter to a committee and its outcome, and the
review queue where a suggested parliamentary item is confirmed. Every page passes axe (WCAG 2.1
A/AA) and the Nu Html Checker."""

import datetime
import io
import re
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from stedennet.site.services import home_page_ensure
from tests.browser.back_office import save
from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser

d = datetime.date.fromisoformat


@pytest.fixture
def lobby(transactional_db):
    from stedennet.advocacy import services
    from stedennet.advocacy.constants import ItemKind
    from stedennet.advocacy.models import DossierItem
    from stedennet.governance.models import Body
    from stedennet.governance.services import bodies_seed_load
    from stedennet.meetings.services import AgendaEntry, decision_add, meeting_create
    from stedennet.registry.models import Network

    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    network = Network.objects.get(slug="g40")
    bodies_seed_load(network=network)
    dossier = services.dossier_create(network=network, pillar=Body.objects.get(slug="fysieke-pijler"),
                                      title="Woningbouw in de G40", opened_on=d("2025-01-15"),
                                      owners=[Body.objects.get(slug="themagroep-wonen")])
    start = timezone.make_aware(datetime.datetime(2025, 3, 10, 14))
    meeting = meeting_create(body=Body.objects.get(slug="fysieke-pijler-bo"), starts_at=start,
                             ends_at=start + datetime.timedelta(hours=2), agenda=[AgendaEntry("Woningbouw")])
    decision = decision_add(meeting=meeting, agenda_item=meeting.agenda_items.get(), text="De inzet is vastgesteld.")
    now = timezone.now()
    items = [DossierItem.objects.create(
        dossier=dossier, category="Zaak", guid=uuid.uuid4(), kind=ItemKind.MOTION, title=title, reference=reference,
        date=now - datetime.timedelta(days=2), suggested_at=now - datetime.timedelta(hours=n),
        reasons=[{"rule": None, "why": "kamerstuk dossier 36600-VII"}], is_demo=True)
        for n, (title, reference) in enumerate([("Motie over de woningbouwopgave", "36600-VII nr. 12"),
                                                ("Motie over het gemeentefonds", "36600-VII nr. 13")])]
    return {"dossier": dossier, "decision": decision, "items": items}


def log_in_as_bureau(page, make_user):
    from stedennet.accounts.constants import Role

    make_user("bureau", Role.BUREAU)
    sign_in_page(page, "bureau", "correct horse battery", next="/admin/")
    page.wait_for_url("**/admin/")


def test_the_bureau_runs_the_lobby_back_office(lobby, page, check_page, make_user):
    from stedennet.advocacy.constants import ItemStatus, Outcome
    from stedennet.advocacy.models import AskVersion, Dossier, DossierItem, Intervention

    dossier, decision, items = lobby["dossier"], lobby["decision"], lobby["items"]
    log_in_as_bureau(page, make_user)

    check_page("/admin/snippets/advocacy/dossier/")
    assert "Woningbouw in de G40" in page.locator("main").inner_text()

    check_page("/admin/snippets/advocacy/dossier/add/")
    page.locator("#id_title").fill("Mobiliteit in de G40")
    page.locator("#id_pillar").select_option(value=str(dossier.pillar_id))
    page.locator("#id_opened_on").fill("2025-02-01")
    page.keyboard.press("Escape")
    page.get_by_label("Themagroep Mobiliteit").first.check()
    save(page)
    page.wait_for_url(re.compile(r"/admin/snippets/advocacy/dossier/$"))
    check_page()
    created = Dossier.objects.get(title="Mobiliteit in de G40")
    assert created.opened_on == d("2025-02-01")
    assert list(created.ownerships.values_list("group__slug", flat=True)) == ["themagroep-mobiliteit"]

    check_page(f"/admin/advocacy/dossiers/{dossier.pk}/ask/")
    page.locator("#id_text").fill("Structureel geld voor woningbouw.")
    page.locator("#id_adopted_on").fill("2025-03-10")
    page.keyboard.press("Escape")
    page.locator("#id_body").select_option(value=str(dossier.pillar_id))
    page.locator("#id_decision").select_option(value=str(decision.pk))
    save(page)
    page.wait_for_selector("[data-testid=ask-versions]")
    check_page()
    assert AskVersion.objects.get(dossier=dossier).decision == decision
    assert decision.reference in page.get_by_test_id("ask-versions").inner_text()

    check_page(f"/admin/snippets/advocacy/intervention/add/?dossier={dossier.pk}")
    page.locator("#id_title").fill("Brief aan de vaste commissie")
    page.locator("#id_kind").select_option(value="letter")
    page.locator("#id_date").fill("2024-12-01")  # before the dossier opened
    page.keyboard.press("Escape")
    page.locator("#id_addressee").select_option(value="committee")
    page.locator("#id_addressee_name").fill("vaste commissie voor Volkshuisvesting")
    save(page)
    error = page.locator("[data-contentpath=date].w-field--error .error-message")
    error.wait_for()
    assert "2025-01-15" in error.inner_text()  # the date the dossier opened, in the refusal
    check_page()
    assert not Intervention.objects.exists()
    page.locator("#id_date").fill("2025-02-20")
    page.keyboard.press("Escape")
    save(page)
    page.wait_for_url(re.compile(r"/admin/snippets/advocacy/intervention/$"))
    letter = Intervention.objects.get(dossier=dossier)

    check_page(f"/admin/advocacy/interventions/{letter.pk}/outcome/")
    page.locator(f"input[name=outcome][value={Outcome.GRANTED}]").check()
    page.locator("#id_outcome_on").fill("2025-06-01")
    page.keyboard.press("Escape")
    save(page)
    page.wait_for_url("**/admin/snippets/advocacy/intervention/")
    letter.refresh_from_db()
    assert letter.outcome == Outcome.GRANTED

    check_page("/admin/advocacy/review/")
    queue = page.get_by_test_id("review-queue")
    assert queue.get_attribute("data-count") == "2"
    first = page.locator(f"tr[data-item='{items[0].pk}']")
    assert "kamerstuk dossier 36600-VII" in first.inner_text()
    first.get_by_test_id("confirm").get_by_role("button").click()
    page.wait_for_url("**/admin/advocacy/review/")
    check_page()
    assert page.get_by_test_id("review-queue").get_attribute("data-count") == "1"
    assert DossierItem.objects.get(pk=items[0].pk).status == ItemStatus.CONFIRMED
    assert DossierItem.objects.get(pk=items[1].pk).status == ItemStatus.SUGGESTED
