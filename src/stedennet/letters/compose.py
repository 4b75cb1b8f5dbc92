"""The draft of a member letter, composed from what happened since the previous letter.

One function per source, each returning a ``Section`` of ``Item``s (title, absolute link, date,
a line of text), newest or soonest first, at most ``SECTION_LIMIT`` items each (and the count of
the rest); each costs one or two queries, whatever the number of items:

- ``board_decisions``: the numbered decisions of meetings of the boards (bodies of kind *board*:
  the general and the executive board) held in the period, not cancelled;
- ``programme_progress``: progress updates of the work programmes dated in the period, of public
  actions in public programmes (the letter is public: it is archived on the public site);
- ``library_items``: library items added in the period that are public or for members;
- ``coming_events``: published events starting after the moment of composing whose audience is
  public, members, or members and partners;
- ``lobby_results``: outcomes of public interventions in public dossiers recorded for the period,
  and status changes of public dossiers (from the audit trail) in the period.

``compose(since, until)`` gathers the sections that have anything; ``draft_body(sections)`` writes
them as the rich text of the draft (Wagtail's rich-text HTML: headings, lists, external links),
which the bureau then edits in the back office. Links are absolute (``STEDENNET_BASE_URL``): the
text goes into mails.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from stedennet.advocacy.constants import DossierStatus, Outcome
from stedennet.advocacy.models import Dossier, Intervention
from stedennet.advocacy.services import STATUS_CHANGED
from stedennet.events.constants import EventStatus
from stedennet.events.models import Event
from stedennet.governance.models import BodyKind, Visibility
from stedennet.knowledge.models import LibraryItem
from stedennet.letters.selectors import absolute_url
from stedennet.meetings.models import Decision
from stedennet.programmes.models import ProgressUpdate

SECTION_LIMIT = 15
TEXT_WORDS = 40
LETTER_AUDIENCES = (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.MEMBERS_AND_PARTNERS)


@dataclass(frozen=True)
class Item:
    title: str
    url: str = ""
    date: datetime.date | None = None
    text: str = ""
    is_demo: bool = False


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    more: int = 0  # items beyond SECTION_LIMIT, left out

    @property
    def total(self) -> int:
        return len(self.items) + self.more


def _take(queryset) -> tuple[list, int]:
    """The first ``SECTION_LIMIT`` rows of ``queryset`` and how many more there are (a count
    query only when the limit is reached)."""
    rows = list(queryset[:SECTION_LIMIT])
    more = queryset.count() - SECTION_LIMIT if len(rows) == SECTION_LIMIT else 0
    return rows, more


def _short(text: str) -> str:
    return Truncator(" ".join((text or "").split())).words(TEXT_WORDS)


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


# --- the sources ----------------------------------------------------------------------------

def board_decisions(since: datetime.datetime, until: datetime.datetime) -> Section:
    """Decisions of the boards' meetings held after ``since`` up to ``until``."""
    decisions = (Decision.objects.filter(meeting__body__kind=BodyKind.BOARD, meeting__cancelled=False,
                                         meeting__starts_at__gt=since, meeting__starts_at__lte=until)
                 .select_related("meeting", "meeting__body", "agenda_item")
                 .order_by("-meeting__starts_at", "number"))
    decisions, more = _take(decisions)
    items = [Item(title=f"{decision.reference} – {decision.agenda_item.title}",
                  url=absolute_url(decision.meeting.get_absolute_url()), date=_day(decision.meeting.starts_at),
                  text=_short(decision.text), is_demo=decision.meeting.body.is_demo)
             for decision in decisions]
    return Section("decisions", _("Decisions of the boards"), items, more)


def programme_progress(since: datetime.datetime, until: datetime.datetime) -> Section:
    """Progress of public work-programme actions, dated after ``since`` up to ``until``."""
    updates = (ProgressUpdate.objects.filter(date__gt=_day(since), date__lte=_day(until), action__is_public=True,
                                             action__programme__is_public=True)
               .select_related("action", "action__programme", "action__programme__pillar")
               .order_by("-date", "-pk"))
    updates, more = _take(updates)
    items = []
    for update in updates:
        programme = update.action.programme
        items.append(Item(
            title=f"{update.action.title} ({update.get_status_display().lower()})",
            url=absolute_url(reverse("programmes:pillar", kwargs={"slug": programme.pillar.slug})),
            date=update.date, text=_short(update.text), is_demo=programme.is_demo))
    return Section("progress", _("Progress of the work programmes"), items, more)


def library_items(since: datetime.datetime, until: datetime.datetime) -> Section:
    """Library items added after ``since`` up to ``until``, public or for members."""
    found = (LibraryItem.objects.filter(created_at__gt=since, created_at__lte=until,
                                        visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS])
             .select_related("municipality").order_by("-created_at", "-pk"))
    found, more = _take(found)
    items = []
    for item in found:
        text = _short(item.summary)
        if item.municipality_id:
            text = f"{item.municipality}: {text}" if text else str(item.municipality)
        items.append(Item(title=item.title, url=absolute_url(item.get_absolute_url()), date=_day(item.created_at),
                          text=text, is_demo=item.is_demo))
    return Section("library", _("New in the library"), items, more)


