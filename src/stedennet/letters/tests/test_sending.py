"""Who receives a letter, what pressing send does, and the mail itself.

Recipients: every active, not bounced address on the distribution lists of the members (college,
griffie, other), plus confirmed, not bounced subscribers; each address once. Before sending, the
members without a griffie (or college) address are named. A letter without recipients, or with an
address that is not an address, is refused by code. Sending makes and starts the mass mailing in
one transaction; pressing twice sends nothing twice. Hard bounces are recorded on the address.
The mail: multipart text and HTML, table layout with inline styles and no images, the number and
date in the subject, the unsubscribe link and List-Unsubscribe headers for subscribers only."""

import datetime
import email
import email.policy
import threading
from email.utils import parseaddr

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from stedennet.letters import selectors, services
from stedennet.letters.constants import AddressRole, LetterStatus, SubscriberStatus
from stedennet.letters.models import DistributionAddress, Letter, Subscriber
from stedennet.letters.rendering import mail_parts, personalised
from stedennet.letters.tests.factories import address, addresses_for_members, g40, member_list, subscriber
from stedennet.mail.constants import MailingStatus, RecipientStatus
from stedennet.mail.models import Mailing, MailingRecipient
from stedennet.mail.signals import recipient_bounced

ALMERE, ZWOLLE, EMMEN = "GM0034", "GM0193", "GM0114"
BASE = "https://leden.example.org"


def committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def draft(g40):
    return services.letter_create(title="Nieuws uit het netwerk", body=(
        '<h2>Besluiten</h2><ul><li><b><a href="/lobby/woningbouw/">Woningbouw</a></b>: vastgesteld.</li></ul>'
        "<p>Tot de volgende brief.</p>"))


@pytest.fixture
def lists(g40):
    return addresses_for_members(without_griffie=(ALMERE, ZWOLLE), without_college=(EMMEN,))


# --- recipients -------------------------------------------------------------------------------

def test_the_recipients_are_the_members_addresses_and_confirmed_subscribers(lists):
    members = member_list()
    non_member = type(members[0]).objects.exclude(pk__in=[m.pk for m in members]).order_by("pk").first()
    address(non_member, AddressRole.GRIFFIE)  # not a member: never a recipient
    other = address(members[0], AddressRole.OTHER, email="coordinator@example.org")
    inactive = address(members[1], AddressRole.OTHER, email="oud@example.org", is_active=False)
    bounced = address(members[2], AddressRole.OTHER, email="weg@example.org", bounced_at=timezone.now())
    confirmed = subscriber("lezer@example.org")
    subscriber("wacht@example.org", SubscriberStatus.PENDING)
    subscriber("gestopt@example.org", SubscriberStatus.UNSUBSCRIBED)
    subscriber("stuk@example.org", bounced_at=timezone.now())
    subscriber(other.email.upper())  # the same address as a distribution address: counted once

    recipients = selectors.letter_recipients(network=g40())
    addresses = [r.address.lower() for r in recipients]
    assert len(addresses) == len(set(addresses))
    expected = {a.email for a in lists} | {other.email, confirmed.email}
    assert set(addresses) == expected
    assert inactive.email not in addresses and bounced.email not in addresses
    keys = {r.address: r.key for r in recipients}
    assert keys[other.email] == f"address:{other.pk}" and keys[confirmed.email] == f"subscriber:{confirmed.pk}"
    assert len(members) == 41 and len(lists) == 41 * 2 - 3


def test_the_plan_names_the_members_without_a_griffie_or_college_address(lists, django_assert_max_num_queries):
    subscriber()
    network = g40()
    with django_assert_max_num_queries(3):
        plan = selectors.send_plan(network=network)
    assert sorted(m.cbs_code for m in plan.without_griffie) == [ALMERE, ZWOLLE]
    assert [m.cbs_code for m in plan.without_college] == [EMMEN]
    assert plan.by_role == {AddressRole.COLLEGE: 40, AddressRole.GRIFFIE: 39, AddressRole.OTHER: 0}
    assert (plan.subscribers, plan.total, plan.refusal) == (1, 80, None)


