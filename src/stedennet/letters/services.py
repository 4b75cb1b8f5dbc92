"""The writes of the member letter: numbered drafts, their edits, the test send, the send step,
withdrawing a draft; hard bounces on addresses; subscribing with double opt-in and unsubscribing.

**Numbers.** A letter gets its number when its draft is created (``letter_create``): the year's
``LetterSequence`` row is locked (``SELECT … FOR UPDATE``; created first if it is the year's
first letter), its counter moved one up and the letter saved, in one transaction; the unique
constraint on (year, number) is the backstop. So numbers are gapless per year and never reused,
whatever runs at the same time; a withdrawn draft keeps its number (shown as withdrawn in the
back office).

**Sending.** ``letter_send`` locks the letter's row; a letter that is sending or sent already is
returned as it is (pressing send twice sends nothing twice; a second request waits for the lock
and then finds it sending). Otherwise the plan of ``selectors.send_plan`` is checked (no
recipients: ``no_recipients``; an address that is not an address: ``invalid_address``, naming it
and its municipality), the mail rendered (``rendering.mail_parts``), and in the same transaction
``stedennet.mail.bulk.mailing_create`` and ``mailing_start`` are called (the mailing's background
run starts after the commit) and the letter moves to *sending*. ``letter_finish`` moves it to *sent*
once the mailing has nothing left to go (the progress page calls it as it polls).

Statuses change only through ``_transition`` along ``constants.TRANSITIONS`` (letters) and
``SUBSCRIBER_TRANSITIONS`` (subscribers). Every change of a letter leaves an audit entry (Wagtail's
log) with who did it. Mail (the test send, the confirmation of a subscription) goes through
Django's mail API, so through the outbox, delivered after the commit.
"""

import datetime

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from stedennet.letters.compose import compose, draft_body
from stedennet.letters.constants import (
    ADDRESS_KEY,
    CONFIRMATION_INTERVAL_MINUTES,
    LOG_BOUNCED,
    LOG_CREATED,
    LOG_FINISHED,
    LOG_SENT,
    LOG_TEST_SENT,
    LOG_WITHDRAWN,
    PUBLISHED,
    SUBSCRIBER_KEY,
    SUBSCRIBER_TRANSITIONS,
    TRANSITIONS,
    LetterStatus,
    SubscriberStatus,
)
from stedennet.letters.models import DistributionAddress, Letter, LetterSequence, Subscriber, new_token
from stedennet.letters.rendering import mail_parts, personalised
from stedennet.letters.selectors import absolute_url, draft_since, letter_progress, send_plan
from stedennet.registry.models import Network
from stedennet.registry.selectors import network_current
from stedennet.web.refusals import Refused

__all__ = [
    "LetterRefused",
    "address_bounced",
    "letter_create",
    "letter_draft_create",
    "letter_finish",
    "letter_record_sent",
    "letter_send",
    "letter_test_send",
    "letter_update",
    "letter_withdraw",
    "subscriber_confirm",
    "subscriber_subscribe",
    "subscriber_unsubscribe",
]

MAX_NUMBER = 999
BOUNCE_REASON_LENGTH = 2000
# The tags and attributes a letter's rich text may hold (what the editor's features make).
BODY_TAGS = {"p", "h2", "h3", "b", "strong", "i", "em", "a", "ol", "ul", "li", "hr", "br"}
BODY_ATTRIBUTES = {"a": {"href", "linktype", "id"}}


class LetterRefused(Refused):
    """A change the rules of the member letter do not allow; ``code`` says which rule."""


def _clean_body(html: str) -> str:
    return nh3.clean(html or "", tags=BODY_TAGS, attributes=BODY_ATTRIBUTES, generic_attribute_prefixes={"data-"},
                     url_schemes={"http", "https", "mailto"}, link_rel=None, strip_comments=True).strip()


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise LetterRefused(_("Give the letter a title."), "title_required", field="title")
    if len(title) > 200:
        raise LetterRefused(_("The title is longer than 200 characters."), "title_too_long", field="title")
    return title


def _transition(letter: Letter, status: str) -> None:
    if status not in TRANSITIONS.get(letter.status, frozenset()):
        raise LetterRefused(_("A letter that is %(current)s cannot become %(new)s."), "status_not_allowed",
                            {"current": letter.get_status_display().lower(),
                             "new": str(LetterStatus(status).label).lower()})
    letter.status = status