def _event_url(event: Event) -> str:
    try:
        return absolute_url(event.get_absolute_url())
    except NoReverseMatch:  # the events pages are not there (yet)
        return ""


def coming_events(now: datetime.datetime) -> Section:
    """Published events starting after ``now`` for the public, members, or members and partners."""
    events = (Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gt=now, audience__in=LETTER_AUDIENCES)
              .order_by("starts_at", "pk"))
    events, more = _take(events)
    items = []
    for event in events:
        local = timezone.localtime(event.starts_at)
        where = event.venue or (_("online") if event.online_url else "")
        when = date_format(local, "TIME_FORMAT")  # the day is the item's date
        items.append(Item(title=event.title, url=_event_url(event), date=local.date(),
                          text=", ".join(part for part in (when, where, _short(event.summary)) if part),
                          is_demo=event.is_demo))
    return Section("events", _("Coming events"), items, more)


def lobby_results(since: datetime.datetime, until: datetime.datetime) -> Section:
    """Outcomes of public interventions in public dossiers dated after ``since`` up to ``until``,
    and status changes of public dossiers in that period (three to five queries)."""
    items = []
    outcomes = (Intervention.objects.filter(outcome_on__gt=_day(since), outcome_on__lte=_day(until), is_public=True,
                                            dossier__visibility=Visibility.PUBLIC)
                .exclude(outcome=Outcome.PENDING).select_related("dossier")
                .order_by("-outcome_on", "-pk"))
    outcomes, more_outcomes = _take(outcomes)
    for intervention in outcomes:
        text = _("Outcome: %(outcome)s.") % {"outcome": intervention.get_outcome_display().lower()}
        if intervention.outcome_note:
            text = f"{text} {_short(intervention.outcome_note)}"
        items.append(Item(title=f"{intervention.dossier.title}: {intervention.title}",
                          url=absolute_url(intervention.dossier.get_absolute_url()), date=intervention.outcome_on,
                          text=text, is_demo=intervention.is_demo or intervention.dossier.is_demo))
    public = Dossier.objects.filter(visibility=Visibility.PUBLIC).in_bulk()
    changes, more_changes = _take(
        ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Dossier), action=STATUS_CHANGED,
                                     object_id__in=[str(pk) for pk in public], timestamp__gt=since,
                                     timestamp__lte=until).order_by("-timestamp", "-pk"))
    for entry in changes:
        dossier = public[int(entry.object_id)]
        new = (entry.data or {}).get("to", "")
        label = DossierStatus(new).label if new in DossierStatus.values else new
        items.append(Item(title=dossier.title, url=absolute_url(dossier.get_absolute_url()),
                          date=_day(entry.timestamp),
                          text=_("The dossier is now: %(status)s.") % {"status": str(label).lower()},
                          is_demo=dossier.is_demo))
    items.sort(key=lambda item: item.date or datetime.date.min, reverse=True)
    return Section("lobby", _("Lobby results"), items[:SECTION_LIMIT],
                   more_outcomes + more_changes + max(len(items) - SECTION_LIMIT, 0))


# --- the draft ------------------------------------------------------------------------------

def compose(since: datetime.datetime, until: datetime.datetime) -> list[Section]:
    """Every section with something in it, in the letter's order."""
    sections = [board_decisions(since, until), programme_progress(since, until), lobby_results(since, until),
                library_items(since, until), coming_events(until)]
    return [section for section in sections if section.total]


def _item_html(item: Item) -> str:
    title = escape(item.title)
    if item.url:
        title = f'<a href="{escape(item.url)}">{title}</a>'
    parts = [f"<b>{title}</b>"]
    if item.date:
        parts.append(f" ({escape(date_format(item.date, 'DATE_FORMAT'))})")
    if item.is_demo:
        parts.append(f" [{escape(_('demo'))}]")
    if item.text:
        parts.append(f": {escape(item.text)}")
    return f"<li>{''.join(parts)}</li>"


def draft_body(sections: list[Section], *, since: datetime.datetime | None = None) -> str:
    """The rich text of a draft: an opening line, then per section a heading and a list."""
    if since is not None:
        opening = _("What happened in the network since %(day)s.") % {"day": date_format(_day(since), "DATE_FORMAT")}
    else:
        opening = _("What happened in the network.")
    html = [f"<p>{escape(opening)}</p>"]
    if not sections:
        html.append(f"<p>{escape(_('Nothing new was found to report; write the letter yourself.'))}</p>")
    for section in sections:
        html.append(f"<h2>{escape(section.title)}</h2>")
        html.append("<ul>" + "".join(_item_html(item) for item in section.items) + "</ul>")
        if section.more:
            html.append(f"<p>{escape(_('And %(count)s more.') % {'count': section.more})}</p>")
    return "".join(html)
