"""The writes of advocacy: dossiers and their status, ask versions, interventions and their
outcomes, and the bureau's decisions on suggested parliamentary items. Every write is checked
here (the back office and the tests go through these functions), runs in one transaction and
leaves an audit entry (``by``: who did it). Alerts go out after the commit.
"""

import datetime
import uuid

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from stedennet.advocacy.constants import (
    DOSSIER_TRANSITIONS,
    ITEM_TRANSITIONS,
    Addressee,
    AlertMode,
    AlertOn,
    DossierStatus,
    ItemStatus,
    Outcome,
)
from stedennet.advocacy.models import (
    AlertChoice,
    AskVersion,
    Dossier,
    DossierItem,
    DossierOwner,
    Intervention,
    InterventionDocument,
)
from stedennet.governance.models import Body, BodyKind, Visibility
from stedennet.parliament.constants import Category
from stedennet.parliament.tasks import document_file_fetch_task
from stedennet.web.refusals import Refused

__all__ = [
    "AdvocacyRefused",
    "alert_choice_set",
    "ask_adopt",
    "dossier_check",
    "dossier_create",
    "dossier_status_set",
    "dossier_update",
    "intervention_check",
    "intervention_document_add",
    "intervention_outcome_set",
    "intervention_record",
    "item_add",
    "item_decide",
    "owners_set",
]

ASK_ADOPTED = "advocacy.ask_adopted"
STATUS_CHANGED = "advocacy.status_changed"
OUTCOME_RECORDED = "advocacy.outcome_recorded"
ITEM_CONFIRMED = "advocacy.item_confirmed"
ITEM_DISMISSED = "advocacy.item_dismissed"
DOCUMENT_ADDED = "advocacy.document_added"


class AdvocacyRefused(Refused):
    """A change the rules of advocacy do not allow; ``code`` says which rule."""


# --- dossiers ---------------------------------------------------------------------------------

def _unique_slug(title: str) -> str:
    base = slugify(title)[:90] or "dossier"
    slug, n = base, 2
    while Dossier.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def dossier_check(*, visibility: str, group: Body | None) -> None:
    """The rule of a dossier's visibility: a dossier for one group names the group."""
    if visibility == Visibility.BODY and group is None:
        raise AdvocacyRefused(_("Name the group that may see this dossier."), "group_required", field="group")


@transaction.atomic
def dossier_create(*, network, pillar: Body, title: str, opened_on: datetime.date, owners=(), summary: str = "",
                   visibility: str = Visibility.PUBLIC, group: Body | None = None, slug: str = "",
                   key_messages=(), actions=(), is_demo: bool = False, by=None) -> Dossier:
    """A new open dossier of ``pillar``, owned by the theme groups ``owners`` (groups, or
    ``(group, alert_on)`` pairs), linked to ``key_messages`` and work-programme ``actions``."""
    if pillar.kind != BodyKind.PILLAR:
        raise AdvocacyRefused(_("A dossier belongs to a pillar."), "not_a_pillar", field="pillar")
    dossier_check(visibility=visibility, group=group)
    dossier = Dossier(network=network, pillar=pillar, title=title, summary=summary, opened_on=opened_on,
                      visibility=visibility, group=group, slug=slug or _unique_slug(title), is_demo=is_demo)
    dossier.full_clean()
    dossier.save()
    owners_set(dossier=dossier, owners=owners)
    dossier.key_messages.set(key_messages)
    dossier.actions.set(actions)
    log(instance=dossier, action="wagtail.create", user=by)
    return dossier


