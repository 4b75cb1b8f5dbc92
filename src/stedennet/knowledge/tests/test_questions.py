"""Questions between cities: asking (form errors name the field; only groups one may address),
the theme group's members mailed through a real SMTP server, answering (the asker and followers
mailed), only the asker marks the best answer, following, who sees which question (partners only
what is shared with partners), similar earlier questions while typing, and constant queries."""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.access import viewer_for
from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import theme_group_join, theme_group_leave
from stedennet.governance.tests.factories import person_with_account
from stedennet.knowledge.models import Answer, Question
from stedennet.knowledge.selectors import similar_questions
from stedennet.knowledge.services import (
    KnowledgeRefused,
    answer_post,
    best_answer_mark,
    question_ask,
    question_follow,
)

ARMOEDE = "themagroep-armoede-en-schulden"
TITLE = "Hoe organiseren gemeenten schuldhulpverlening voor jongeren?"


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


def signed_in(client, person):
    client.force_login(person.user)
    return client


@pytest.fixture
def asker(g40_bodies):
    person = person_with_account(username="almere", cbs_code="GM0034", name="Anna Almere", email="anna@almere.nl")
    theme_group_join(person=person, body=body(ARMOEDE))
    return person


@pytest.fixture
def colleague(g40_bodies):
    person = person_with_account(username="groningen", cbs_code="GM0014", name="Gert Groningen",
                                 email="gert@groningen.nl")
    theme_group_join(person=person, body=body(ARMOEDE))
    return person


@pytest.fixture
def outsider(g40_bodies):
    """A civil servant of a member city who is not in the theme group."""
    return person_with_account(username="zwolle", cbs_code="GM0193", name="Zoe Zwolle", email="zoe@zwolle.nl")


@pytest.fixture
def partner(g40_bodies):
    return person_with_account(partner=g40_bodies.partners.first(), function="other", username="vng",
                               name="Piet Partner", email="piet@vng.nl")


def ask(person, title=TITLE, **kwargs) -> Question:
    return question_ask(viewer=viewer_for(person.user), title=title, **kwargs)


# --- asking ------------------------------------------------------------------------------------

class TestAskForm:
    @pytest.mark.parametrize("data, field", [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Goede vraag", "body": "y" * 5001}, "body"),
        ({"title": "Alleen voor de groep", "visibility": Visibility.BODY}, "group"),
    ], ids=["empty", "blank", "title-too-long", "explanation-too-long", "group-only-without-group"])
    def test_bad_input_names_the_field_and_saves_nothing(self, client, asker, data, field):
        response = signed_in(client, asker).post(reverse("knowledge:question_create"),
                                                 {"visibility": Visibility.MEMBERS, **data})
        assert response.status_code == 200
        html = response.content.decode()
        assert f'data-testid="error-{field}"' in html
        assert f'data-field="{field}"' in html  # in the error summary, linked to the field
        assert Question.objects.count() == 0

    def test_exactly_200_characters_is_accepted(self, client, asker):
        response = signed_in(client, asker).post(reverse("knowledge:question_create"),
                                                 {"title": "x" * 200, "visibility": Visibility.MEMBERS})
        assert response.status_code == 302
        assert len(Question.objects.get().title) == 200

    def test_the_group_choice_offers_only_the_askers_groups(self, client, asker):
        html = signed_in(client, asker).get(reverse("knowledge:question_create")).content.decode()
        select = html.split('name="group"')[1].split("</select>")[0]
        assert re.findall(r'<option value="(\d+)"', select) == [str(body(ARMOEDE).pk)]
        assert 'data-hx-get="/vragen/vergelijkbaar/"' in html
        assert 'data-hx-trigger="keyup changed delay:300ms"' in html

    def test_a_group_one_is_not_in_is_refused(self, client, outsider):
        response = signed_in(client, outsider).post(reverse("knowledge:question_create"), {
            "title": TITLE, "group": body(ARMOEDE).pk, "visibility": Visibility.MEMBERS})
        assert 'data-testid="error-group"' in response.content.decode()
        assert Question.objects.count() == 0
        with pytest.raises(KnowledgeRefused):
            ask(outsider, group=body(ARMOEDE))

    def test_partners_and_anonymous_cannot_ask(self, client, partner):
        response = client.get(reverse("knowledge:question_create"))
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))
        assert signed_in(client, partner).get(reverse("knowledge:question_create")).status_code == 403
        with pytest.raises(KnowledgeRefused):
            ask(partner)


