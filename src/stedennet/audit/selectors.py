"""Reading the audit trail: the site-wide history (filtered by kind of object, user and date) and
the history of one object, newest first, a page at a time; on SQLite and PostgreSQL alike.

Each event model is one query per page (the previous snapshot of each row's object found by a
subquery), then one query for the previous snapshots, one per kind of name shown (accounts,
municipalities, bodies, ...): the number of queries grows with the kinds of objects on a page,
never with its rows. Pages are cut by a cursor (time, kind, event id), not by an offset, so a
page stays the same while new events arrive.

Who made a change is stored as an account id; their name is looked up when the page is read (an
erased person or a removed account shows as such). What changed is the difference between an
event's snapshot and the previous one of the same object.
"""

import datetime
import re
import string
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext

from stedennet.audit.tracking import BY_KIND, OWN_NAME, RANK, TRACKED, Tracked
from stedennet.governance.models import Person

PER_PAGE = 50
MAX_PER_PAGE = 200
_EMPTY = "—"


@dataclass(frozen=True)
class Change:
    field: str
    name: str
    before: str | None
    after: str | None


@dataclass
class Entry:
    kind: str
    kind_label: str
    object_id: int
    event_id: int
    action: str  # insert, update, delete
    at: datetime.datetime
    title: str = ""
    user_id: int | None = None
    who: str = ""
    via: str = ""
    where: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def object_ref(self) -> str:
        return f"{self.kind}:{self.object_id}"

    @property
    def key(self) -> tuple:
        return (self.at, RANK[self.kind], self.event_id)


@dataclass
class HistoryPage:
    entries: list[Entry]
    next_cursor: str | None


# --- the arguments --------------------------------------------------------------------------

def object_parse(ref: str) -> tuple[Tracked, int]:
    """``app.model:pk`` of a tracked object; ValueError for anything else."""
    kind, _, pk = (ref or "").partition(":")
    tracked = BY_KIND.get(kind.strip().lower())
    if tracked is None or not re.fullmatch(r"[0-9]{1,18}", pk.strip()):
        raise ValueError(ref)
    return tracked, int(pk)


def cursor_parse(cursor: str) -> tuple[datetime.datetime, int, int]:
    """The position after which a page starts; ValueError when it is not one of ours."""
    at, rank, event_id = cursor.split("~")
    moment = datetime.datetime.fromisoformat(at)
    if timezone.is_naive(moment) or not 0 <= int(rank) < len(TRACKED):
        raise ValueError(cursor)
    return moment, int(rank), int(event_id)


def _cursor(entry: Entry) -> str:
    return f"{entry.at.isoformat()}~{RANK[entry.kind]}~{entry.event_id}"


def user_by_name(username: str) -> int | None:
    """The account id for a username (filtering the trail by who), None when there is none."""
    return (get_user_model()._default_manager.filter(username=username.strip()).values_list("pk", flat=True)
            .first())


# --- reading --------------------------------------------------------------------------------