@transaction.atomic
def dossier_update(*, dossier: Dossier, owners=None, key_messages=None, actions=None, by=None) -> Dossier:
    """Save the changed fields of ``dossier`` (title, summary, visibility, group; its status and
    ask change only through ``dossier_status_set`` and ``ask_adopt``), and, where given, its
    owners, key messages and actions."""
    stored = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if (dossier.status, dossier.pillar_id, dossier.opened_on) != (stored.status, stored.pillar_id, stored.opened_on):
        raise AdvocacyRefused(_("The status, pillar and opening date are not changed by editing."),
                              "dossier_fixed_fields")
    dossier_check(visibility=dossier.visibility, group=dossier.group)
    dossier.full_clean()
    dossier.save()
    if owners is not None:
        owners_set(dossier=dossier, owners=owners)
    if key_messages is not None:
        dossier.key_messages.set(key_messages)
    if actions is not None:
        dossier.actions.set(actions)
    log(instance=dossier, action="wagtail.edit", user=by)
    return dossier


@transaction.atomic
def owners_set(*, dossier: Dossier, owners) -> list[DossierOwner]:
    """The theme groups that own ``dossier`` (each a group, or ``(group, alert_on)``); others are removed."""
    pairs = [(owner, AlertOn.CONFIRMED) if isinstance(owner, Body) else tuple(owner) for owner in owners]
    for group, _alert_on in pairs:
        if group.kind != BodyKind.THEME_GROUP:
            raise AdvocacyRefused(_("%(name)s is not a theme group."), "owner_not_theme_group",
                                  {"name": group.name}, field="owners")
    kept = []
    for group, alert_on in pairs:
        owner, _created = DossierOwner.objects.update_or_create(dossier=dossier, group=group,
                                                               defaults={"alert_on": alert_on})
        kept.append(owner)
    dossier.ownerships.exclude(pk__in=[owner.pk for owner in kept]).delete()
    return kept


@transaction.atomic
def dossier_status_set(*, dossier: Dossier, status: str, day: datetime.date | None = None, by=None) -> Dossier:
    """Move a dossier to ``status`` along ``DOSSIER_TRANSITIONS``; closing dates it."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if status not in DOSSIER_TRANSITIONS.get(dossier.status, frozenset()):
        raise AdvocacyRefused(_("A dossier that is %(current)s cannot become %(new)s."), "status_not_allowed",
                              {"current": dossier.get_status_display(),
                               "new": DossierStatus(status).label if status in DossierStatus.values else status},
                              field="status")
    day = day or timezone.localdate()
    if day < dossier.opened_on:
        raise AdvocacyRefused(_("The date is before the dossier was opened (%(opened)s)."), "before_dossier_opened",
                              {"opened": dossier.opened_on.isoformat()}, field="day")
    previous = dossier.status
    dossier.status = status
    dossier.closed_on = day if status == DossierStatus.CLOSED else None
    dossier.save(update_fields=["status", "closed_on"])
    log(instance=dossier, action=STATUS_CHANGED, user=by,
        data={"from": previous, "to": status, "day": day.isoformat()})
    return dossier


# --- the ask ------------------------------------------------------------------------------------

@transaction.atomic
def ask_adopt(*, dossier: Dossier, text: str, adopted_on: datetime.date, body: Body, decision=None,
              by=None) -> AskVersion:
    """A new version of the network's ask, adopted by ``body`` (with its numbered ``decision``).
    Earlier versions stay as they were."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not (text or "").strip():
        raise AdvocacyRefused(_("Write the ask."), "ask_empty", field="text")
    if adopted_on < dossier.opened_on:
        raise AdvocacyRefused(_("The ask is dated before the dossier was opened (%(opened)s)."),
                              "before_dossier_opened", {"opened": dossier.opened_on.isoformat()}, field="adopted_on")
    latest = dossier.asks.order_by("-number").first()
    if latest and adopted_on < latest.adopted_on:
        raise AdvocacyRefused(_("Version %(number)s was adopted on %(day)s; a new version cannot be older."),
                              "before_previous_version", {"number": latest.number,
                                                          "day": latest.adopted_on.isoformat()}, field="adopted_on")
    if decision is not None:
        meeting_body = decision.meeting.body
        if body.pk not in {meeting_body.pk, meeting_body.parent_id}:
            raise AdvocacyRefused(_("Decision %(reference)s was not taken by %(body)s."), "decision_other_body",
                                  {"reference": decision.reference, "body": body.name}, field="decision")
    number = (dossier.asks.aggregate(highest=Max("number"))["highest"] or 0) + 1
    ask = AskVersion.objects.create(dossier=dossier, number=number, text=text.strip(), adopted_on=adopted_on,
                                    body=body, decision=decision, created_by=by)
    log(instance=dossier, action=ASK_ADOPTED, user=by,
        data={"version": number, "adopted_on": adopted_on.isoformat(),
              "decision": decision.reference if decision else ""})
    return ask