class TestNotifications:
    def test_the_groups_members_are_mailed_through_smtp(self, client, asker, colleague, outsider, smtp_server,
                                                        django_capture_on_commit_callbacks):
        left = person_with_account(username="assen", cbs_code="GM0106", email="ex@assen.nl")
        theme_group_join(person=left, body=body(ARMOEDE), day=datetime.date.today() - datetime.timedelta(days=30))
        theme_group_leave(person=left, body=body(ARMOEDE))  # ended yesterday
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in(client, asker).post(reverse("knowledge:question_create"), {
                "title": TITLE, "body": "Wij zoeken voorbeelden.", "group": body(ARMOEDE).pk,
                "visibility": Visibility.MEMBERS})
        question = Question.objects.get()
        assert response.status_code == 302 and response["Location"] == question.get_absolute_url()
        assert question.group == body(ARMOEDE) and question.asker == asker
        assert question.municipality.cbs_code == "GM0034"
        assert [m["X-Envelope-To"] for m in smtp_server] == ["gert@groningen.nl"]
        mail = smtp_server[0]
        assert TITLE in mail["Subject"]
        text = mail.get_content()
        assert TITLE in text and "Wij zoeken voorbeelden." in text
        assert f"/vragen/{question.pk}/" in text

    def test_a_question_to_all_members_mails_nobody(self, asker, colleague, smtp_server,
                                                    django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            ask(asker)
        assert smtp_server == []

    def test_an_answer_mails_the_asker_and_the_followers(self, asker, colleague, outsider, smtp_server,
                                                         django_capture_on_commit_callbacks):
        question = ask(asker)
        question_follow(viewer=viewer_for(outsider.user), question=question)
        with django_capture_on_commit_callbacks(execute=True):
            answer_post(viewer=viewer_for(colleague.user), question=question, body="Wij werken met een budgetcoach.")
        assert sorted(m["X-Envelope-To"] for m in smtp_server) == ["anna@almere.nl", "zoe@zwolle.nl"]
        assert all("budgetcoach" in m.get_content() for m in smtp_server)


# --- answering, the best answer, following -----------------------------------------------------

class TestAnswers:
    def test_a_colleague_answers_through_the_page(self, client, asker, colleague):
        question = ask(asker, group=body(ARMOEDE))
        response = signed_in(client, colleague).post(reverse("knowledge:answer_create", kwargs={"pk": question.pk}),
                                                     {"body": "Wij werken met een budgetcoach."})
        answer = Answer.objects.get()
        assert response.status_code == 302 and response["Location"].endswith(f"#answer-{answer.pk}")
        assert answer.author == colleague and answer.question == question

    def test_an_empty_answer_names_the_field(self, client, asker, colleague):
        question = ask(asker)
        response = signed_in(client, colleague).post(reverse("knowledge:answer_create", kwargs={"pk": question.pk}),
                                                     {"body": "  "})
        assert 'data-testid="error-body"' in response.content.decode()
        assert Answer.objects.count() == 0

    def test_only_the_asker_marks_the_best_answer(self, client, asker, colleague, outsider, make_user):
        question = ask(asker)
        answer = answer_post(viewer=viewer_for(colleague.user), question=question, body="Zo doen wij het.")
        url = reverse("knowledge:best_answer", kwargs={"pk": question.pk})
        for person in (colleague, outsider):
            assert signed_in(client, person).post(url, {"answer": answer.pk}).status_code == 403
        client.force_login(make_user("bureau", AccountRole.BUREAU))
        assert client.post(url, {"answer": answer.pk}).status_code == 403
        question.refresh_from_db()
        assert question.best_answer is None
        with pytest.raises(KnowledgeRefused):
            best_answer_mark(viewer=viewer_for(colleague.user), answer=answer)

        response = signed_in(client, asker).post(url, {"answer": answer.pk})
        assert response.status_code == 302
        question.refresh_from_db()
        assert question.best_answer == answer
        html = client.get(question.get_absolute_url()).content.decode()
        assert re.search(rf'data-pk="{answer.pk}" data-best="true"', html)
        assert 'data-testid="best-answer"' in html and 'data-testid="mark-best"' not in html

    def test_an_answer_of_another_question_cannot_be_marked(self, client, asker, colleague):
        question, other = ask(asker), ask(asker, title="Andere vraag")
        answer = answer_post(viewer=viewer_for(colleague.user), question=other, body="Elders.")
        response = signed_in(client, asker).post(reverse("knowledge:best_answer", kwargs={"pk": question.pk}),
                                                 {"answer": answer.pk})
        assert response.status_code == 404

    def test_only_the_asker_sees_the_mark_button(self, client, asker, colleague):
        question = ask(asker)
        answer_post(viewer=viewer_for(colleague.user), question=question, body="Zo.")
        assert 'data-testid="mark-best"' in signed_in(client, asker).get(question.get_absolute_url()).content.decode()
        assert 'data-testid="mark-best"' not in signed_in(client, colleague).get(
            question.get_absolute_url()).content.decode()

    def test_follow_and_unfollow(self, client, asker, colleague):
        question = ask(asker)
        signed_in(client, colleague)
        assert 'data-testid="follow"' in client.get(question.get_absolute_url()).content.decode()
        client.post(reverse("knowledge:question_follow", kwargs={"pk": question.pk}))
        assert question.followers.filter(pk=colleague.pk).exists()
        assert 'data-testid="unfollow"' in client.get(question.get_absolute_url()).content.decode()
        client.post(reverse("knowledge:question_unfollow", kwargs={"pk": question.pk}))
        assert not question.followers.filter(pk=colleague.pk).exists()
        assert question.followers.filter(pk=asker.pk).exists()  # the asker follows their own question


# --- who sees what -----------------------------------------------------------------------------

@pytest.fixture
def questions_by_level(asker):
    return {
        Visibility.MEMBERS: ask(asker, title="Vraag voor leden"),
        Visibility.MEMBERS_AND_PARTNERS: ask(asker, title="Vraag voor leden en partners",
                                             visibility=Visibility.MEMBERS_AND_PARTNERS),
        Visibility.BODY: ask(asker, title="Vraag alleen voor de groep", group=body(ARMOEDE),
                             visibility=Visibility.BODY),
    }


def listed(client) -> set[str]:
    html = client.get(reverse("knowledge:questions")).content.decode()
    return set(re.findall(r'data-testid="question" data-pk="\d+" data-answers="\d+">\s*<a[^>]*>([^<]+)</a>', html))


class TestVisibility:
    def test_partners_see_only_what_is_shared_with_partners(self, client, questions_by_level, partner):
        signed_in(client, partner)
        assert listed(client) == {"Vraag voor leden en partners"}
        for level, question in questions_by_level.items():
            expected = 200 if level == Visibility.MEMBERS_AND_PARTNERS else 404
            assert client.get(question.get_absolute_url()).status_code == expected, level
        hidden = questions_by_level[Visibility.MEMBERS]
        assert client.post(reverse("knowledge:answer_create", kwargs={"pk": hidden.pk}),
                           {"body": "Toch?"}).status_code == 404
        assert client.post(reverse("knowledge:question_follow", kwargs={"pk": hidden.pk})).status_code == 404
        assert Answer.objects.count() == 0

    def test_a_member_outside_the_group_does_not_see_the_group_only_question(self, client, questions_by_level,
                                                                            outsider, colleague):
        assert listed(signed_in(client, outsider)) == {"Vraag voor leden", "Vraag voor leden en partners"}
        assert client.get(questions_by_level[Visibility.BODY].get_absolute_url()).status_code == 404
        assert listed(signed_in(client, colleague)) == {q.title for q in questions_by_level.values()}

    def test_the_bureau_sees_everything_and_anonymous_must_sign_in(self, client, questions_by_level, make_user):
        response = client.get(reverse("knowledge:questions"))
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))
        assert client.get(questions_by_level[Visibility.MEMBERS_AND_PARTNERS].get_absolute_url()).status_code == 302
        client.force_login(make_user("bureau", AccountRole.BUREAU))
        assert listed(client) == {q.title for q in questions_by_level.values()}

    def test_a_user_without_role_is_refused(self, client, make_user, questions_by_level):
        client.force_login(make_user("niemand"))
        assert client.get(reverse("knowledge:questions")).status_code == 403


# --- similar earlier questions -----------------------------------------------------------------

class TestSimilar:
    def test_similar_visible_questions_are_offered(self, client, asker, outsider, colleague):
        earlier = ask(colleague, title="Schuldhulpverlening aan jongeren: wie heeft ervaring?")
        ask(colleague, title="Hoe gaan jullie om met parkeervergunningen?")
        hidden = ask(colleague, title="Schuldhulpverlening jongeren alleen voor de groep", group=body(ARMOEDE),
                     visibility=Visibility.BODY)
        found = similar_questions("schuldhulpverleningen jongere", viewer_for(outsider.user))
        assert found == [earlier]
        assert hidden in similar_questions("schuldhulpverlening jongeren", viewer_for(asker.user))

        response = signed_in(client, outsider).get(reverse("knowledge:question_similar"),
                                                   {"q": "Hoe organiseren gemeenten schuldhulpverlening"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" not in html  # a fragment
        assert re.findall(r'data-testid="similar-question" data-pk="(\d+)"', html) == [str(earlier.pk)]

    def test_nothing_is_offered_for_stop_words_only(self, client, asker):
        ask(asker, title="Hoe doen jullie dat?")
        response = signed_in(client, asker).get(reverse("knowledge:question_similar"), {"q": "hoe de"})
        assert 'data-testid="similar-question"' not in response.content.decode()

    def test_the_fragment_needs_a_reader(self, client, partner, asker):
        ask(asker, title="Schuldhulpverlening voor leden")
        response = client.get(reverse("knowledge:question_similar"), {"q": "schuldhulpverlening"})
        assert response.status_code == 302
        html = signed_in(client, partner).get(reverse("knowledge:question_similar"),
                                              {"q": "schuldhulpverlening"}).content.decode()
        assert 'data-testid="similar-question"' not in html


# --- queries -----------------------------------------------------------------------------------

def test_the_question_pages_run_a_constant_number_of_queries(client, asker, colleague, outsider,
                                                             django_assert_max_num_queries):
    signed_in(client, asker)
    first = ask(asker, group=body(ARMOEDE))
    answer_post(viewer=viewer_for(colleague.user), question=first, body="Eerste antwoord")
    pages = [reverse("knowledge:questions"), first.get_absolute_url(),
             reverse("knowledge:question_similar") + "?q=schuldhulpverlening+jongeren"]
    measured = {}
    for url in pages:
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        measured[url] = len(few)
    for number in range(10):
        question = ask(asker, title=f"Schuldhulpverlening jongeren {number}", group=body(ARMOEDE))
        for author in (colleague, outsider):
            answer_post(viewer=viewer_for(author.user), question=question, body=f"Antwoord {number}")
        answer_post(viewer=viewer_for(outsider.user), question=first, body=f"Nog een antwoord {number}")
    for url in pages:
        with django_assert_max_num_queries(measured[url]):
            client.get(url)
