"""Digests: one mail per user, daily or weekly, of what is new in their groups and in the
questions they follow or asked. The user chooses none, daily or weekly on ``/mijn/samenvatting/``;
every mail carries a one-click unsubscribe link that works without signing in.

How a run flows: ``stedennet send-digests`` (or the task ``tasks_digests.digests_send_task``) →
``digests_send(frequency, now)`` → for each frequency, the subscriptions *due* in the current
period (``due_subscriptions``: the local calendar day for daily, the ISO week from Monday for
weekly, and nothing sent since that period began) → per subscription, in its own transaction with
its row locked: checked again, ``digest_build`` (what the user may see, new since ``last_sent_at``
or else one period back, up to ``now``) → empty: no mail, nothing recorded → else
``digest_message`` (plain text and an HTML alternative, absolute links, ``List-Unsubscribe`` and
``List-Unsubscribe-Post`` headers for RFC 8058 one-click) is sent and ``last_sent_at`` set to
``now``. A second run in the same period therefore sends nothing again; a failed send rolls back
that one subscription and the run continues.

What a digest holds, strictly what the user may see (``VisibleQuerySet.visible_to`` with the
governance ``Viewer``; only members, partners and the bureau get digests at all):
- library items whose theme group or group is one of the user's bodies (current positions);
- questions addressed to one of those bodies;
- answers to questions the user follows or asked.
The user's own items, questions and answers are left out. Each section holds at most
``SECTION_LIMIT`` entries (newest first) and says how many more there are, so building a digest
costs a fixed number of queries however much is new.

Public functions: ``subscription_for``, ``subscription_set``, ``subscription_by_token``,
``unsubscribe``, ``period_start``,
``due_subscriptions``, ``digest_build``, ``digest_message``, ``digests_send``, ``absolute_url``,
``unsubscribe_url``, ``may_subscribe``, ``digest_extension_register`` (a section from an app above
knowledge, e.g. advocacy's dossier alerts).
"""

import datetime
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import ngettext

from stedennet.governance.access import Viewer, viewer_for
from stedennet.knowledge.models import Answer, DigestFrequency, DigestSubscription, LibraryItem, Question

logger = logging.getLogger(__name__)

SECTION_LIMIT = 20
PERIOD = {DigestFrequency.DAILY: datetime.timedelta(days=1), DigestFrequency.WEEKLY: datetime.timedelta(days=7)}
FREQUENCIES = (DigestFrequency.DAILY, DigestFrequency.WEEKLY)
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


# --- addresses ---------------------------------------------------------------------------------

def absolute_url(path: str) -> str:
    """``path`` on the site's public address: ``STEDENNET_BASE_URL``, else the admin base URL
    (set from the same environment variable), else the local development server."""
    base = (getattr(settings, "STEDENNET_BASE_URL", "") or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
            or DEFAULT_BASE_URL)
    return base.rstrip("/") + path


def unsubscribe_url(subscription: DigestSubscription) -> str:
    return absolute_url(reverse("knowledge:digest_unsubscribe", kwargs={"token": subscription.unsubscribe_token}))


def _object_url(obj) -> str:
    """The absolute address of an item or question."""
    return absolute_url(obj.get_absolute_url())


# --- subscriptions -----------------------------------------------------------------------------

def may_subscribe(viewer: Viewer) -> bool:
    """Members, partners and the bureau get digests; other accounts have nothing of ours to read."""
    return viewer.is_member or viewer.is_partner or viewer.is_bureau


def subscription_for(user) -> DigestSubscription:
    """The user's subscription, created on first use with no digest: each user chooses one."""
    subscription, _created = DigestSubscription.objects.get_or_create(
        user=user, defaults={"frequency": DigestFrequency.NONE})
    return subscription


def subscription_set(*, subscription: DigestSubscription, frequency: str) -> DigestSubscription:
    if frequency not in DigestFrequency.values:
        raise ValueError(f"unknown digest frequency: {frequency!r}")
    subscription.frequency = frequency
    subscription.save(update_fields=["frequency"])
    return subscription


def subscription_by_token(token: str) -> DigestSubscription | None:
    """The subscription an unsubscribe link opens; None for an unknown token."""
    if not token or len(token) > 43:
        return None
    return DigestSubscription.objects.filter(unsubscribe_token=token).first()


def unsubscribe(*, subscription: DigestSubscription) -> DigestSubscription:
    """No more digests (the one-click unsubscribe and its confirmation page)."""
    return subscription_set(subscription=subscription, frequency=DigestFrequency.NONE)


# --- periods -----------------------------------------------------------------------------------

def period_start(frequency: str, now: datetime.datetime) -> datetime.datetime:
    """The start of the period ``now`` falls in: local midnight, or Monday's local midnight."""
    day = timezone.localtime(now).date()
    if frequency == DigestFrequency.WEEKLY:
        day -= datetime.timedelta(days=day.weekday())
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _due_filter(frequency: str, now: datetime.datetime) -> Q:
    return Q(frequency=frequency) & (Q(last_sent_at__isnull=True) | Q(last_sent_at__lt=period_start(frequency, now)))


def due_subscriptions(frequency: str, now: datetime.datetime):
    """Subscriptions of ``frequency`` with nothing sent yet in the period of ``now``, of active users."""
    return (DigestSubscription.objects.filter(_due_filter(frequency, now), user__is_active=True)
            .select_related("user").order_by("pk"))


# --- building a digest -------------------------------------------------------------------------

@dataclass
class Entry:
    title: str
    url: str | None
    created_at: datetime.datetime
    context: str = ""
    excerpt: str = ""
    is_demo: bool = False
    pk: int = 0
    kind: str = ""


@dataclass
class Section:
    entries: list[Entry] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.entries)


@dataclass(frozen=True)
class DigestExtension:
    """A section that an app above knowledge adds to every digest (advocacy: dossier alerts).

    ``build(user=, viewer=, since=, until=)`` returns its ``Section`` (a fixed number of queries);
    ``delivered(user=, until=)`` runs in the transaction that records the digest as sent, so
    what it marks is never sent twice and never lost when the mail fails."""

    key: str
    title: str
    build: Callable[..., Section]
    delivered: Callable[..., None]


EXTENSIONS: dict[str, DigestExtension] = {}


def digest_extension_register(extension: DigestExtension) -> None:
    """Add a section to every digest (idempotent by ``key``)."""
    EXTENSIONS[extension.key] = extension


@dataclass
class Digest:
    since: datetime.datetime
    until: datetime.datetime
    items: Section = field(default_factory=Section)
    questions: Section = field(default_factory=Section)
    answers: Section = field(default_factory=Section)
    extras: list[tuple[DigestExtension, Section]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (self.items.total + self.questions.total + self.answers.total
                + sum(section.total for _extension, section in self.extras))

    @property
    def is_empty(self) -> bool:
        return self.total == 0


def _section(queryset, to_entry) -> Section:
    """At most ``SECTION_LIMIT`` entries: one query, and one count only when there are more."""
    rows = list(queryset[:SECTION_LIMIT + 1])
    total = len(rows) if len(rows) <= SECTION_LIMIT else queryset.count()
    return Section(entries=[to_entry(row) for row in rows[:SECTION_LIMIT]], total=total)


def _excerpt(text: str, words: int = 30) -> str:
    """Plain text (tags gone, entities decoded: the mail templates escape it again), ``words`` long."""
    return Truncator(" ".join(html.unescape(strip_tags(text or "")).split())).words(words)


def _names(*parts) -> str:
    return ", ".join(str(part) for part in parts if part)


def _item_entry(item: LibraryItem) -> Entry:
    group = item.theme_group or item.group
    return Entry(
        kind="item", pk=item.pk, title=item.title, url=_object_url(item), created_at=item.created_at,
        context=_names(group.name if group else "", item.municipality.name if item.municipality else "",
                       item.author.display_name if item.author else ""),
        excerpt=_excerpt(item.summary or item.body),
        is_demo=bool(item.is_demo or (group and group.is_demo) or (item.author and item.author.is_demo)),
    )


def _question_entry(question: Question) -> Entry:
    return Entry(
        kind="question", pk=question.pk, title=question.title, url=_object_url(question),
        created_at=question.created_at,
        context=_names(question.group.name if question.group else "",
                       question.municipality.name if question.municipality else "", question.asker.display_name),
        excerpt=_excerpt(question.body),
        is_demo=bool(question.is_demo or (question.group and question.group.is_demo) or question.asker.is_demo),
    )


def _answer_entry(answer: Answer) -> Entry:
    question = answer.question
    return Entry(
        kind="answer", pk=answer.pk, title=question.title, url=_object_url(question), created_at=answer.created_at,
        context=_names(answer.author.display_name,
                       answer.author.municipality.name if answer.author.municipality else ""),
        excerpt=_excerpt(answer.body),
        is_demo=bool(question.is_demo or answer.author.is_demo),
    )


def digest_build(*, user, since: datetime.datetime, until: datetime.datetime, viewer: Viewer | None = None) -> Digest:
    """What is new for ``user`` in ``(since, until]``, strictly what they may see.

    Queries: the viewer (three, unless given), then at most two per section, whatever the number
    of items."""
    viewer = viewer or viewer_for(user)
    digest = Digest(since=since, until=until)
    if not may_subscribe(viewer):
        return digest
    person = viewer.person
    body_ids = sorted(viewer.body_ids)
    window = Q(created_at__gt=since, created_at__lte=until)
    if body_ids:
        items = (LibraryItem.objects.visible_to(viewer).filter(window)
                 .filter(Q(theme_group_id__in=body_ids) | Q(group_id__in=body_ids))
                 .select_related("theme_group", "group", "municipality", "author").order_by("-created_at", "-pk"))
        questions = (Question.objects.visible_to(viewer).filter(window, group_id__in=body_ids)
                     .select_related("group", "municipality", "asker").order_by("-created_at", "-pk"))
        if person is not None:
            items = items.exclude(author_id=person.pk)
            questions = questions.exclude(asker_id=person.pk)
        digest.items = _section(items, _item_entry)
        digest.questions = _section(questions, _question_entry)
    if person is not None:
        mine = (Question.objects.visible_to(viewer).filter(Q(followers=person) | Q(asker=person)).values("pk"))
        answers = (Answer.objects.filter(window, question_id__in=mine).exclude(author_id=person.pk)
                   .select_related("question", "author", "author__municipality").order_by("-created_at", "-pk"))
        digest.answers = _section(answers, _answer_entry)
    for extension in EXTENSIONS.values():
        section = extension.build(user=user, viewer=viewer, since=since, until=until)
        if section.total:
            digest.extras.append((extension, section))
    return digest


# --- the mail ----------------------------------------------------------------------------------

def digest_message(*, subscription: DigestSubscription, digest: Digest, to: str,
                   connection=None) -> EmailMultiAlternatives:
    """The digest mail in the site's language: plain text with an HTML alternative, absolute
    links and the RFC 8058 one-click unsubscribe headers."""
    unsubscribe = unsubscribe_url(subscription)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "digest": digest,
            "subscription": subscription,
            "frequency": subscription.get_frequency_display(),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": absolute_url("/"),
            "settings_url": absolute_url(reverse("knowledge:digest_settings")),
            "unsubscribe_url": unsubscribe,
            "since": timezone.localtime(digest.since),
            "until": timezone.localtime(digest.until),
            "language": settings.LANGUAGE_CODE,
        }
        subject = ngettext("%(site)s: %(count)d new item in your groups",
                           "%(site)s: %(count)d new items in your groups", digest.total)
        subject %= {"site": settings.WAGTAIL_SITE_NAME, "count": digest.total}
        text = re.sub(r"\n{3,}", "\n\n", render_to_string("knowledge/digests/digest_email.txt", context)).strip()
        html_body = render_to_string("knowledge/digests/digest_email.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[to], connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html_body, "text/html")
    return message


# --- sending -----------------------------------------------------------------------------------

@dataclass
class DigestRun:
    """What a run did, per user (usernames)."""

    sent: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"sent": self.sent, "empty": self.empty, "skipped": self.skipped, "failed": self.failed}


class _Connection:
    """One SMTP connection for the whole run, opened at the first mail (none when nothing is sent)."""

    def __init__(self) -> None:
        self.connection = get_connection()
        self.opened = False

    def get(self):
        if not self.opened:
            self.connection.open()
            self.opened = True
        return self.connection

    def close(self) -> None:
        if self.opened:
            self.opened = False
            try:
                self.connection.close()
            except Exception:  # a connection that broke cannot be closed cleanly; it is gone anyway
                logger.warning("closing the mail connection failed", exc_info=True)


def _send_one(pk: int, frequency: str, now: datetime.datetime, connection: _Connection, run: DigestRun) -> None:
    with transaction.atomic():
        subscription = (DigestSubscription.objects.select_for_update(of=("self",)).select_related("user")
                        .filter(_due_filter(frequency, now), pk=pk).first())
        if subscription is None:  # sent by a run alongside, or changed meanwhile
            return
        user = subscription.user
        viewer = viewer_for(user)
        address = user.email or (viewer.person.email if viewer.person else "")
        if not user.is_active or not address or not may_subscribe(viewer):
            run.skipped.append(user.get_username())
            return
        since = subscription.last_sent_at or now - PERIOD[frequency]
        digest = digest_build(user=user, since=since, until=now, viewer=viewer)
        if digest.is_empty:
            run.empty.append(user.get_username())
            return
        digest_message(subscription=subscription, digest=digest, to=address, connection=connection.get()).send()
        subscription.last_sent_at = now
        subscription.save(update_fields=["last_sent_at"])
        for extension, _section in digest.extras:
            extension.delivered(user=user, until=now)
        run.sent.append(user.get_username())


def digests_send(*, frequency: str | None = None, now: datetime.datetime | None = None) -> DigestRun:
    """Send every digest due at ``now`` (default: the current time), of one frequency or both."""
    now = now or timezone.now()
    if frequency is not None and frequency not in FREQUENCIES:
        raise ValueError(f"unknown digest frequency: {frequency!r}")
    run = DigestRun()
    connection = _Connection()
    try:
        for current in [frequency] if frequency else FREQUENCIES:
            for subscription in list(due_subscriptions(current, now)):
                try:
                    _send_one(subscription.pk, current, now, connection, run)
                except Exception:  # one bad address or a broken connection must not stop the others
                    username = subscription.user.get_username()
                    logger.exception("digest for %s not sent", username)
                    run.failed.append(username)
                    connection.close()
                    connection = _Connection()
    finally:
        connection.close()
    return run
