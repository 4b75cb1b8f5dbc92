"""Issue 11 end to end in a real browser: the bureau opens a dossier whose ask was adopted by a
numbered decision, records a letter to a committee, syncs from a local Tweede Kamer feed ("sync
now"), which suggests a motion on the dossier's kamerstuk dossier; the bureau confirms it; a member
of the owning theme group receives one alert mail through SMTP, and none on the next sync; the
letter's outcome is recorded with the motion as evidence; the public dossier page shows the
letter, the motion with its vote per party and the outcome. Every page passes axe (WCAG 2.1 A/AA)
and the Nu Html Checker."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from stedennet.site.services import home_page_ensure
from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser

MOTION = "Motie van het lid De Vries over het gemeentefonds"


@pytest.fixture
def lobby(transactional_db, settings):
    from stedennet.advocacy import services
    from stedennet.advocacy.models import MatchRule
    from stedennet.governance.models import Body, Position
    from stedennet.governance.services import bodies_seed_load
    from stedennet.governance.tests.factories import person_with_account
    from stedennet.meetings.services import AgendaEntry, decision_add, meeting_create
    from stedennet.parliament.tests.tkfeed import FeedServer, scenario
    from stedennet.registry.models import Network

    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    network = Network.objects.get(slug="g40")
    bodies_seed_load(network=network)
    pillar = Body.objects.get(slug="pijler-economie-en-werk")
    dossier = services.dossier_create(network=network, pillar=pillar, title="Gemeentefonds en middelgrote steden",
                                      opened_on=datetime.date(2025, 9, 1),
                                      owners=[Body.objects.get(slug="themagroep-binnensteden")])
    start = timezone.make_aware(datetime.datetime(2025, 10, 2, 14))
    meeting = meeting_create(body=Body.objects.get(slug="pijler-economie-en-werk-bo"), starts_at=start,
                             ends_at=start + datetime.timedelta(hours=2), agenda=[AgendaEntry("Gemeentefonds")])
    decision = decision_add(meeting=meeting, agenda_item=meeting.agenda_items.get(),
                            text="De inzet op het gemeentefonds is vastgesteld.")
    services.ask_adopt(dossier=dossier, text="Een gemeentefonds dat meegroeit met de opgaven van de steden.",
                       adopted_on=datetime.date(2025, 10, 2), body=pillar, decision=decision)
    MatchRule.objects.create(dossier=dossier, name="Begroting BZK: moties", dossier_numbers="36600-VII",
                             case_kinds="Motie")
    member = person_with_account(name="Mira Binnenstad", username="mira", email="mira@gemeente.example.nl")
    Position.objects.create(person=member, body=Body.objects.get(slug="themagroep-binnensteden"),
                            start_date=timezone.localdate() - datetime.timedelta(days=30))
    server = FeedServer().start()
    server.publish(*scenario())
    settings.STEDENNET_TK_FEED_URL = server.url
    settings.STEDENNET_TK_BACKOFF = 0
    settings.STEDENNET_TK_TIMEOUT = 2
    settings.STEDENNET_TK_RETRIES = 2
    yield {"dossier": dossier, "decision": decision, "member": member}
    server.stop()


def log_in_as_bureau(page, make_user):
    from stedennet.accounts.constants import Role

    make_user("bureau", Role.BUREAU)
    sign_in_page(page, "bureau", "correct horse battery", next="/admin/")
    page.wait_for_url("**/admin/")


def test_from_ask_and_letter_through_the_parliamentary_monitor_to_the_public_dossier(
        lobby, page, check_page, make_user, smtp_server, settings, live_server):
    from stedennet.advocacy.constants import ItemStatus, Outcome
    from stedennet.advocacy.models import DossierItem, Intervention

    settings.STEDENNET_BASE_URL = live_server.url
    dossier, decision, member = lobby["dossier"], lobby["decision"], lobby["member"]
    log_in_as_bureau(page, make_user)

    # The dossier, and its ask adopted by the pillar's numbered decision.
    check_page(f"/admin/advocacy/dossiers/{dossier.pk}/ask/")
    versions = page.get_by_test_id("ask-versions").inner_text()
    assert decision.reference in versions and "meegroeit" in versions

    # A letter to a committee.
    check_page(f"/admin/snippets/advocacy/intervention/add/?dossier={dossier.pk}")
    page.locator("#id_title").fill("Brief aan de vaste commissie voor Binnenlandse Zaken over het gemeentefonds")
    page.locator("#id_kind").select_option(value="letter")
    page.locator("#id_date").fill("2025-11-20")
    page.keyboard.press("Escape")
    page.locator("#id_addressee").select_option(value="committee")
    page.locator("#id_addressee_name").fill("vaste commissie voor Binnenlandse Zaken")
    page.locator("#id_signatories").fill("Voorzitter Pijler Economie en Werk")
    page.locator("#w-editor-form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/snippets/advocacy/intervention/$"))
    letter = Intervention.objects.get(dossier=dossier)
    assert (letter.addressee, letter.outcome) == ("committee", Outcome.PENDING)

    # "Sync now" syncs from the local feed (the tests' task backend runs it at once) and the
    # dossier's rule suggests the motion on 36600-VII.
    check_page("/admin/parliament/sync/")
    page.get_by_test_id("sync-now").get_by_role("button").click()
    page.wait_for_url("**/admin/parliament/sync/")
    motion = DossierItem.objects.get(dossier=dossier, category="Zaak")
    assert (motion.title, motion.status, motion.kind) == (MOTION, ItemStatus.SUGGESTED, "motion")
    assert smtp_server == []  # the group hears of confirmed items only

    check_page("/admin/advocacy/review/")
    row = page.locator(f"tr[data-item='{motion.pk}']")
    assert "kamerstuk dossier 36600-VII" in row.inner_text() and "kind motie" in row.inner_text()
    row.get_by_test_id("confirm").get_by_role("button").click()
    page.wait_for_url("**/admin/advocacy/review/")
    check_page()
    motion.refresh_from_db()
    assert motion.status == ItemStatus.CONFIRMED

    # One alert mail, through SMTP, to the member of the owning theme group.
    assert [message["X-Envelope-To"] for message in smtp_server] == [member.email]
    alert = smtp_server[0]
    assert MOTION in alert["Subject"]
    text = alert.get_body(("plain",)).get_content()
    assert f"{live_server.url}/lobby/{dossier.slug}/#item-{motion.pk}" in text

    # The next sync brings nothing new, and nobody hears of the motion again.
    check_page("/admin/parliament/sync/")
    page.get_by_test_id("sync-now").get_by_role("button").click()
    page.wait_for_url("**/admin/parliament/sync/")
    assert len(smtp_server) == 1

    # The outcome of the letter, with the motion as evidence.
    check_page(f"/admin/advocacy/interventions/{letter.pk}/outcome/")
    page.locator(f"input[name=outcome][value={Outcome.PARTLY}]").check()
    page.locator("#id_outcome_on").fill("2025-12-18")
    page.keyboard.press("Escape")
    page.locator("#id_note").fill("De motie is aangenomen; het kabinet reageert nog.")
    page.locator("#id_evidence_item").select_option(value=str(motion.pk))
    page.locator("#w-editor-form button[type=submit]").first.click()
    page.wait_for_url("**/admin/snippets/advocacy/intervention/")
    letter.refresh_from_db()
    assert (letter.outcome, letter.evidence_item_id) == (Outcome.PARTLY, motion.pk)

    # The public dossier page, for anyone: the letter, the motion with its vote per party, the outcome.
    context = page.context.browser.new_context(base_url=live_server.url, bypass_csp=True, locale="nl-NL")
    try:
        visitor = context.new_page()
        visitor.set_default_timeout(15_000)
        visitor.goto(f"/lobby/{dossier.slug}/")
        shown = visitor.get_by_test_id("intervention").first
        assert "vaste commissie voor Binnenlandse Zaken" in shown.inner_text()
        assert shown.get_by_test_id("outcome").inner_text().strip() != ""
        assert "De motie is aangenomen" in shown.inner_text()
        motion_block = visitor.locator(f"[data-testid=motion][data-item='{motion.pk}']").first
        votes = {row.get_attribute("data-party"): (row.get_attribute("data-vote"), row.get_attribute("data-seats"))
                 for row in motion_block.get_by_test_id("vote").all()}
        assert votes == {"PvdS": ("voor", "40"), "LMP": ("tegen", "35")}
        assert "A. de Vries" in motion_block.get_by_test_id("submitters").inner_text()
        assert "Ontijdig" in motion_block.get_by_test_id("appraisal").inner_text()
    finally:
        context.close()
    check_page(f"/lobby/{dossier.slug}/")  # the same page through axe and the Nu Html Checker
    check_page("/lobby/")


def test_a_member_chooses_to_hear_of_dossier_items_in_the_digest(lobby, page, check_page):
    from stedennet.advocacy.constants import AlertMode
    from stedennet.advocacy.models import AlertChoice

    page.goto("/mijn/lobby-meldingen/")
    page.wait_for_url("**/inloggen/?next=**")
    page.locator("#id_login").fill("mira")
    page.locator("#id_password").fill("correct horse battery")
    page.locator("form.accounts-form button[type=submit]").click()
    page.wait_for_url("**/mijn/lobby-meldingen/")
    assert page.get_by_test_id("current").get_attribute("data-mode") == AlertMode.IMMEDIATE
    assert lobby["dossier"].title in page.get_by_test_id("alert-dossiers").inner_text()
    check_page()
    page.locator(f"input[name=mode][value={AlertMode.DIGEST}]").check()
    page.get_by_test_id("save").click()
    page.wait_for_url("**/mijn/lobby-meldingen/")
    assert page.get_by_test_id("current").get_attribute("data-mode") == AlertMode.DIGEST
    check_page()
    assert AlertChoice.objects.get(user=lobby["member"].user).mode == AlertMode.DIGEST