def test_the_plan_counts_the_same_whatever_the_number_of_addresses(g40, django_assert_max_num_queries):
    addresses_for_members()
    for municipality in member_list()[:20]:
        address(municipality, AddressRole.OTHER)
    with django_assert_max_num_queries(3):
        assert selectors.send_plan(network=g40).total == 102


# --- refusals -------------------------------------------------------------------------------------

def test_a_letter_without_recipients_is_refused(draft):
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_send(draft)
    assert refused.value.code == "no_recipients"
    draft.refresh_from_db()
    assert (draft.status, draft.mailing_id, draft.sent_at) == (LetterStatus.DRAFT, None, None)
    assert not Mailing.objects.exists()


def test_an_address_that_is_not_an_address_is_refused_and_named(draft, lists):
    wrong = DistributionAddress.objects.filter(role=AddressRole.GRIFFIE).first()
    DistributionAddress.objects.filter(pk=wrong.pk).update(email="griffie at almere")
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_send(draft)
    assert refused.value.code == "invalid_address"
    assert refused.value.params["address"] == "griffie at almere"
    assert refused.value.params["where"] == str(wrong.municipality)
    assert selectors.send_plan(network=g40()).refusal == "invalid_address"
    assert not Mailing.objects.exists() and Letter.objects.get().status == LetterStatus.DRAFT


def test_an_empty_or_withdrawn_letter_is_refused(g40, lists):
    empty = services.letter_create(title="Leeg")
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_send(empty)
    assert refused.value.code == "empty_letter"
    withdrawn = services.letter_withdraw(services.letter_create(title="Weg", body="<p>x</p>"))
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_send(withdrawn)
    assert refused.value.code == "status_not_allowed"


# --- sending --------------------------------------------------------------------------------------

def test_sending_makes_and_starts_one_mailing_and_pressing_twice_sends_nothing_twice(draft, lists, make_user,
                                                                                   settings):
    settings.STEDENNET_BASE_URL = BASE
    bureau = make_user("bureau")
    reader = subscriber("lezer@example.org")
    with committed():
        letter = services.letter_send(draft, by=bureau)
        again = services.letter_send(draft, by=bureau)
    assert again.mailing_id == letter.mailing_id
    assert (letter.status, letter.sent_by) == (LetterStatus.SENDING, bureau)
    mailing = Mailing.objects.get()
    assert mailing.source == letter
    assert letter.reference in mailing.subject
    recipients = MailingRecipient.objects.filter(mailing=mailing)
    assert recipients.count() == 80
    assert recipients.get(address=reader.email).unsubscribe_url == f"{BASE}/ledenbrieven/afmelden/{reader.token}/"
    assert not recipients.exclude(address=reader.email).exclude(unsubscribe_url="").exists()
    # The tests deliver through Django's locmem backend: one message per recipient, and no more.
    assert sorted(parseaddr(message.to[0])[1] for message in mail.outbox) == sorted(r.address for r in recipients)
    assert recipients.filter(status=RecipientStatus.SENT).count() == 80
    with committed():
        services.letter_send(letter, by=bureau)
    assert len(mail.outbox) == 80 and Mailing.objects.count() == 1
    # The run that finished the mailing made the letter sent (mail.signals.mailing_finished).
    assert type(letter).objects.get(pk=letter.pk).status == LetterStatus.SENT
    finished = services.letter_finish(letter)
    assert finished.status == LetterStatus.SENT and finished.finished_at is not None
    progress = selectors.letter_progress(finished)
    assert (progress.total, progress.sent, progress.to_go, progress.done) == (80, 80, 0, True)
    assert Mailing.objects.get().status == MailingStatus.FINISHED


def test_a_letter_still_sending_is_not_finished(draft, lists):
    letter = services.letter_send(draft)  # the commit never comes: the mailing is not sent
    assert services.letter_finish(letter).status == LetterStatus.SENDING
    assert selectors.letter_progress(letter).to_go == 79


def test_a_hard_bounce_is_recorded_on_the_address_and_it_receives_nothing_more(draft, lists):
    letter = services.letter_send(draft)
    target = lists[0]
    recipient = MailingRecipient.objects.get(mailing=letter.mailing, address=target.email)
    recipient.last_error = "550 5.1.1 mailbox unknown"
    recipient_bounced.send(sender=Mailing, mailing=letter.mailing, recipient=recipient,
                           error="550 5.1.1 mailbox unknown")
    target.refresh_from_db()
    assert target.bounced_at is not None and "5.1.1" in target.bounce_reason
    assert target.email not in [r.address for r in selectors.letter_recipients(network=g40())]
    reader = subscriber()
    recipient.key = f"subscriber:{reader.pk}"
    recipient_bounced.send(sender=Mailing, mailing=letter.mailing, recipient=recipient, error="550 no")
    reader.refresh_from_db()
    assert reader.bounced_at is not None
    assert services.address_bounced(key="somebody-else:3") is None
    assert services.address_bounced(key="address:999999") is None


# --- the mail -------------------------------------------------------------------------------------

def test_the_mail_delivered_over_smtp_is_multipart_and_subscribers_can_unsubscribe(draft, lists, smtp_server,
                                                                                 settings):
    settings.STEDENNET_BASE_URL = BASE
    reader = subscriber("lezer@example.org")
    with committed():
        letter = services.letter_send(draft)
    assert len(smtp_server) == 80
    by_address = {message["X-Envelope-To"]: message for message in smtp_server}
    college = by_address[lists[0].email]
    assert college.get_content_type() == "multipart/alternative"
    assert letter.reference in college["Subject"]
    assert college["List-Unsubscribe"] is None
    html = college.get_body(("html",)).get_content()
    text = college.get_body(("plain",)).get_content()
    assert "<table" in html and 'role="presentation"' in html and "<img" not in html
    assert "<link" not in html and "<style" not in html
    assert 'style="' in html.split("Woningbouw")[0].rsplit("<a", 1)[1]  # the link has its inline style
    assert f'href="{BASE}/lobby/woningbouw/"' in html
    assert f"Woningbouw <{BASE}/lobby/woningbouw/>" in text
    assert letter.reference in text and "%%" not in text and "%%" not in html
    assert "afmelden" not in text
    theirs = by_address[reader.email]
    unsubscribe = f"{BASE}/ledenbrieven/afmelden/{reader.token}/"
    assert theirs["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert theirs["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in theirs.get_body(("plain",)).get_content()
    assert f'href="{unsubscribe}"' in theirs.get_body(("html",)).get_content()


def test_the_subject_names_the_number_and_the_date_is_in_the_mail(draft, settings):
    settings.LANGUAGE_CODE = "en"
    parts = mail_parts(draft)
    assert parts.subject == f"Member letter {draft.reference}: Nieuws uit het netwerk"
    today = timezone.localdate()
    text, html = personalised(parts)
    assert str(today.year) in text and draft.reference in html
    assert parts.list_id.startswith("<ledenbrief.g40.") and parts.list_id.isascii()


def test_the_test_send_goes_through_the_outbox_to_one_address(draft, make_user):
    bureau = make_user("bureau")
    with committed():
        services.letter_test_send(draft, to="bureau@example.org", by=bureau)
    assert [message.to for message in mail.outbox] == [["bureau@example.org"]]
    message = mail.outbox[0]
    assert draft.reference in message.subject and message.subject.startswith("[")
    assert message.alternatives[0].mimetype == "text/html"
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    for wrong, code in (("", "no_address"), ("geen adres", "invalid_address")):
        with pytest.raises(services.LetterRefused) as refused:
            services.letter_test_send(draft, to=wrong)
        assert refused.value.code == code
    assert Subscriber.objects.count() == 0 and draft.status == LetterStatus.DRAFT


def test_a_draft_sent_later_is_dated_by_its_sending(draft, lists):
    later = timezone.now() + datetime.timedelta(days=2)
    letter = services.letter_send(draft, now=later)
    assert letter.sent_at == later
    assert str(timezone.localdate(later).day) in letter.mailing.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises writes")
def test_two_presses_at_the_same_moment_make_one_mailing(g40):
    addresses_for_members()
    letter = services.letter_create(title="Tegelijk", body="<p>x</p>")
    barrier, results, errors = threading.Barrier(2), [], []

    def press():
        try:
            barrier.wait()
            results.append(services.letter_send(letter).mailing_id)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(results)) == 1
    assert Mailing.objects.count() == 1
    assert MailingRecipient.objects.count() == 82
    assert len(mail.outbox) == 82