def _subscriber_transition(subscriber: Subscriber, status: str) -> None:
    if status not in SUBSCRIBER_TRANSITIONS.get(subscriber.status, frozenset()):
        raise LetterRefused(_("A subscription that is %(current)s cannot become %(new)s."), "status_not_allowed",
                            {"current": subscriber.get_status_display().lower(),
                             "new": str(SubscriberStatus(status).label).lower()})
    subscriber.status = status


# --- drafts ---------------------------------------------------------------------------------

def _lock_sequence(year: int) -> LetterSequence:
    LetterSequence.objects.get_or_create(year=year)
    return LetterSequence.objects.select_for_update().get(year=year)


@transaction.atomic
def letter_create(*, title: str, body: str = "", composed_from: datetime.datetime | None = None,
                  composed_until: datetime.datetime | None = None, is_demo: bool = False, by=None,
                  now: datetime.datetime | None = None) -> Letter:
    """A new draft with the next number of the year of ``now`` ("Lbr. 26/001")."""
    title = _clean_title(title)
    now = now or timezone.now()
    sequence = _lock_sequence(timezone.localdate(now).year)
    if sequence.last_number >= MAX_NUMBER:
        raise LetterRefused(_("This year has had %(count)s letters: the numbers have run out."), "numbers_run_out",
                            {"count": MAX_NUMBER})
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    letter = Letter.objects.create(year=sequence.year, number=sequence.last_number, title=title,
                                   body=_clean_body(body), composed_from=composed_from,
                                   composed_until=composed_until, created_by=by, is_demo=is_demo)
    log(instance=letter, action=LOG_CREATED, user=by, data={"reference": letter.reference})
    return letter


def letter_draft_create(*, by=None, now: datetime.datetime | None = None) -> Letter:
    """A new numbered draft composed from what happened since the previous letter (``compose``),
    in the site's language, for the bureau to edit."""
    now = now or timezone.now()
    since = min(draft_since(now), now)
    with translation.override(settings.LANGUAGE_CODE):
        sections = compose(since, now)
        title = _("News from the network, %(month)s") % {"month": date_format(timezone.localdate(now), "F Y")}
        body = draft_body(sections, since=since)
    return letter_create(title=title, body=body, composed_from=since, composed_until=now, by=by, now=now)


@transaction.atomic
def letter_update(letter: Letter, *, title: str, body: str, by=None) -> Letter:
    """Change a draft's title and text; a letter that went out (or was withdrawn) is never changed."""
    stored = Letter.objects.select_for_update().get(pk=letter.pk)
    if stored.status != LetterStatus.DRAFT:
        raise LetterRefused(_("Only a draft can be changed; this letter is %(status)s."), "not_draft",
                            {"status": stored.get_status_display().lower()})
    stored.title, stored.body = _clean_title(title), _clean_body(body)
    stored.save(update_fields=["title", "body"])
    log(instance=stored, action="wagtail.edit", user=by)
    return stored


