"""The pillar pages and the strategic agenda in a real browser: a visitor goes from /pijlers/ to a
pillar with a work programme; every page passes axe (WCAG 2.1 A/AA) and the Nu Html Checker,
also with the members-only section that a signed-in member sees."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from stedennet.governance.models import Body
from stedennet.governance.services import bodies_seed_load, position_assign
from stedennet.programmes.demo import demo_programmes_load
from stedennet.programmes.services import (
    action_add,
    key_message_add,
    progress_update_add,
    strategic_agenda_create,
    work_programme_create,
)
from stedennet.registry.models import Network
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser

PAGES = ["/pijlers/", "/pijlers/sociale-pijler/", "/strategische-agenda/"]


@pytest.fixture
def seeded(transactional_db):
    # Transactional tests truncate every table afterwards, the page tree included.
    from stedennet.governance.tests.factories import PersonFactory

    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    network = Network.objects.get(slug="g40")
    bodies_seed_load(network=network)
    pillar = Body.objects.get(slug="sociale-pijler")
    today = timezone.localdate()
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year + 1, 12, 31)
    programme = work_programme_create(
        pillar=pillar, title="Werkprogramma Sociale Pijler", period_start=start, period_end=end,
        introduction="Wat de steden samen doen.", goals=["Minder schulden", "Betere jeugdhulp"], is_public=True)
    action = action_add(programme=programme, title="Kennissessies vroegsignalering", is_public=True,
                        owner=Body.objects.get(slug="themagroep-armoede-en-schulden"),
                        goal=programme.goals.get(number=1))
    progress_update_add(action=action, date=datetime.date(today.year, 1, 15), text="Eerste sessie gehouden.",
                        status="ongoing")
    action_add(programme=programme, title="Interne verkenning jeugdhulp", is_public=False,
               owner=Body.objects.get(slug="themagroep-jeugd"))
    position_assign(person=PersonFactory(name="Wethouder Voorzitter", function="alderman", is_demo=False),
                    body=Body.objects.get(slug="sociale-pijler-bo"), role="chair",
                    start_date=datetime.date(2022, 6, 1))
    position_assign(person=PersonFactory(name="Demo Themavoorzitter", function="civil_servant"),
                    body=Body.objects.get(slug="themagroep-armoede-en-schulden"), role="chair",
                    start_date=datetime.date(2022, 6, 1))
    agenda = strategic_agenda_create(network=network, title="Strategische agenda", period_start=start,
                                     period_end=datetime.date(today.year + 4, 12, 31),
                                     source="https://example.org/strategische-agenda.pdf")
    key_message_add(agenda=agenda, pillar=pillar, text="Structurele middelen voor armoedebestrijding.")
    key_message_add(agenda=agenda, text="Een sterke regio's-agenda.")
    demo_programmes_load(network)  # a demo programme next to the real one, with its badge
    return network


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_visitor_goes_from_the_pillars_to_a_pillar_and_every_page_is_accessible(
        seeded, page, check_page, live_server, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    html = check_page("/pijlers/")
    assert f'<html lang="{language}"' in html
    assert page.get_by_test_id("pillar").count() == 3

    page.get_by_role("link", name="Sociale Pijler", exact=True).click()
    page.wait_for_url("**/pijlers/sociale-pijler/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sociale Pijler"
    programmes = page.get_by_test_id("programme")
    assert programmes.count() == 2
    real = programmes.filter(has=page.get_by_role("heading", name="Werkprogramma Sociale Pijler", exact=True))
    assert real.get_by_test_id("action").count() == 1
    assert "Eerste sessie gehouden." in real.get_by_test_id("latest-update").inner_text()
    demo = programmes.filter(has_text="DEMO werkprogramma Sociale Pijler 2026-2027")
    assert demo.get_by_role("heading", level=3).get_by_test_id("demo-badge").is_visible()
    assert page.get_by_test_id("members-only").count() == 0
    assert "Interne verkenning jeugdhulp" not in page.content()
    check_page()

    check_page("/strategische-agenda/")
    assert page.get_by_test_id("key-message").count() >= 2


def test_a_member_sees_the_members_only_section_and_it_is_accessible(seeded, page, check_page, live_server):
    from stedennet.governance.tests.factories import person_with_account

    member = person_with_account(function="civil_servant", username="lid", is_demo=False)
    client = Client()
    client.force_login(member.user)
    cookie = settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value, "url": live_server.url}])
    check_page("/pijlers/sociale-pijler/")
    section = page.get_by_test_id("members-only")
    assert section.is_visible()
    assert section.get_by_text("Interne verkenning jeugdhulp").is_visible()