def _after(position: tuple[datetime.datetime, int, int] | None, rank: int) -> Q:
    if position is None:
        return Q()
    at, cursor_rank, event_id = position
    if rank < cursor_rank:
        same_moment = Q(pgh_created_at=at)
    elif rank == cursor_rank:
        same_moment = Q(pgh_created_at=at, pgh_id__lt=event_id)
    else:
        return Q(pgh_created_at__lt=at)
    return Q(pgh_created_at__lt=at) | same_moment


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def history_page(*, kinds: list[str] | None = None, user_id: int | None = None,
                 since: datetime.date | None = None, until: datetime.date | None = None,
                 object_ref: str | None = None, cursor: str | None = None,
                 per_page: int = PER_PAGE) -> HistoryPage:
    """One page of the trail, newest first. ``object_ref`` (``app.model:pk``) gives one object's
    history with what belongs to it (``Tracked.related``); ``kinds``, ``user_id`` (who) and the
    days ``since``/``until`` (both included) narrow it; ``cursor`` is a page's ``next_cursor``."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    common = Q()
    if user_id is not None:
        common &= Q(pgh_context__user=user_id)
    if since is not None:
        common &= Q(pgh_created_at__gte=_day_start(since))
    if until is not None:
        common &= Q(pgh_created_at__lt=_day_start(until + datetime.timedelta(days=1)))
    if object_ref:
        own, pk = object_parse(object_ref)
        wanted = [(own, Q(pgh_obj_id=pk))] + [(BY_KIND[kind], Q(**{attname: pk})) for kind, attname in own.related]
    else:
        chosen = set(kinds or [])
        wanted = [(tracked, Q()) for tracked in TRACKED if not chosen or tracked.kind in chosen]
    position = cursor_parse(cursor) if cursor else None

    rows: list[tuple[Tracked, models.Model]] = []
    for tracked, own_filter in wanted:
        manager = tracked.event_model._default_manager
        previous = manager.filter(pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id"))
        query = (manager.filter(common, own_filter, _after(position, RANK[tracked.kind]))
                 .annotate(previous_id=Subquery(previous.order_by("-pgh_id").values("pgh_id")[:1]))
                 .order_by("-pgh_created_at", "-pgh_id")[:per_page + 1])
        rows.extend((tracked, event) for event in query)
    rows.sort(key=lambda row: (row[1].pgh_created_at, RANK[row[0].kind], row[1].pgh_id), reverse=True)
    more = len(rows) > per_page
    rows = rows[:per_page]
    entries = _entries(rows)
    return HistoryPage(entries=entries, next_cursor=_cursor(entries[-1]) if more else None)


def history_of(obj: models.Model, *, limit: int = MAX_PER_PAGE) -> list[Entry]:
    """The newest events of one object (and of what belongs to it)."""
    ref = f"{obj._meta.concrete_model._meta.label_lower}:{obj.pk}"
    return history_page(object_ref=ref, per_page=limit).entries


# --- turning rows into entries ----------------------------------------------------------------

def _user_name(row: dict) -> str:
    return f"{row['first_name']} {row['last_name']}".strip() or row["username"]


def _person_name(row: dict) -> str:
    if row["erased_at"] is None:
        return row["name"]
    organisation = (row["municipality__common_name"] or row["municipality__name"] or row["partner__short_name"]
                    or row["partner__name"])
    return Person.former_member_label(organisation)


# How a related object is named: the columns read and the name made of them (no other query).
NAMERS: dict[str, tuple[tuple[str, ...], object]] = {
    "auth.user": (("first_name", "last_name", "username"), _user_name),
    "auth.group": (("name",), lambda row: row["name"]),
    "auth.permission": (("codename", "content_type__app_label"),
                        lambda row: f"{row['content_type__app_label']}.{row['codename']}"),
    "registry.municipality": (("name", "common_name"), lambda row: row["common_name"] or row["name"]),
    "registry.network": (("short_name",), lambda row: row["short_name"]),
    "registry.province": (("name",), lambda row: row["name"]),
    "registry.partnerorganisation": (("name", "short_name"), lambda row: row["short_name"] or row["name"]),
    "governance.body": (("name",), lambda row: row["name"]),
    "governance.person": (("name", "erased_at", "municipality__name", "municipality__common_name",
                           "partner__name", "partner__short_name"), _person_name),
    "accounts.identityprovider": (("name",), lambda row: row["name"]),
    "contributions.indexseries": (("name",), lambda row: row["name"]),
    "contributions.contributionrule": (("year", "network__short_name"),
                                       lambda row: f"{row['network__short_name']} {row['year']}"),
    "invoices.invoice": (("number",), lambda row: row["number"]),
    "membership.membershipprocedure": (("kind", "municipality__name", "municipality__common_name"),
                                       lambda row: f"{row['kind']} "
                                                   f"{row['municipality__common_name'] or row['municipality__name']}"),
    "wagtaildocs.document": (("title",), lambda row: row["title"]),
}


class _Names:
    """Names of related objects, looked up once per model for a whole page."""

    def __init__(self) -> None:
        self.wanted: dict[type, set] = {}
        self.found: dict[type, dict] = {}

    def want(self, model: type, pk) -> None:
        if pk is not None and model._meta.concrete_model._meta.label_lower in NAMERS:
            self.wanted.setdefault(model._meta.concrete_model, set()).add(pk)

    def load(self) -> None:
        for model, pks in self.wanted.items():
            columns, name = NAMERS[model._meta.label_lower]
            rows = model._base_manager.filter(pk__in=pks).values("pk", *columns)
            self.found[model] = {row["pk"]: name(row) for row in rows}

    def name(self, model: type, pk) -> str:
        if pk is None:
            return ""
        found = self.found.get(model._meta.concrete_model, {})
        if pk in found:
            return found[pk]
        if model._meta.concrete_model is get_user_model():
            return gettext("removed account #%(id)s") % {"id": pk}
        return f"#{pk}"


def _display(field: models.Field, value, names: _Names) -> str:
    if value is None or value == "":
        return _EMPTY
    if field.is_relation:
        return names.name(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return formats.localize(timezone.localtime(value) if timezone.is_aware(value) else value)
    if isinstance(value, (datetime.date, Decimal, int, float)):
        return formats.localize(value)
    return str(value)


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _title(tracked: Tracked, shown: dict[str, str], object_id: int, names: _Names) -> str:
    if tracked.kind in OWN_NAME:
        return names.name(tracked.model, object_id)
    values = _Blank({name: ("" if value == _EMPTY else value) for name, value in shown.items()})
    text = string.Formatter().vformat(tracked.title, (), values)
    return re.sub(r"\s+", " ", text).strip(" –:") or f"#{object_id}"


def _entries(rows: list[tuple[Tracked, models.Model]]) -> list[Entry]:
    # The previous snapshots, one query per event model.
    previous_ids: dict[Tracked, set[int]] = {}
    for tracked, event in rows:
        if event.previous_id is not None:
            previous_ids.setdefault(tracked, set()).add(event.previous_id)
    previous: dict[tuple[str, int], models.Model] = {}
    for tracked, ids in previous_ids.items():
        for event in tracked.event_model._default_manager.filter(pgh_id__in=ids):
            previous[tracked.kind, event.pgh_id] = event

    names = _Names()
    User = get_user_model()
    for tracked, event in rows:
        before = previous.get((tracked.kind, event.previous_id))
        for snapshot in (event, before):
            if snapshot is None:
                continue
            for snapshot_field in tracked.fields:
                if snapshot_field.is_relation:
                    names.want(snapshot_field.related_model, getattr(snapshot, snapshot_field.attname))
        if tracked.kind in OWN_NAME:
            names.want(tracked.model, event.pgh_obj_id)
        context = event.pgh_context or {}
        if isinstance(context.get("user"), int):
            names.want(User, context["user"])
    names.load()

    entries = []
    for tracked, event in rows:
        before = previous.get((tracked.kind, event.previous_id))
        context = event.pgh_context or {}
        user_id = context.get("user") if isinstance(context.get("user"), int) else None
        shown, changes = {}, []
        for snapshot_field in tracked.fields:
            own_field = tracked.model._meta.get_field(snapshot_field.name)
            now = getattr(event, snapshot_field.attname)
            shown[snapshot_field.name] = _display(own_field, now, names)
            then = getattr(before, snapshot_field.attname) if before is not None else None
            label = str(own_field.verbose_name)
            if event.pgh_label == "delete":
                if now not in (None, ""):
                    changes.append(Change(snapshot_field.name, label, shown[snapshot_field.name], None))
            elif before is None:
                if now not in (None, "") and not own_field.primary_key:
                    changes.append(Change(snapshot_field.name, label, None, shown[snapshot_field.name]))
            elif now != then:
                changes.append(Change(snapshot_field.name, label, _display(own_field, then, names),
                                      shown[snapshot_field.name]))
        if not context:
            who = gettext("unknown")
        elif user_id is None:
            who = gettext("nobody signed in") if context.get("via") == "web" else gettext("system")
        else:
            who = names.name(User, user_id)
        entries.append(Entry(
            kind=tracked.kind, kind_label=str(tracked.label), object_id=event.pgh_obj_id, event_id=event.pgh_id,
            action=event.pgh_label, at=event.pgh_created_at, title=_title(tracked, shown, event.pgh_obj_id, names),
            user_id=user_id, who=who, via=str(context.get("via", "")),
            where=str(context.get("path") or context.get("command") or ""), changes=changes,
        ))
    return entries


def kinds() -> list[tuple[str, str]]:
    """Every kind of object the trail tracks: (``app.model``, its name), for the filter."""
    return [(tracked.kind, str(tracked.label)) for tracked in TRACKED]