@transaction.atomic
def letter_withdraw(letter: Letter, *, by=None, now: datetime.datetime | None = None) -> Letter:
    """A draft that will not be sent: it keeps its number and shows as withdrawn."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    _transition(letter, LetterStatus.WITHDRAWN)
    letter.withdrawn_at = now or timezone.now()
    letter.save(update_fields=["status", "withdrawn_at"])
    log(instance=letter, action=LOG_WITHDRAWN, user=by, data={"reference": letter.reference})
    return letter


# --- the test send --------------------------------------------------------------------------

@transaction.atomic
def letter_test_send(letter: Letter, *, to: str, by=None) -> None:
    """The letter's mail to ``to`` alone (the bureau's own address), as a member's college or
    griffie receives it, with "TEST" before the subject; through the outbox."""
    to = (to or "").strip()
    if not to:
        raise LetterRefused(_("Your account has no e-mail address to send the test to."), "no_address", field="to")
    try:
        validate_email(to)
    except ValidationError:
        raise LetterRefused(_("“%(address)s” is not an e-mail address."), "invalid_address", {"address": to},
                            field="to") from None
    parts = mail_parts(letter)
    text, html = personalised(parts)
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"[{_('TEST')}] {parts.subject}"
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to],
                                     headers={"Auto-Submitted": "auto-generated"})
    message.attach_alternative(html, "text/html")
    message.send()
    log(instance=letter, action=LOG_TEST_SENT, user=by, data={"to": to})


# --- sending --------------------------------------------------------------------------------

def letter_send(letter: Letter, *, by=None, network: Network | None = None,
                now: datetime.datetime | None = None) -> Letter:
    """Send ``letter`` to everyone on the plan, exactly once: the mass mailing is made and
    started in this one transaction (see the module's docstring). Refusals: ``status_not_allowed``
    (withdrawn), ``empty_letter``, ``no_network``, ``no_recipients``, ``invalid_address`` (params:
    the address and its municipality), and the mailing's own (``mail.bulk.MailingRefused``'s codes)."""
    from stedennet.mail.bulk import BulkRecipient, MailingRefused, mailing_create, mailing_start

    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status in PUBLISHED:
            return letter  # pressed twice: it is on its way already
        _transition(letter, LetterStatus.SENDING)
        if not (letter.body or "").strip():
            raise LetterRefused(_("The letter has no text."), "empty_letter", field="body")
        network = network or network_current()
        if network is None:
            raise LetterRefused(_("No network is loaded."), "no_network")
        now = now or timezone.now()
        plan = send_plan(network=network, day=timezone.localdate(now))
        if plan.refusal == "no_recipients":
            raise LetterRefused(_("The letter has no recipients: no member has an address on the distribution "
                                  "list and nobody subscribed."), "no_recipients")
        if plan.invalid:
            wrong = plan.invalid[0]
            raise LetterRefused(_("“%(address)s” (%(where)s) is not an e-mail address."), "invalid_address",
                                {"address": wrong.address, "where": wrong.municipality or _("subscriber")})
        letter.sent_at, letter.sent_by = now, by
        parts = mail_parts(letter)
        recipients = [
            BulkRecipient(address=recipient.address, name=recipient.name, key=recipient.key,
                          unsubscribe_url=absolute_url(reverse("letters:unsubscribe",
                                                                kwargs={"token": recipient.subscriber_token}))
                          if recipient.is_subscriber else "")
            for recipient in plan.recipients
        ]
        try:
            mailing = mailing_create(subject=parts.subject, text=parts.text, html=parts.html, recipients=recipients,
                                     list_id=parts.list_id, unsubscribe_text=parts.unsubscribe_text,
                                     unsubscribe_html=parts.unsubscribe_html, source=letter, user=by)
            mailing = mailing_start(mailing, user=by)
        except MailingRefused as refused:
            raise LetterRefused(str(refused), refused.code, getattr(refused, "params", None)) from refused
        letter.mailing = mailing
        letter.save(update_fields=["status", "sent_at", "sent_by", "mailing"])
        log(instance=letter, action=LOG_SENT, user=by, data={
            "reference": letter.reference, "recipients": plan.total, "subscribers": plan.subscribers,
            "without_griffie": [m.cbs_code for m in plan.without_griffie],
            "without_college": [m.cbs_code for m in plan.without_college],
        })
    return letter


@transaction.atomic
def letter_finish(letter: Letter, *, now: datetime.datetime | None = None) -> Letter:
    """A letter that is sending becomes sent once its mailing has nothing left to go."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)  # its mailing read fresh below
    if letter.status != LetterStatus.SENDING:
        return letter
    progress = letter_progress(letter)
    if not progress.done:
        return letter
    _transition(letter, LetterStatus.SENT)
    letter.finished_at = progress.finished_at or now or timezone.now()
    letter.save(update_fields=["status", "finished_at"])
    log(instance=letter, action=LOG_FINISHED, user=None, data={
        "sent": progress.sent, "bounced": progress.bounced, "failed": progress.failed, "total": progress.total})
    return letter


