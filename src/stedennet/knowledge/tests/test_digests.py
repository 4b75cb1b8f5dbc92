"""Digests: the choice on /mijn/samenvatting/, what a digest holds (strictly what the user may
see), sending through a real SMTP server with a plain-text and an HTML part, once per period,
no mail when nothing is new, one-click unsubscribe without signing in (RFC 8058), the command,
the task, and a bounded number of queries however much is new."""

import datetime
import io
import re
import socket

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.accounts.services import roles_ensure
from stedennet.governance.models import Body, Position, Visibility
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.knowledge.digests import EXTENSIONS, SECTION_LIMIT, digest_build, digest_message, period_start
from stedennet.knowledge.digests import digests_send as digests_send_in_transaction
from stedennet.knowledge.models import Answer, DigestFrequency, DigestSubscription, LibraryItem, Question
from stedennet.knowledge.tasks_digests import digests_send_task
from stedennet.registry.models import Municipality, PartnerOrganisation


def digests_send(**kwargs):
    """A run as the command makes it: its transactions commit, so the outbox delivers the mails."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return digests_send_in_transaction(**kwargs)


ARMOEDE = "themagroep-armoede-en-schulden"  # civil service, open
WONEN = "themagroep-wonen"  # civil service, closed
ARBEIDSMARKT = "themagroep-arbeidsmarkt"  # civil service, open
BASE = "https://stedennet.example.nl"
# Wednesday 11 March 2026, 07:00 in Amsterdam: the morning run.
NOW = timezone.make_aware(datetime.datetime(2026, 3, 11, 7, 0))
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


def seat(person, slug: str) -> None:
    """A current position in a body, without the opt-in rules (partners may sit in groups too)."""
    Position.objects.create(person=person, body=body(slug), start_date=timezone.localdate() - datetime.timedelta(30))


def at(obj, moment):
    type(obj).objects.filter(pk=obj.pk).update(created_at=moment)
    obj.refresh_from_db()
    return obj


def item(title: str, *, moment=NOW - 2 * HOUR, **fields) -> LibraryItem:
    fields.setdefault("summary", f"Samenvatting van {title}")
    return at(LibraryItem.objects.create(title=title, **fields), moment)


def question(title: str, *, asker, moment=NOW - 2 * HOUR, **fields) -> Question:
    return at(Question.objects.create(title=title, asker=asker, **fields), moment)


def answer(q: Question, *, author, text: str, moment=NOW - HOUR) -> Answer:
    return at(Answer.objects.create(question=q, author=author, body=text), moment)


def subscribe(person_or_user, frequency=DigestFrequency.DAILY) -> DigestSubscription:
    user = getattr(person_or_user, "user", person_or_user)
    return DigestSubscription.objects.create(user=user, frequency=frequency)


def titles(digest) -> dict[str, list[str]]:
    return {name: [entry.title for entry in getattr(digest, name).entries]
            for name in ("items", "questions", "answers")}


def parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.STEDENNET_BASE_URL = BASE


@pytest.fixture
def elsewhere(g40_bodies):
    """A civil servant of another city (Eindhoven), author of what is new."""
    return PersonFactory(name="Auteur Eindhoven", municipality=Municipality.objects.get(cbs_code="GM0772"),
                         email="auteur@eindhoven.example")


@pytest.fixture
def member(g40_bodies):
    person = person_with_account(function="civil_servant", username="lid", name="Lid Amstelveen",
                                 email="lid@amstelveen.example")
    seat(person, ARMOEDE)
    return person


@pytest.fixture
def partner(g40_bodies):
    organisation = PartnerOrganisation.objects.order_by("pk").first()
    person = person_with_account(function="civil_servant", username="partner", name="Partner Persoon",
                                 partner=organisation, email="partner@vng.example")
    seat(person, ARMOEDE)
    return person


@pytest.fixture
def news(member, elsewhere):
    """What is new in Armoede en schulden (and elsewhere) on the morning of NOW."""
    armoede, wonen = body(ARMOEDE), body(WONEN)
    asked = question("Hoe pakken jullie vroegsignalering aan?", asker=member.user.person, group=armoede,
                     moment=NOW - 3 * DAY)
    return {
        "item": item("Schuldhulp in de wijk", theme_group=armoede, author=elsewhere, visibility=Visibility.MEMBERS),
        "group_item": item("Verslag themagroep armoede", visibility=Visibility.BODY, group=armoede, author=elsewhere),
        "question": question("Wie heeft ervaring met budgetcoaches?", asker=elsewhere, group=armoede),
        "answer": answer(asked, author=elsewhere, text="Wij werken met signaalpartners in Eindhoven."),
        # Not for the member: another group's item, and an item of their group shown only to another group.
        "other_group": item("Woningbouw versnellen", theme_group=wonen, author=elsewhere),
        "hidden": item("Vertrouwelijk: wonen en schulden", theme_group=armoede, visibility=Visibility.BODY,
                       group=wonen, author=elsewhere),
        "other_question": question("Vraag aan Wonen", asker=elsewhere, group=wonen),
        "old": item("Oud nieuws", theme_group=armoede, author=elsewhere, moment=NOW - 3 * DAY),
    }


# --- what a digest holds ------------------------------------------------------------------------


def test_a_digest_holds_what_is_new_in_the_users_groups_and_followed_questions(news, member):
    digest = digest_build(user=member.user, since=NOW - DAY, until=NOW)
    assert titles(digest) == {
        "items": ["Verslag themagroep armoede", "Schuldhulp in de wijk"],
        "questions": ["Wie heeft ervaring met budgetcoaches?"],
        "answers": ["Hoe pakken jullie vroegsignalering aan?"],
    }
    assert digest.total == 4
    entries = [entry for section in (digest.items, digest.questions, digest.answers) for entry in section.entries]
    assert all(entry.url is None or entry.url.startswith(BASE + "/") for entry in entries)  # absolute links
    answer_entry = digest.answers.entries[0]
    assert "Auteur Eindhoven" in answer_entry.context and "signaalpartners" in answer_entry.excerpt
    assert all(entry.is_demo for entry in digest.items.entries)  # the factories' people are demo people


def test_an_item_of_another_group_never_appears(news, member):
    digest = digest_build(user=member.user, since=NOW - 30 * DAY, until=NOW + DAY)
    everything = [title for section in titles(digest).values() for title in section]
    for hidden in ("Woningbouw versnellen", "Vertrouwelijk: wonen en schulden", "Vraag aan Wonen"):
        assert hidden not in everything


def test_the_window_is_since_the_last_digest_up_to_now(news, member):
    later = item("Nieuwer dan nu", theme_group=body(ARMOEDE), author=news["item"].author, moment=NOW + HOUR)
    digest = digest_build(user=member.user, since=NOW - 4 * DAY, until=NOW)
    assert "Oud nieuws" in titles(digest)["items"] and later.title not in titles(digest)["items"]
    digest = digest_build(user=member.user, since=NOW, until=NOW + 2 * HOUR)
    assert titles(digest) == {"items": ["Nieuwer dan nu"], "questions": [], "answers": []}


def test_own_items_questions_and_answers_are_left_out(member, elsewhere):
    armoede = body(ARMOEDE)
    item("Mijn eigen stuk", theme_group=armoede, author=member)
    mine = question("Mijn eigen vraag", asker=member, group=armoede)
    answer(mine, author=member, text="Aanvulling van mijzelf.")
    assert digest_build(user=member.user, since=NOW - DAY, until=NOW).is_empty


def test_excerpts_are_plain_text(member, elsewhere):
    item("Opgemaakt", theme_group=body(ARMOEDE), author=elsewhere, summary="",
         body="<p>Schulden &amp; armoede: <strong>vroeg</strong> erbij</p>")
    entry = digest_build(user=member.user, since=NOW - DAY, until=NOW).items.entries[0]
    assert entry.excerpt == "Schulden & armoede: vroeg erbij"
    html = digest_message(subscription=subscribe(member), digest=digest_build(user=member.user, since=NOW - DAY,
                                                                             until=NOW), to="x@example.org")
    assert "Schulden &amp; armoede: vroeg erbij" in html.alternatives[0][0] and "<strong>" not in html.body


def test_answers_only_to_questions_followed_or_asked(member, elsewhere):
    to_all = question("Vraag aan alle leden", asker=elsewhere)
    followed = question("Gevolgde vraag", asker=elsewhere)
    followed.followers.add(member)
    answer(to_all, author=elsewhere, text="Een antwoord dat het lid niet volgt.")
    answer(followed, author=elsewhere, text="Een antwoord op een gevolgde vraag.")
    assert titles(digest_build(user=member.user, since=NOW - DAY, until=NOW))["answers"] == ["Gevolgde vraag"]


def test_a_followed_question_the_user_may_no_longer_see_gives_no_answers(member, elsewhere):
    closed = question("Alleen voor Wonen", asker=elsewhere, group=body(WONEN), visibility=Visibility.BODY)
    closed.followers.add(member)
    answer(closed, author=elsewhere, text="Geheim antwoord.")
    assert digest_build(user=member.user, since=NOW - DAY, until=NOW).is_empty


@pytest.mark.parametrize("level", list(Visibility.values))
def test_a_partners_digest_holds_only_what_partners_may_see(member, partner, elsewhere, level):
    armoede = body(ARMOEDE)
    group = body(WONEN) if level == Visibility.BODY else None
    item(f"Stuk {level}", theme_group=armoede, visibility=level, group=group, author=elsewhere)
    digest = digest_build(user=partner.user, since=NOW - DAY, until=NOW)
    expected = [f"Stuk {level}"] if level in (Visibility.PUBLIC, Visibility.MEMBERS_AND_PARTNERS) else []
    assert titles(digest)["items"] == expected
    # The member of the same group sees all but the other group's item.
    member_expected = [] if level == Visibility.BODY else [f"Stuk {level}"]
    assert titles(digest_build(user=member.user, since=NOW - DAY, until=NOW))["items"] == member_expected


def test_a_partner_gets_only_members_and_partners_questions_and_answers(member, partner, elsewhere):
    armoede = body(ARMOEDE)
    shared = question("Gedeelde vraag", asker=elsewhere, group=armoede, visibility=Visibility.MEMBERS_AND_PARTNERS)
    members_only = question("Ledenvraag", asker=elsewhere, group=armoede, visibility=Visibility.MEMBERS)
    for q in (shared, members_only):
        q.followers.add(partner)
        answer(q, author=elsewhere, text=f"Antwoord op {q.title}")
    assert titles(digest_build(user=partner.user, since=NOW - DAY, until=NOW)) == {
        "items": [], "questions": ["Gedeelde vraag"], "answers": ["Gedeelde vraag"]}


def test_the_bureau_sees_every_level_in_its_groups(member, elsewhere):
    bureau = person_with_account(function="civil_servant", username="bureau-persoon", name="Bureau Persoon")
    bureau.user.groups.set([roles_ensure()[AccountRole.BUREAU]])
    seat(bureau, ARMOEDE)
    item("Voor Wonen, over armoede", theme_group=body(ARMOEDE), visibility=Visibility.BODY, group=body(WONEN),
         author=elsewhere)
    assert titles(digest_build(user=bureau.user, since=NOW - DAY, until=NOW))["items"] == ["Voor Wonen, over armoede"]


def test_accounts_without_a_role_get_no_digest(g40_bodies, make_user, elsewhere):
    user = make_user("zomaar")
    item("Publiek stuk", visibility=Visibility.PUBLIC, author=elsewhere)
    assert digest_build(user=user, since=NOW - DAY, until=NOW).is_empty


def test_building_a_digest_costs_a_bounded_number_of_queries(member, elsewhere, django_assert_max_num_queries):
    armoede = body(ARMOEDE)
    followed = question("Gevolgde vraag", asker=elsewhere)
    followed.followers.add(member)

    def add(count: int) -> None:
        for n in range(count):
            item(f"Stuk {n}", theme_group=armoede, author=elsewhere, municipality=elsewhere.municipality)
            question(f"Vraag {n}", asker=elsewhere, group=armoede, municipality=elsewhere.municipality)
            answer(followed, author=elsewhere, text=f"Antwoord {n}")

    def queries() -> int:
        user = type(member.user).objects.get(pk=member.user.pk)  # no cached viewer
        with CaptureQueriesContext(connection) as captured:
            digest = digest_build(user=user, since=NOW - DAY, until=NOW)
            [entry.title + entry.context for section in (digest.items, digest.questions, digest.answers)
             for entry in section.entries]
        return len(captured)

    add(2)
    few = queries()
    add(SECTION_LIMIT + 10)
    many = queries()
    # The viewer (3), one query per section, a count per section that has more than fits, and one
    # query per section that an app above adds (advocacy's dossier alerts: empty here).
    extensions = len(EXTENSIONS)
    assert extensions == 1
    assert few <= 6 + extensions and many <= 9 + extensions, (few, many)
    add(40)
    assert queries() == many
    digest = digest_build(user=member.user, since=NOW - DAY, until=NOW)
    assert len(digest.items.entries) == SECTION_LIMIT and digest.items.total == 72 and digest.items.more == 52


# --- sending ---------------------------------------------------------------------------------------


def test_the_digest_arrives_through_smtp_with_both_alternatives(news, member, smtp_server):
    subscription = subscribe(member)
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_digests", "--frequency", "daily", "--now", NOW.isoformat(), stdout=out)
    assert "sent: lid" in out.getvalue()
    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message["To"] == "lid@amstelveen.example"
    assert message.get_content_type() == "multipart/alternative"
    unsubscribe = f"{BASE}/samenvatting/afmelden/{subscription.unsubscribe_token}/"
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"  # folded: the URL is longer than a line
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "4" in message["Subject"]
    text, html = parts(message)
    for expected in ("Schuldhulp in de wijk", "Verslag themagroep armoede", "Wie heeft ervaring met budgetcoaches?",
                     "Hoe pakken jullie vroegsignalering aan?", "signaalpartners"):
        assert expected in text and expected in html, expected
    for absent in ("Woningbouw versnellen", "Vertrouwelijk", "Vraag aan Wonen", "Oud nieuws"):
        assert absent not in text and absent not in html, absent
    assert unsubscribe in text and f'href="{unsubscribe}"' in html
    assert f"{BASE}/mijn/samenvatting/" in text
    # Every link in the mail is absolute, on the site's address.
    assert all(href.startswith(BASE + "/") for href in re.findall(r'href="([^"]+)"', html))
    assert html.lstrip().startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    subscription.refresh_from_db()
    assert subscription.last_sent_at == NOW


def test_nothing_is_sent_twice_in_the_same_day(news, member, elsewhere):
    subscription = subscribe(member)
    assert digests_send(frequency="daily", now=NOW).sent == ["lid"]
    assert len(mail.outbox) == 1
    item("Later op de dag", theme_group=body(ARMOEDE), author=elsewhere, moment=NOW + 2 * HOUR)
    again = digests_send(now=NOW + 3 * HOUR)
    assert again.sent == [] and len(mail.outbox) == 1
    tomorrow = digests_send(frequency="daily", now=NOW + DAY)
    assert tomorrow.sent == ["lid"] and len(mail.outbox) == 2
    text = mail.outbox[1].body
    assert "Later op de dag" in text and "Schuldhulp in de wijk" not in text  # only what is new since the last one
    subscription.refresh_from_db()
    assert subscription.last_sent_at == NOW + DAY


def test_a_weekly_digest_goes_once_per_iso_week(news, member, elsewhere):
    subscribe(member, DigestFrequency.WEEKLY)
    assert digests_send(frequency="daily", now=NOW).sent == []  # another frequency
    assert digests_send(frequency="weekly", now=NOW).sent == ["lid"]
    item("Zaterdag", theme_group=body(ARMOEDE), author=elsewhere, moment=NOW + 3 * DAY)
    sunday_night = timezone.make_aware(datetime.datetime(2026, 3, 15, 23, 59))
    assert digests_send(now=sunday_night).sent == []
    monday = timezone.make_aware(datetime.datetime(2026, 3, 16, 0, 1))
    assert digests_send(now=monday).sent == ["lid"]
    assert "Zaterdag" in mail.outbox[-1].body and len(mail.outbox) == 2
    assert period_start("weekly", sunday_night) == timezone.make_aware(datetime.datetime(2026, 3, 9))


def test_nothing_new_means_no_mail(member, elsewhere):
    subscription = subscribe(member)
    item("Elders", theme_group=body(WONEN), author=elsewhere)
    run = digests_send(now=NOW)
    assert run.sent == [] and run.empty == ["lid"] and mail.outbox == []
    subscription.refresh_from_db()
    assert subscription.last_sent_at is None


def test_no_digest_for_none_inactive_or_roleless_users(news, member, elsewhere, make_user):
    subscribe(member, DigestFrequency.NONE)
    other = person_with_account(function="civil_servant", username="inactief", name="Inactief Lid")
    seat(other, ARMOEDE)
    other.user.is_active = False
    other.user.save()
    subscribe(other)
    roleless = make_user("zomaar")
    roleless.email = "zomaar@example.org"
    roleless.save()
    subscribe(roleless)
    run = digests_send(now=NOW)
    assert run.sent == [] and run.skipped == ["zomaar"] and mail.outbox == []


def test_the_task_sends_the_due_digests(news, member):
    subscribe(member)
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = digests_send_task.enqueue(frequency="daily", now=NOW.isoformat())
    assert result.return_value["sent"] == ["lid"]
    assert len(mail.outbox) == 1


def test_a_failed_send_is_reported_and_tried_again(news, member, settings):
    subscription = subscribe(member)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("send_digests", "--now", NOW.isoformat(), stdout=io.StringIO(), stderr=err)
    assert "failed: lid" in err.getvalue()
    subscription.refresh_from_db()
    assert subscription.last_sent_at is None


def test_the_command_refuses_a_bad_time(db):
    with pytest.raises(CommandError):
        call_command("send_digests", "--now", "gisteren", stdout=io.StringIO())


def test_sending_costs_a_bounded_number_of_queries_per_user(news, member, elsewhere):
    subscribe(member)
    with CaptureQueriesContext(connection) as few:
        digests_send(now=NOW)
    for n in range(30):
        item(f"Stuk {n}", theme_group=body(ARMOEDE), author=elsewhere, moment=NOW + DAY - HOUR)
    with CaptureQueriesContext(connection) as many:
        digests_send(now=NOW + DAY)
    assert len(many) <= len(few) + 1, (len(few), len(many))  # + the count of the section that overflows


# --- the settings page ------------------------------------------------------------------------------


def test_the_settings_page_creates_the_subscription_and_saves_the_choice(member, client):
    url = reverse("knowledge:digest_settings")
    assert url == "/mijn/samenvatting/"
    client.force_login(member.user)
    response = client.get(url)
    assert response.status_code == 200
    subscription = DigestSubscription.objects.get(user=member.user)
    assert subscription.frequency == DigestFrequency.NONE  # nobody gets mail without choosing it
    html = response.content.decode()
    assert 'data-testid="digest-group" data-slug="themagroep-armoede-en-schulden"' in html
    assert re.search(r'value="none"[^>]*checked', html)
    response = client.post(url, {"frequency": "weekly"})
    assert response.status_code == 302 and response["Location"] == url
    subscription.refresh_from_db()
    assert subscription.frequency == DigestFrequency.WEEKLY
    html = client.get(url).content.decode()
    assert re.search(r'value="weekly"[^>]*checked', html) and 'data-frequency="weekly"' in html
    assert DigestSubscription.objects.filter(user=member.user).count() == 1


def test_a_bad_choice_is_refused_naming_the_field(member, client):
    client.force_login(member.user)
    response = client.post(reverse("knowledge:digest_settings"), {"frequency": "hourly"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-frequency"' in html and 'href="#id_frequency_0"' in html
    assert DigestSubscription.objects.get(user=member.user).frequency == DigestFrequency.NONE


def test_who_may_open_the_settings_page(member, partner, make_user, client):
    url = reverse("knowledge:digest_settings")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/?next=")
    for user, status in ((partner.user, 200), (make_user("bureau", AccountRole.BUREAU), 200),
                         (make_user("zomaar"), 403)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_the_settings_form_needs_its_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    client.get(reverse("knowledge:digest_settings"))
    assert client.post(reverse("knowledge:digest_settings"), {"frequency": "daily"}).status_code == 403
    assert DigestSubscription.objects.get(user=member.user).frequency == DigestFrequency.NONE


def test_the_settings_page_runs_constant_queries(member, elsewhere, client):
    client.force_login(member.user)
    url = reverse("knowledge:digest_settings")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for slug in (WONEN, ARBEIDSMARKT):
        seat(member, slug)
    with CaptureQueriesContext(connection) as more:
        html = client.get(url).content.decode()
    assert html.count('data-testid="digest-group"') == 3
    assert len(more) == len(few)


# --- unsubscribing ------------------------------------------------------------------------------------


def test_unsubscribe_by_link_shows_a_confirmation_then_stops_on_post(member):
    subscription = subscribe(member, DigestFrequency.WEEKLY)
    client = Client(enforce_csrf_checks=True)  # no session, no CSRF cookie: the token is the key
    url = f"/samenvatting/afmelden/{subscription.unsubscribe_token}/"
    assert reverse("knowledge:digest_unsubscribe", kwargs={"token": subscription.unsubscribe_token}) == url
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="unsubscribe-form"' in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer" and "no-cache" in response["Cache-Control"]
    subscription.refresh_from_db()
    assert subscription.frequency == DigestFrequency.WEEKLY  # opening the link (or a mail scanner) changes nothing
    response = client.post(url)
    assert response.status_code == 200 and 'data-testid="unsubscribed"' in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.frequency == DigestFrequency.NONE
    assert 'data-testid="already-stopped"' in client.get(url).content.decode()


def test_one_click_unsubscribe_rfc_8058(news, member, smtp_server):
    subscription = subscribe(member)
    digests_send(now=NOW)
    message = smtp_server[0]
    link = message["List-Unsubscribe"].strip().removeprefix("<").removesuffix(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client = Client(enforce_csrf_checks=True)
    response = client.post(link.removeprefix(BASE), data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.frequency == DigestFrequency.NONE
    assert digests_send(now=NOW + DAY).sent == [] and len(smtp_server) == 1


def test_an_unknown_unsubscribe_token_is_404(member):
    subscription = subscribe(member)
    client = Client(enforce_csrf_checks=True)
    for token in ("niet-bestaand", subscription.unsubscribe_token + "x", "x" * 200):
        url = f"/samenvatting/afmelden/{token}/"
        assert client.get(url).status_code == 404
        assert client.post(url, data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded").status_code == 404
    subscription.refresh_from_db()
    assert subscription.frequency == DigestFrequency.DAILY


def test_only_the_unsubscribe_view_is_csrf_exempt():
    from stedennet.knowledge import views_digests

    assert getattr(views_digests.digest_unsubscribe, "csrf_exempt", False) is True
    assert not getattr(views_digests.digest_settings, "csrf_exempt", False)
