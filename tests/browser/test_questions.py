"""Questions between cities in a real browser: a civil servant of Amstelveen signs in, asks the
theme group Armoede en schulden a question (and sees a similar earlier question offered while
typing); a colleague of Groningen, in a browser of their own, answers; the asker marks it the best
answer. The group's members get a mail through a real SMTP server. Every page visited, in both
browsers, passes axe (WCAG 2.1 A/AA) and the Nu Html Checker."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from stedennet.governance.models import Body
from stedennet.governance.services import bodies_seed_load, theme_group_join
from stedennet.registry.models import Network
from stedennet.site.services import home_page_ensure

from .conftest import AXE, WCAG_TAGS

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
ARMOEDE = "themagroep-armoede-en-schulden"
TITLE = "Hoe organiseren gemeenten schuldhulpverlening voor jongeren?"
EARLIER = "Schuldhulpverlening aan jongeren: wie heeft ervaring?"
ANSWER = "In Groningen werken we met een budgetcoach op elke mbo-school."


@pytest.fixture
def seeded(transactional_db, settings, tmp_path):
    # Transactional tests truncate every table afterwards, the page tree included.
    from stedennet.governance.access import viewer_for
    from stedennet.governance.tests.factories import person_with_account
    from stedennet.knowledge.services import question_ask

    settings.MEDIA_ROOT = tmp_path
    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    bodies_seed_load(network=Network.objects.get(slug="g40"))
    group = Body.objects.get(slug=ARMOEDE)
    people = {
        "asker": person_with_account(function="civil_servant", cbs_code="GM0362", username="amstelveen",
                                     name="Anna Amstelveen", email="anna@amstelveen.example"),
        "colleague": person_with_account(function="civil_servant", cbs_code="GM0014", username="groningen",
                                         name="Gert Groningen", email="gert@groningen.example"),
        "earlier": person_with_account(function="civil_servant", cbs_code="GM0193", username="zwolle",
                                       name="Zoe Zwolle", email="zoe@zwolle.example"),
    }
    for person in people.values():
        theme_group_join(person=person, body=group)
    earlier = question_ask(viewer=viewer_for(people["earlier"].user), title=EARLIER)
    return {**people, "group": group, "earlier_question": earlier}


def sign_in(page, username: str) -> None:
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.accounts-form button[type=submit]").click()


def make_checker(vnu):
    """check_page for any page (the fixture is bound to the first browser's page)."""

    def check(page, path: str | None = None) -> str:
        if path is not None:
            response = page.goto(path)
            assert response.status == 200, f"{path}: HTTP {response.status}"
        html = page.evaluate("async () => (await fetch(location.href)).text()")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        violations = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
                      for v in result["violations"]]
        assert violations == [], f"axe on {page.url}:\n" + "\n".join(violations)
        errors = [f"line {e.get('lastLine')}: {e.get('message')}" for e in vnu(html)]
        assert errors == [], f"Nu Html Checker on {page.url}:\n" + "\n".join(errors)
        return html

    return check


def test_a_question_asked_answered_and_its_best_answer_marked(
        seeded, page, check_page, browser, live_server, vnu, smtp_server):
    from stedennet.knowledge.models import Answer, Question

    check = make_checker(vnu)

    # The asker, a civil servant of Amstelveen, signs in and asks the theme group.
    check_page("/inloggen/")
    sign_in(page, "amstelveen")
    page.wait_for_url(lambda url: "/inloggen/" not in url)
    check_page("/vragen/")
    assert page.get_by_test_id("question").count() == 1
    page.get_by_test_id("ask").click()
    page.wait_for_url("**/vragen/nieuw/")
    check_page()

    title = page.locator("#id_title")
    title.press_sequentially(TITLE, delay=15)
    offered = page.locator("#similar-questions").get_by_test_id("similar-question")
    offered.first.wait_for()
    assert offered.count() == 1
    assert offered.first.get_attribute("data-pk") == str(seeded["earlier_question"].pk)
    assert EARLIER in offered.first.inner_text()
    check_page()  # with the similar-questions box filled in

    page.locator("#id_body_editor").click()  # the simple editor over the textarea
    page.keyboard.type("Wij zoeken voorbeelden van een aanpak die jongeren echt bereikt.")
    page.locator("#id_group").select_option(str(seeded["group"].pk))
    page.get_by_test_id("submit-question").click()
    page.wait_for_url(re.compile(r".*/vragen/\d+/$"))
    question = Question.objects.get(title=TITLE)
    assert page.url.endswith(question.get_absolute_url())
    assert page.get_by_test_id("question-title").inner_text().startswith(TITLE)
    assert page.get_by_test_id("addressed").get_attribute("data-group") == ARMOEDE
    check_page()

    # The group's other members got a mail through the SMTP server; the asker did not.
    assert sorted(m["X-Envelope-To"] for m in smtp_server) == ["gert@groningen.example", "zoe@zwolle.example"]
    assert all(question.get_absolute_url() in m.get_content() for m in smtp_server)

    # A colleague of Groningen, in a browser of their own, answers.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="nl-NL")
    try:
        colleague = context.new_page()
        colleague.set_default_timeout(15_000)
        check(colleague, "/inloggen/")
        sign_in(colleague, "groningen")
        colleague.wait_for_url(lambda url: "/inloggen/" not in url)
        check(colleague, "/vragen/")
        colleague.get_by_role("link", name=TITLE).click()
        colleague.wait_for_url(f"**{question.get_absolute_url()}")
        check(colleague)
        assert colleague.get_by_test_id("mark-best").count() == 0  # only the asker marks the best answer
        colleague.locator("#id_body_editor").click()
        colleague.keyboard.type(ANSWER)
        colleague.get_by_test_id("submit-answer").click()
        colleague.wait_for_url(re.compile(r".*#answer-\d+$"))
        answer = Answer.objects.get(question=question)
        assert answer.author == seeded["colleague"]
        assert colleague.get_by_test_id("answer").first.get_by_test_id("answer-body").inner_text().strip() == ANSWER
        check(colleague)
    finally:
        context.close()
    assert "anna@amstelveen.example" in [m["X-Envelope-To"] for m in smtp_server]  # the asker hears of it

    # The asker marks it the best answer.
    page.goto(question.get_absolute_url())
    answers = page.get_by_test_id("answer")
    assert answers.count() == 1 and answers.first.get_attribute("data-best") == "false"
    check_page()
    answers.first.get_by_test_id("mark-best").click()
    page.wait_for_url(re.compile(rf".*#answer-{answer.pk}$"))
    marked = page.locator(f"#answer-{answer.pk}")
    assert marked.get_attribute("data-best") == "true"
    assert marked.get_by_test_id("best-answer").is_visible()
    assert page.get_by_test_id("mark-best").count() == 0
    question.refresh_from_db()
    assert question.best_answer == answer
    check_page()

    # The list shows the question as answered.
    check_page("/vragen/")
    listed = page.get_by_test_id("question").and_(page.locator(f"[data-pk='{question.pk}']"))
    assert listed.get_attribute("data-answers") == "1"
    assert listed.get_by_test_id("answered").is_visible()

    # Found by a Dutch inflection of its words.
    search = reverse("search:search")
    for word in ("schuldhulpverleningen", "organiseert"):
        check_page(f"{search}?q={word}")
        assert page.get_by_role("link", name=TITLE).count() >= 1, word