# --- interventions --------------------------------------------------------------------------

def intervention_check(intervention: Intervention) -> None:
    """The rules of an intervention, each refusal naming its field."""
    dossier = intervention.dossier
    if intervention.date and intervention.date < dossier.opened_on:
        raise AdvocacyRefused(_("The intervention is dated before the dossier was opened (%(opened)s)."),
                              "before_dossier_opened", {"opened": dossier.opened_on.isoformat()}, field="date")
    if intervention.addressee in (Addressee.MINISTER, Addressee.COMMITTEE) and not intervention.addressee_name.strip():
        raise AdvocacyRefused(_("Name the minister, ministry or committee."), "addressee_name_required",
                              field="addressee_name")
    if intervention.addressee == Addressee.MPS and not intervention.mp_list:
        raise AdvocacyRefused(_("Name the MPs."), "mps_required", field="mps")


@transaction.atomic
def intervention_record(*, dossier: Dossier, kind: str, title: str, date: datetime.date, addressee: str,
                        addressee_name: str = "", mps: str = "", signatories: str = "", summary: str = "",
                        is_public: bool = True, is_demo: bool = False, by=None) -> Intervention:
    """A letter, paper, contribution or meeting in ``dossier``; its outcome is pending."""
    intervention = Intervention(dossier=dossier, kind=kind, title=title, date=date, addressee=addressee,
                                addressee_name=addressee_name, mps=mps, signatories=signatories, summary=summary,
                                is_public=is_public, is_demo=is_demo)
    intervention_check(intervention)
    intervention.full_clean()
    intervention.save()
    log(instance=intervention, action="wagtail.create", user=by)
    return intervention


@transaction.atomic
def intervention_outcome_set(*, intervention: Intervention, outcome: str, day: datetime.date | None, note: str = "",
                             evidence_url: str = "", evidence_document=None, evidence_item: DossierItem | None = None,
                             by=None) -> Intervention:
    """What came of an intervention (granted, partly, rejected, or back to pending), when, and
    the evidence: a document, a parliamentary item of the dossier, a link."""
    intervention = Intervention.objects.select_for_update().select_related("dossier").get(pk=intervention.pk)
    if outcome not in Outcome.values:
        raise AdvocacyRefused(_("Unknown outcome."), "outcome_unknown", field="outcome")
    if outcome == Outcome.PENDING:
        day = None
    elif day is None:
        raise AdvocacyRefused(_("Give the date of the outcome."), "outcome_date_required", field="outcome_on")
    elif day < intervention.date:
        raise AdvocacyRefused(_("The outcome is dated before the intervention (%(date)s)."),
                              "outcome_before_intervention", {"date": intervention.date.isoformat()},
                              field="outcome_on")
    if evidence_item is not None and evidence_item.dossier_id != intervention.dossier_id:
        raise AdvocacyRefused(_("The parliamentary item is not in this dossier."), "evidence_other_dossier",
                              field="evidence_item")
    intervention.outcome, intervention.outcome_on, intervention.outcome_note = outcome, day, note
    intervention.evidence_url, intervention.evidence_document = evidence_url, evidence_document
    intervention.evidence_item = evidence_item
    intervention.full_clean()
    intervention.save()
    log(instance=intervention, action=OUTCOME_RECORDED, user=by,
        data={"outcome": outcome, "day": day.isoformat() if day else None})
    return intervention


