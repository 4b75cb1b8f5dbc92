"""Alerts to the owning theme groups: who gets one, at once or in the digest, one mail per item
through a real SMTP server, never twice whatever the number of syncs."""

import datetime

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from stedennet.advocacy import services
from stedennet.advocacy.constants import AlertMode, AlertOn, ItemStatus
from stedennet.advocacy.matching import match_pending
from stedennet.advocacy.models import Alert, AlertChoice, DossierItem
from stedennet.advocacy.tests import factories as f
from stedennet.governance.models import Position, Visibility
from stedennet.governance.tests.factories import person_with_account
from stedennet.knowledge.digests import digests_send
from stedennet.knowledge.models import DigestFrequency, DigestSubscription
from stedennet.parliament.models import Zaak
from stedennet.registry.models import PartnerOrganisation

pytestmark = pytest.mark.usefixtures("g40_bodies")


def member_of(slug: str, name: str):
    person = person_with_account(name=name, email=f"{name.lower().replace(' ', '.')}@gemeente.example.nl")
    Position.objects.create(person=person, body=f.body(slug), start_date=timezone.localdate() - datetime.timedelta(30))
    return person


def confirm_all():
    for item in DossierItem.objects.filter(status=ItemStatus.SUGGESTED):
        services.item_decide(item=item, status=ItemStatus.CONFIRMED)


def test_a_confirmed_item_alerts_each_member_of_the_owning_group_once_through_smtp(smtp_server):
    anna, bram = member_of(f.WONEN, "Anna Wonen"), member_of(f.WONEN, "Bram Wonen")
    member_of(f.MOBILITEIT, "Carla Mobiliteit")
    former = member_of(f.WONEN, "Dirk Oud")
    Position.objects.filter(person=former).update(end_date=timezone.localdate() - datetime.timedelta(1))
    subject = f.dossier()
    f.rule(subject, terms="woningbouw")
    f.zaak("Motie van het lid Jansen over woningbouw")
    with TestCase.captureOnCommitCallbacks(execute=True):
        match_pending()
    assert smtp_server == []  # suggested: the group chose to hear of confirmed items only
    with TestCase.captureOnCommitCallbacks(execute=True):
        confirm_all()
    assert sorted(message["X-Envelope-To"] for message in smtp_server) == sorted([anna.email, bram.email])
    message = smtp_server[0]
    assert "Motie van het lid Jansen over woningbouw" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    item = DossierItem.objects.get()
    link = f"{subject.get_absolute_url()}#item-{item.pk}"
    assert link in text and link in html and "term “woningbouw”" in text
    # Later syncs bring the same case again (a new actor, the case stored again): nobody hears of it twice.
    with TestCase.captureOnCommitCallbacks(execute=True):
        f.submitter(Zaak.objects.get(), "A. Jansen", "GL-PvdA")
        Zaak.objects.update(synced_at=timezone.now())
        match_pending()
        match_pending()
    assert len(smtp_server) == 2
    assert Alert.objects.count() == 2


def test_a_group_that_chose_so_hears_of_suggestions_and_not_again_at_confirmation():
    member_of(f.WONEN, "Anna Wonen")
    subject = f.dossier(alert_on=AlertOn.SUGGESTED)
    f.rule(subject, terms="woningbouw")
    f.zaak("Motie over woningbouw")
    with TestCase.captureOnCommitCallbacks(execute=True):
        match_pending()
    assert len(mail.outbox) == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        confirm_all()
    assert len(mail.outbox) == 1


def test_who_may_not_see_the_dossier_gets_no_alert():
    outsider = person_with_account(name="Partner Wonen", email="partner@example.org",
                                   partner=PartnerOrganisation.objects.first())
    Position.objects.create(person=outsider, body=f.body(f.WONEN), start_date=timezone.localdate())
    member = member_of(f.WONEN, "Anna Wonen")
    subject = f.dossier(visibility=Visibility.MEMBERS)
    f.rule(subject, terms="woningbouw")
    f.zaak("Motie over woningbouw")
    with TestCase.captureOnCommitCallbacks(execute=True):
        match_pending()
        confirm_all()
    assert [message.to for message in mail.outbox] == [[member.email]]


def test_alerts_in_the_digest_go_out_once_in_the_next_digest():
    anna = member_of(f.WONEN, "Anna Wonen")
    AlertChoice.objects.create(user=anna.user, mode=AlertMode.DIGEST)
    DigestSubscription.objects.create(user=anna.user, frequency=DigestFrequency.DAILY)
    subject = f.dossier()
    f.rule(subject, terms="woningbouw")
    f.zaak("Motie over woningbouw")
    with TestCase.captureOnCommitCallbacks(execute=True):
        match_pending()
        confirm_all()
    assert mail.outbox == []
    assert Alert.objects.get().mode == AlertMode.DIGEST
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = digests_send(frequency=DigestFrequency.DAILY, now=tomorrow)
    assert run.sent == [anna.user.get_username()]
    digest = mail.outbox[0]
    assert "Motie over woningbouw" in digest.body and subject.title in digest.body
    assert Alert.objects.get().sent_at is not None
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = digests_send(frequency=DigestFrequency.DAILY, now=tomorrow + datetime.timedelta(days=1))
    assert again.sent == [] and len(mail.outbox) == 1


def test_digest_choice_without_a_digest_means_at_once():
    anna = member_of(f.WONEN, "Anna Wonen")
    AlertChoice.objects.create(user=anna.user, mode=AlertMode.DIGEST)
    subject = f.dossier()
    f.rule(subject, terms="woningbouw")
    f.zaak("Motie over woningbouw")
    with TestCase.captureOnCommitCallbacks(execute=True):
        match_pending()
        confirm_all()
    assert [message.to for message in mail.outbox] == [[anna.email]]


def test_no_alerts_is_a_choice():
    anna = member_of(f.WONEN, "Anna Wonen")
    AlertChoice.objects.create(user=anna.user, mode=AlertMode.NONE)
    subject = f.dossier()
    f.rule(subject, terms="woningbouw")
    f.zaak("Motie over woningbouw")
    with TestCase.captureOnCommitCallbacks(execute=True):
        match_pending()
        confirm_all()
    assert mail.outbox == []


def test_the_alert_choice_page(client: Client):
    anna = member_of(f.WONEN, "Anna Wonen")
    subject = f.dossier()
    url = reverse("advocacy_alerts:settings")
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(anna.user)
    page = client.get(url)
    assert page.status_code == 200 and subject.title in page.content.decode()
    assert client.post(url, {"mode": "sometimes"}).status_code == 400
    assert client.post(url, {"mode": AlertMode.DIGEST}).status_code == 302
    assert AlertChoice.objects.get(user=anna.user).mode == AlertMode.DIGEST
