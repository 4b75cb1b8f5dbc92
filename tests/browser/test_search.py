"""Search in a real browser: a visitor searches with a Dutch inflection and sees hits with
highlighted snippets, facets and pages; choosing a facet narrows the hits; a member signed in
finds what only members may see. Every page passes axe (WCAG 2.1 A/AA) and the Nu Html Checker."""

import datetime
import io

import pytest
from django.core.management import call_command

from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import theme_group_join
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.knowledge.models import Answer, LibraryItem, Question
from stedennet.registry.models import Municipality
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def corpus(transactional_db):
    # Transactional tests truncate every table afterwards, the page tree included.
    from stedennet.governance.services import bodies_seed_load
    from stedennet.registry.models import Network

    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    bodies_seed_load(network=Network.objects.get(slug="g40"))
    pillar = Body.objects.get(slug="sociale-pijler")
    group = Body.objects.get(slug="themagroep-armoede-en-schulden")
    cities = [Municipality.objects.get(cbs_code=code) for code in ("GM0363", "GM0344", "GM0599")]
    for number in range(25):
        LibraryItem.objects.create(
            title=f"Schuldhulpverlening in de praktijk {number + 1}",
            summary="Hoe gemeenten schuldhulpverlening organiseren.",
            body="<p>Wij organiseren <strong>schuldhulpverlening</strong> samen met de wijkteams &amp; "
                 "werkgevers.</p>",
            visibility=Visibility.PUBLIC, pillar=pillar, municipality=cities[number % 3])
    asker = PersonFactory(function="civil_servant", name="Vrager Zwolle", is_demo=False)
    question = Question.objects.create(title="Wie organiseert schuldhulpverlening voor jongeren?", asker=asker,
                                       group=group, visibility=Visibility.BODY, municipality=cities[0])
    Answer.objects.create(question=question, author=asker, body="Wij doen dat met een jongerenloket.")
    member = person_with_account(function="civil_servant", username="ambtenaar", cbs_code="GM0344")
    theme_group_join(person=member, body=group, day=datetime.date(2024, 1, 1))
    return member


def sign_in(page, username: str) -> None:
    page.goto("/inloggen/?next=/zoeken/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.accounts-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)


def test_a_visitor_searches_with_an_inflection_and_refines_by_city(corpus, page, check_page):
    check_page("/zoeken/")
    page.get_by_role("searchbox").fill("schuldhulpverleningen")
    page.get_by_role("search").get_by_role("button").click()
    page.wait_for_url("**/zoeken/?q=schuldhulpverleningen")
    check_page()

    count = page.get_by_test_id("result-count")
    assert count.get_attribute("data-total") == "25"  # the group's question is not for visitors
    results = page.get_by_test_id("result")
    assert results.count() == 20
    assert all(kind == "library" for kind in results.evaluate_all("els => els.map(e => e.dataset.kind)"))
    first = results.first
    assert first.locator("mark").first.inner_text().lower() == "schuldhulpverlening"
    snippet = first.get_by_test_id("snippet")
    assert snippet.locator("mark").count() >= 1
    assert "&" in snippet.inner_text() and "<strong>" not in snippet.inner_html()

    assert page.get_by_test_id("facet-type").get_by_test_id("facet-value").count() == 1
    years = page.get_by_test_id("facet-year").get_by_test_id("facet-value")
    assert years.count() == 1
    cities = page.get_by_test_id("facet-city").get_by_test_id("facet-value")
    assert sorted(int(c) for c in cities.evaluate_all("els => els.map(e => e.dataset.count)")) == [8, 8, 9]

    pages = page.get_by_test_id("pagination")
    pages.get_by_role("link", name="2", exact=True).click()
    page.wait_for_url("**page=2")
    assert page.get_by_test_id("result").count() == 5
    check_page()

    page.get_by_test_id("facet-city").get_by_role("link", name="Utrecht").click()
    page.wait_for_url("**city=**")
    assert page.get_by_test_id("result-count").get_attribute("data-total") == "8"
    assert page.get_by_test_id("result").count() == 8
    assert page.get_by_test_id("pagination").count() == 0
    check_page()


def test_a_member_of_the_group_finds_its_question_by_another_form_of_its_words(corpus, page, check_page):
    page.goto("/zoeken/?q=organiseren+jongeren")
    assert page.get_by_test_id("result-count").get_attribute("data-total") == "0"

    sign_in(page, "ambtenaar")
    page.goto("/zoeken/?q=organiseren+jongeren")
    check_page()
    hits = page.get_by_test_id("result")
    # the question, and its answer, which carries the question's title
    assert sorted(hits.evaluate_all("els => els.map(e => e.dataset.kind)")) == ["answer", "question"]
    title = page.locator('[data-testid="result"][data-kind="question"]').get_by_role("heading")
    assert title.locator("mark").evaluate_all("els => els.map(e => e.textContent)") == ["organiseert", "jongeren"]