def test_the_library_and_the_expertise_directory_pages(seeded, page, check_page, tmp_path):
    """A member adds a library item with a PDF (a disguised file is refused first, with the reason
    on the field), finds it through the filters and finds a colleague in the expertise directory;
    an anonymous visitor sees only public items."""
    from stedennet.governance.access import viewer_for
    from stedennet.knowledge.models import LibraryItem
    from stedennet.knowledge.services import answer_post

    answer_post(viewer=viewer_for(seeded["colleague"].user), question=seeded["earlier_question"],
                body="Wij werken met een budgetcoach.")
    real_pdf = tmp_path / "aanpak.pdf"
    real_pdf.write_bytes(b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n")
    fake_pdf = tmp_path / "stiekem.pdf"
    fake_pdf.write_bytes(b"<html><script>alert(1)</script></html>")

    page.goto("/bibliotheek/nieuw/")
    page.wait_for_url("**/inloggen/?next=**")
    sign_in(page, "amstelveen")
    page.wait_for_url("**/bibliotheek/nieuw/")
    check_page()

    page.locator("#id_title").fill("Aanpak schuldhulp jongeren Amstelveen")
    page.locator("#id_summary").fill("Hoe wij jongeren met schulden vroeg bereiken.")
    page.locator("#id_body_editor").click()  # what is typed is text; the server cleans HTML (unit tests)
    page.keyboard.type("Tekst")
    page.locator("#id_files").set_input_files([str(real_pdf), str(fake_pdf)])
    page.locator("#id_theme_group").select_option(str(seeded["group"].pk))
    page.locator("#id_topics").fill("Schulden, Jongeren")
    page.locator("#id_visibility").select_option("public")
    page.get_by_test_id("save").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("error-files").is_visible()
    assert "stiekem.pdf" in page.get_by_test_id("error-files").inner_text()
    assert LibraryItem.objects.count() == 0
    check_page()  # the page with its errors

    page.locator("#id_files").set_input_files([str(real_pdf)])
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r".*/bibliotheek/\d+/$"))
    item = LibraryItem.objects.get()
    assert page.get_by_test_id("item-title").inner_text().startswith("Aanpak schuldhulp jongeren Amstelveen")
    assert page.get_by_test_id("item-body").inner_html().strip() == "<p>Tekst</p>"
    assert page.get_by_test_id("file").count() == 1
    check_page()

    check_page("/bibliotheek/?themagroep=" + ARMOEDE + "&onderwerp=schulden")
    assert page.get_by_test_id("library-item").count() == 1
    check_page("/bibliotheek/?pijler=fysieke-pijler")
    assert page.get_by_test_id("library-item").count() == 0

    check_page("/deskundigen/")
    page.locator("#id_q").fill("budgetcoach")
    page.get_by_role("button", name=re.compile("Zoeken|Search")).click()
    page.wait_for_url("**/deskundigen/?q=budgetcoach")
    experts = page.get_by_test_id("expert")
    assert experts.count() == 1 and "Gert Groningen" in experts.first.inner_text()
    check_page()

    page.context.clear_cookies()
    check_page("/bibliotheek/")
    assert page.get_by_test_id("library-item").count() == 1
    check_page(item.get_absolute_url())