@transaction.atomic
def letter_record_sent(letter: Letter, *, sent_at: datetime.datetime, by=None) -> Letter:
    """A draft that was sent outside the platform (a letter from before it, or the demo's): it
    becomes sent at ``sent_at`` without a mailing, and is in the archive."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    _transition(letter, LetterStatus.SENDING)
    _transition(letter, LetterStatus.SENT)
    letter.sent_at = letter.finished_at = sent_at
    letter.sent_by = by
    letter.save(update_fields=["status", "sent_at", "finished_at", "sent_by"])
    log(instance=letter, action=LOG_SENT, user=by, data={"reference": letter.reference, "recorded": True})
    return letter


# --- bounces --------------------------------------------------------------------------------

@transaction.atomic
def address_bounced(*, key: str, error: str = "", now: datetime.datetime | None = None):
    """Record a hard bounce on the distribution address or subscriber that ``key`` names
    ("address:12", "subscriber:5"): it receives nothing more until the bureau clears it. The
    address or subscriber, or None for a key that is not ours."""
    kind, _sep, pk = (key or "").partition(":")
    if not pk.isdigit():
        return None
    model = {ADDRESS_KEY: DistributionAddress, SUBSCRIBER_KEY: Subscriber}.get(kind)
    if model is None:
        return None
    found = model.objects.select_for_update().filter(pk=int(pk)).first()
    if found is None:
        return None
    if found.bounced_at is None:
        found.bounced_at = now or timezone.now()
    found.bounce_reason = (error or "")[:BOUNCE_REASON_LENGTH]
    found.save(update_fields=["bounced_at", "bounce_reason"])
    log(instance=found, action=LOG_BOUNCED, user=None, data={"reason": found.bounce_reason[:200]})
    return found


# --- subscribers ----------------------------------------------------------------------------

def _send_confirmation(subscriber: Subscriber, now: datetime.datetime) -> None:
    network = network_current()
    with translation.override(settings.LANGUAGE_CODE):
        name = network.name if network else settings.WAGTAIL_SITE_NAME
        context = {"subscriber": subscriber, "network_name": name,
                   "confirm_url": absolute_url(subscriber.get_confirm_url())}
        subject = _("Confirm your subscription to the member letter of %(network)s") % {"network": name}
        text = render_to_string("letters/mail/confirm.txt", context).strip() + "\n"
    EmailMessage(subject=subject, body=text, to=[subscriber.email],
                 headers={"Auto-Submitted": "auto-generated"}).send()
    subscriber.confirmation_sent_at = now
    subscriber.save(update_fields=["confirmation_sent_at"])


def subscriber_subscribe(*, email: str, name: str = "", now: datetime.datetime | None = None) -> Subscriber:
    """Someone asks for the member letter: a pending subscription and a mail with the
    confirmation link (double opt-in). Asking again while pending sends the mail again (at most
    every ``CONFIRMATION_INTERVAL_MINUTES``); a confirmed subscriber gets no mail (the page
    answers the same, so it tells nobody who subscribed); an unsubscribed one starts again
    with a new link."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise LetterRefused(_("“%(address)s” is not an e-mail address."), "invalid_address", {"address": email},
                            field="email") from None
    name = " ".join((name or "").split())[:200]
    now = now or timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _subscribe(email, name, now)
        except IntegrityError:  # someone subscribed the same address at the same moment: take theirs
            continue
    raise LetterRefused(_("Please try again."), "try_again", field="email")


def _subscribe(email: str, name: str, now: datetime.datetime) -> Subscriber:
    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if subscriber is None:
        subscriber = Subscriber.objects.create(email=email, name=name)
        _send_confirmation(subscriber, now)
        return subscriber
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    if name:
        subscriber.name = name
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        _subscriber_transition(subscriber, SubscriberStatus.PENDING)
        subscriber.token, subscriber.unsubscribed_at = new_token(), None
        subscriber.save(update_fields=["status", "token", "unsubscribed_at", "name"])
        _send_confirmation(subscriber, now)
        return subscriber
    subscriber.save(update_fields=["name"])
    interval = datetime.timedelta(minutes=CONFIRMATION_INTERVAL_MINUTES)
    if subscriber.confirmation_sent_at is None or now - subscriber.confirmation_sent_at >= interval:
        _send_confirmation(subscriber, now)
    return subscriber


@transaction.atomic
def subscriber_confirm(subscriber: Subscriber, *, now: datetime.datetime | None = None) -> Subscriber:
    """The confirmation link was followed: from now on the subscriber receives the letter.
    Confirming twice changes nothing; an unsubscribed subscriber must subscribe again
    (``not_pending``)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    if subscriber.status != SubscriberStatus.PENDING:
        raise LetterRefused(_("This subscription was stopped; subscribe again to receive the letter."),
                            "not_pending")
    _subscriber_transition(subscriber, SubscriberStatus.CONFIRMED)
    subscriber.confirmed_at = now or timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at"])
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(subscriber: Subscriber, *, now: datetime.datetime | None = None) -> Subscriber:
    """No more letters (the unsubscribe link, one-click or by its button); twice changes nothing."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return subscriber
    _subscriber_transition(subscriber, SubscriberStatus.UNSUBSCRIBED)
    subscriber.unsubscribed_at = now or timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber
