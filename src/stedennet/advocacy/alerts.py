"""Alerts: the members of a dossier's owning theme groups hear of a new parliamentary item.

When: a confirmed item alerts every owning group; a suggested one only the groups that chose so
(``DossierOwner.alert_on``). Who: the people holding a current position in an owning group, with
an active account, who may see the dossier. How: each person's ``AlertChoice`` (default at once):
one mail per item with kind, title, snippet and link, or an entry in their daily or weekly
digest (``knowledge.digests``' extension ``advocacy``; without a digest, at once).

Never twice: an alert is one ``Alert`` row per item and person (a unique row), created and its
mail put in the outbox in the transaction that confirms or suggests the item. The outbox
(``stedennet.mail``) delivers after the commit; a digest entry is marked sent in the transaction
that records the digest. Whatever the number of syncs, the row exists once.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from stedennet.advocacy.constants import AlertMode, AlertOn, ItemStatus
from stedennet.advocacy.models import Alert, AlertChoice, DossierItem, DossierOwner
from stedennet.governance.access import viewer_for
from stedennet.governance.models import Position
from stedennet.knowledge.digests import (
    DigestExtension,
    Entry,
    Section,
    absolute_url,
    digest_extension_register,
)
from stedennet.knowledge.models import DigestFrequency, DigestSubscription

DIGEST_LIMIT = 20


def item_url(item: DossierItem) -> str:
    return absolute_url(f"{item.dossier.get_absolute_url()}#item-{item.pk}")


def snippet(item: DossierItem) -> str:
    reasons = "; ".join(reason.get("why", "") for reason in item.reasons or [] if reason.get("why"))
    return Truncator(" ".join(filter(None, [item.reference, reasons]))).chars(300)


def _recipients(items: list[DossierItem], stage: str) -> dict[int, set]:
    """Per item: the users to alert (active accounts of current members of owning groups who may see it)."""
    owners = DossierOwner.objects.filter(dossier_id__in={item.dossier_id for item in items})
    if stage == ItemStatus.SUGGESTED:
        owners = owners.filter(alert_on=AlertOn.SUGGESTED)
    groups_of: dict[int, set[int]] = {}
    for dossier_id, group_id in owners.values_list("dossier_id", "group_id"):
        groups_of.setdefault(dossier_id, set()).add(group_id)
    all_groups = {group for groups in groups_of.values() for group in groups}
    if not all_groups:
        return {}
    members: dict[int, set] = {}
    positions = (Position.objects.current().filter(body_id__in=all_groups, person__user__is_active=True)
                 .select_related("person__user"))
    for position in positions:
        members.setdefault(position.body_id, set()).add(position.person.user)
    found = {}
    for item in items:
        users = set()
        for group in groups_of.get(item.dossier_id, ()):
            users |= members.get(group, set())
        dossier = item.dossier
        found[item.pk] = {user for user in users
                          if viewer_for(user).may_see(dossier.visibility, dossier.group_id)}
    return found


def _modes(users: Iterable) -> dict[int, str]:
    """Each user's choice; "digest" without a digest subscription becomes "at once"."""
    users = list(users)
    ids = [user.pk for user in users]
    chosen = dict(AlertChoice.objects.filter(user_id__in=ids).values_list("user_id", "mode"))
    digests = set(DigestSubscription.objects.filter(user_id__in=ids).exclude(frequency=DigestFrequency.NONE)
                  .values_list("user_id", flat=True))
    modes = {}
    for user in users:
        mode = chosen.get(user.pk, AlertMode.IMMEDIATE)
        if mode == AlertMode.DIGEST and user.pk not in digests:
            mode = AlertMode.IMMEDIATE
        modes[user.pk] = mode
    return modes


def alerts_create(item_ids: Iterable[int], *, stage: str = ItemStatus.CONFIRMED) -> int:
    """Alert the owning groups of these items (``stage``: confirmed, or suggested for the groups
    that chose so). Call inside the transaction that confirmed or suggested them. Returns the
    number of mails put in the outbox."""
    items = list(DossierItem.objects.filter(pk__in=list(item_ids)).select_related("dossier"))
    if not items:
        return 0
    recipients = _recipients(items, stage)
    modes = _modes({user for users in recipients.values() for user in users})
    now = timezone.now()
    rows = [Alert(item=item, user=user, mode=modes[user.pk], created_at=now)
            for item in items for user in recipients.get(item.pk, ())]
    Alert.objects.bulk_create(rows, ignore_conflicts=True)
    # Only the rows this call created (created_at = now, not sent): one mail each, claimed by the update.
    fresh = (Alert.objects.filter(item__in=items, created_at=now, sent_at__isnull=True, mode=AlertMode.IMMEDIATE)
             .select_related("item__dossier", "user"))
    sent = 0
    for alert in fresh:
        if Alert.objects.filter(pk=alert.pk, sent_at__isnull=True).update(sent_at=now) != 1:
            continue
        address = alert.user.email
        if not address:
            continue
        alert_message(alert.item, to=address).send()
        sent += 1
    return sent


def alerts_queue(item_ids: Iterable[int]) -> int:
    """The bureau confirmed these items: alert every owning group."""
    return alerts_create(item_ids, stage=ItemStatus.CONFIRMED)


def alert_message(item: DossierItem, *, to: str) -> EmailMultiAlternatives:
    """One alert mail: plain text and HTML, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"item": item, "dossier": item.dossier, "url": item_url(item), "snippet": snippet(item),
                   "kind": item.get_kind_display(), "site_name": settings.WAGTAIL_SITE_NAME,
                   "settings_url": absolute_url(reverse("advocacy_alerts:settings")),
                   "language": settings.LANGUAGE_CODE}
        subject = _("%(kind)s in dossier %(dossier)s: %(title)s") % {
            "kind": context["kind"], "dossier": item.dossier.title, "title": Truncator(item.title).chars(80)}
        text = render_to_string("advocacy/alerts/alert_email.txt", context).strip()
        html_body = render_to_string("advocacy/alerts/alert_email.html", context)
    message = EmailMultiAlternatives(subject=str(subject), body=text, to=[to],
                                     headers={"Auto-Submitted": "auto-generated"})
    message.attach_alternative(html_body, "text/html")
    return message


# --- the digest section ----------------------------------------------------------------------

def _pending(user, until: datetime.datetime):
    return Alert.objects.filter(user=user, mode=AlertMode.DIGEST, sent_at__isnull=True, created_at__lte=until)


def _digest_section(*, user, viewer, since, until) -> Section:
    alerts = _pending(user, until).select_related("item__dossier").order_by("-created_at", "-pk")
    rows = list(alerts[:DIGEST_LIMIT + 1])
    rows = [alert for alert in rows if viewer.may_see(alert.item.dossier.visibility, alert.item.dossier.group_id)]
    total = len(rows) if len(rows) <= DIGEST_LIMIT else alerts.count()
    return Section(total=total, entries=[
        Entry(kind="dossier_item", pk=alert.item.pk, title=f"{alert.item.get_kind_display()}: {alert.item.title}",
              url=item_url(alert.item), created_at=alert.created_at, context=alert.item.dossier.title,
              excerpt=snippet(alert.item), is_demo=alert.item.is_demo or alert.item.dossier.is_demo)
        for alert in rows[:DIGEST_LIMIT]])


def _digest_delivered(*, user, until) -> None:
    _pending(user, until).update(sent_at=timezone.now())


digest_extension_register(DigestExtension(key="advocacy", title=_("New in your lobby dossiers"),
                                          build=_digest_section, delivered=_digest_delivered))

__all__ = ["alert_message", "alerts_create", "alerts_queue", "item_url", "snippet"]
