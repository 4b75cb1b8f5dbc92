"""Forms that help: the library refuses a theme group outside the chosen pillar (on that field,
with a code); the text fields take rich text from the simple editor, or plain text without it,
and keep only the allowed HTML; cities are checkboxes (no Ctrl-click); questions and answers
show their text safely, also text stored before the editor."""

import re

import pytest
from django.urls import reverse

from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import theme_group_join
from stedennet.governance.tests.factories import person_with_account
from stedennet.knowledge.forms import AnswerForm, LibraryItemForm, QuestionForm
from stedennet.knowledge.models import Answer, LibraryItem, Question
from stedennet.knowledge.rich_text import rich_text_clean, rich_text_plain
from stedennet.knowledge.selectors import member_municipalities

ARMOEDE = "themagroep-armoede-en-schulden"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def member(g40_bodies):
    person = person_with_account(username="almere", cbs_code="GM0034", name="Anna Almere")
    theme_group_join(person=person, body=Body.objects.get(slug=ARMOEDE))
    return person


def library_form(data):
    return LibraryItemForm(data, groups=Body.objects.none(), municipalities=member_municipalities())


def test_a_theme_group_outside_the_chosen_pillar_is_refused_on_its_field(member):
    social = Body.objects.get(slug="sociale-pijler")
    physical = Body.objects.get(slug="fysieke-pijler")
    wonen = Body.objects.get(slug="themagroep-wonen")  # under the physical pillar
    form = library_form({"title": "Huisvesting", "visibility": Visibility.MEMBERS,
                         "pillar": social.pk, "theme_group": wonen.pk})
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["theme_group"]] == ["theme_group_not_in_pillar"]
    assert set(form.errors) == {"theme_group"}
    assert library_form({"title": "Huisvesting", "visibility": Visibility.MEMBERS,
                         "pillar": physical.pk, "theme_group": wonen.pk}).is_valid()
    assert library_form({"title": "Huisvesting", "visibility": Visibility.MEMBERS, "theme_group": wonen.pk}).is_valid()


def test_the_page_names_the_theme_group_field_and_saves_nothing(client, member):
    client.force_login(member.user)
    response = client.post(reverse("knowledge:library_create"), {
        "title": "Huisvesting", "visibility": Visibility.MEMBERS,
        "pillar": Body.objects.get(slug="sociale-pijler").pk,
        "theme_group": Body.objects.get(slug="themagroep-wonen").pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="error-theme_group"' in html and 'data-field="theme_group"' in html
    assert LibraryItem.objects.count() == 0


@pytest.mark.parametrize(("typed", "stored"), [
    ("Eerste alinea.\n\nTweede regel\nen verder <b>niet</b>?", None),  # has a tag: treated as HTML
    ("Eerste alinea.\n\nTweede regel\nen verder", "<p>Eerste alinea.</p>\n\n<p>Tweede regel<br>en verder</p>"),
    ("5 < 6 & 7 > 3", "<p>5 &lt; 6 &amp; 7 &gt; 3</p>"),
    ("<p><b>Vet</b> en <i>schuin</i></p><ul><li>een</li></ul>", "<p><strong>Vet</strong> en <em>schuin</em></p>"
                                                                 "<ul><li>een</li></ul>"),
    ('<div>Blok</div><p onclick="x()">Klik <a href="javascript:alert(1)">hier</a> of '
     '<a href="https://g40.nl" target="_blank">daar</a></p><script>alert(1)</script><style>p{}</style>',
     '<p>Blok</p><p>Klik <a rel="noopener noreferrer">hier</a> of '
     '<a href="https://g40.nl" rel="noopener noreferrer">daar</a></p>'),
    ("<p><br></p><p> </p>", ""),
    ("<p><em>Met een coach</em><br></p><ul><li>punt<br></li></ul><p><br></p>",
     "<p><em>Met een coach</em></p><ul><li>punt</li></ul>"),  # what the editor leaves at the ends of blocks
])
def test_rich_text_is_cleaned_into_the_allowed_html(typed, stored):
    cleaned = rich_text_clean(typed)
    if stored is not None:
        assert cleaned == stored
    assert "<script" not in cleaned and "onclick" not in cleaned and "<b>" not in cleaned and "<div" not in cleaned


def test_plain_text_for_mails_keeps_the_paragraphs():
    assert rich_text_plain("<p>Een &amp; twee</p><ul><li>drie</li><li>vier</li></ul>") == "Een & twee\ndrie\nvier"
    assert rich_text_plain("gewoon\ntekst") == "gewoon\ntekst"


def test_every_text_field_offers_the_editor_and_cities_are_checkboxes(member):
    for form, names in ((library_form(None), ["body"]), (QuestionForm(), ["body"]), (AnswerForm(), ["body"])):
        for name in names:
            html = str(form[name])
            assert "<textarea" in html and 'data-rich-text="true"' in html and 'data-label-bold="' in html
    cities = str(library_form(None)["tagged_municipalities"])
    assert "<select" not in cities and "multiple" not in cities
    assert cities.count('type="checkbox"') == member_municipalities().count() == 41


def test_a_library_item_with_rich_text_and_several_cities(client, member):
    almere, zwolle = member_municipalities().filter(name__in=["Almere", "Zwolle"]).order_by("name")
    client.force_login(member.user)
    response = client.post(reverse("knowledge:library_create"), {
        "title": "Schuldhulp", "visibility": Visibility.MEMBERS,
        "body": '<p><b>Vet</b></p><ol><li>Stap</li></ol><p><a href="https://nibud.nl">Nibud</a></p>',
        "tagged_municipalities": [almere.pk, zwolle.pk]})
    item = LibraryItem.objects.get()
    assert response.status_code == 302
    assert item.body == ('<p><strong>Vet</strong></p><ol><li>Stap</li></ol>'
                         '<p><a href="https://nibud.nl" rel="noopener noreferrer">Nibud</a></p>')
    assert set(item.tagged_municipalities.values_list("name", flat=True)) == {"Almere", "Zwolle"}
    html = client.get(reverse("knowledge:library_create")).content.decode()
    assert 'data-checkbox-group' in html and "squire/squire" in html and "knowledge/forms.js" in html


def test_questions_and_answers_take_rich_text_and_show_it_safely(client, member):
    client.force_login(member.user)
    client.post(reverse("knowledge:question_create"), {
        "title": "Hoe regelen jullie schuldhulp?", "visibility": Visibility.MEMBERS,
        "body": "<p>Zie <strong>vooral</strong></p><script>alert(1)</script><ul><li>punt</li></ul>"})
    question = Question.objects.get()
    assert question.body == "<p>Zie <strong>vooral</strong></p><ul><li>punt</li></ul>"
    client.post(reverse("knowledge:answer_create", kwargs={"pk": question.pk}),
                {"body": "<p>Wij <em>doen</em> het zo</p><img src=x onerror=alert(1)>"})
    assert Answer.objects.get().body == "<p>Wij <em>doen</em> het zo</p>"
    empty = client.post(reverse("knowledge:answer_create", kwargs={"pk": question.pk}), {"body": "<p><br></p>"})
    assert empty.status_code == 200 and 'data-testid="error-body"' in empty.content.decode()
    # Text stored before the editor (plain, with newlines) and unsafe text stored by other means show safely.
    Answer.objects.create(question=question, author=member, body="Oude tekst\n\nmet 2 < 3 alinea's")
    Answer.objects.create(question=question, author=member, body="<p>Onveilig<script>x</script></p>")
    html = client.get(question.get_absolute_url()).content.decode()
    assert "<p>Zie <strong>vooral</strong></p><ul><li>punt</li></ul>" in html
    assert "<p>Wij <em>doen</em> het zo</p>" in html
    assert "<p>met 2 &lt; 3 alinea" in html
    assert "<p>Oude tekst</p>" in html and "<p>Onveilig</p>" in html and "<script>x" not in html


def test_the_question_header_reads_name_comma_city_and_the_demo_badge_follows(client, member):
    """No stray space before the comma; the badge comes after "Name, City", from the one shared partial."""
    client.force_login(member.user)
    client.post(reverse("knowledge:question_create"), {"title": "Vraag over schulden",
                                                       "visibility": Visibility.MEMBERS})
    question = Question.objects.get()
    assert member.is_demo
    Answer.objects.create(question=question, author=member, body="<p>Antwoord</p>")
    pages = [client.get(question.get_absolute_url()).content.decode(),
             client.get(reverse("knowledge:questions")).content.decode()]
    badge = re.compile(r'<span class="utrecht-status-badge utrecht-status-badge--warning demo-badge"'
                       r' data-testid="demo-badge" title="[^"]+">[^<]+</span>')
    for html in pages:
        text = re.sub(r"<[^>]+>", "", html)
        assert not re.search(r"\S\s+,", text), re.search(r".{30}\S\s+,.{10}", text)
        assert "Anna Almere, Almere" in text
    asker = pages[0].split('data-testid="asker">')[1].split("</dd>")[0]
    assert re.fullmatch(r"Anna Almere, Almere " + badge.pattern, asker)
    heading = pages[0].split('-heading">')[2].split("</h3>")[0]
    assert re.fullmatch(r"Anna Almere, Almere " + badge.pattern, heading)
    meta = pages[1].split('class="knowledge-meta">')[1].split("\n")[0]
    assert re.match(r"Anna Almere, Almere " + badge.pattern + "$", meta.strip())
    # Every demo badge on these pages is the same markup (one partial).
    assert {match for html in pages for match in badge.findall(html)} and all(
        'class="utrecht-status-badge utrecht-status-badge--warning demo-badge"' not in html.replace(m, "")
        for html in pages for m in set(badge.findall(html)))