@transaction.atomic
def intervention_document_add(*, intervention: Intervention, document, title: str = "",
                              visibility: str = Visibility.PUBLIC, by=None) -> InterventionDocument:
    """A document of an intervention (the letter, an annex), with its own visibility."""
    if visibility not in Visibility.values:
        raise AdvocacyRefused(_("Unknown visibility."), "visibility_unknown", field="visibility")
    added = InterventionDocument(intervention=intervention, document=document, title=title, visibility=visibility)
    added.full_clean()
    added.save()
    log(instance=intervention, action=DOCUMENT_ADDED, user=by,
        data={"document": added.document_id, "visibility": added.visibility})
    return added


# --- parliamentary items ------------------------------------------------------------------------

@transaction.atomic
def item_decide(*, item: DossierItem, status: str, by=None) -> DossierItem:
    """The bureau confirms or dismisses a suggested item (``ITEM_TRANSITIONS``). A dismissed item
    stays dismissed: later syncs do not suggest it again. Confirming alerts the owning groups
    (after the commit)."""
    from stedennet.advocacy.alerts import alerts_queue

    item = DossierItem.objects.select_for_update().get(pk=item.pk)
    if status not in ITEM_TRANSITIONS.get(item.status, frozenset()):
        raise AdvocacyRefused(_("An item that is %(current)s cannot be %(new)s."), "item_status_not_allowed",
                              {"current": item.get_status_display(),
                               "new": ItemStatus(status).label if status in ItemStatus.values else status})
    item.status, item.decided_at, item.decided_by = status, timezone.now(), by
    item.save(update_fields=["status", "decided_at", "decided_by"])
    log(instance=item.dossier, action=ITEM_CONFIRMED if status == ItemStatus.CONFIRMED else ITEM_DISMISSED,
        user=by, data={"item": item.pk, "guid": str(item.guid), "title": item.title[:200]})
    if status == ItemStatus.CONFIRMED:
        alerts_queue([item.pk])
        if item.category == Category.DOCUMENT:  # the mirror fetches files only for documents in a dossier
            guid = str(item.guid)
            transaction.on_commit(lambda: document_file_fetch_task.enqueue(guid))
    return item


@transaction.atomic
def item_add(*, dossier: Dossier, category: str, guid: uuid.UUID | str, by=None) -> DossierItem:
    """Put a mirror entity into a dossier by hand, confirmed at once (an item dismissed earlier is
    confirmed now)."""
    from stedennet.advocacy.matching import item_facts

    facts = item_facts(category, [guid]).get(uuid.UUID(str(guid)))
    if facts is None:
        raise AdvocacyRefused(_("The mirror has no %(category)s with this GUID."), "item_unknown",
                              {"category": category}, field="guid")
    item, _created = DossierItem.objects.get_or_create(
        dossier=dossier, category=category, guid=facts.guid,
        defaults={"kind": facts.kind, "title": facts.title, "reference": facts.reference, "date": facts.date,
                  "reasons": [{"rule": None, "why": "added by hand"}], "suggested_at": timezone.now(),
                  "is_demo": facts.is_demo})
    if item.status != ItemStatus.CONFIRMED:
        item.status = ItemStatus.SUGGESTED
        item.save(update_fields=["status"])
        item = item_decide(item=item, status=ItemStatus.CONFIRMED, by=by)
    return item


# --- alerts ---------------------------------------------------------------------------------

@transaction.atomic
def alert_choice_set(*, user, mode: str) -> AlertChoice:
    """A person's choice: alerts at once, in their digest, or none."""
    if mode not in AlertMode.values:
        raise AdvocacyRefused(_("Unknown alert choice."), "alert_mode_unknown", field="mode")
    choice, _created = AlertChoice.objects.update_or_create(user=user, defaults={"mode": mode})
    return choice
