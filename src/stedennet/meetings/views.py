"""Meeting pages and calendar feeds.

Who may do what (deny unless allowed):
- the meeting page: the bureau, signed-in members, and anyone holding a current position in the
  body; documents on it are filtered by their visibility (``Viewer.may_see``);
- a meeting document: signed-in users the document's visibility admits;
- a body's archive (past meetings with their decision lists): whoever may open the body's page
  (``Viewer.may_open_body``: the bureau, members, the people seated in it);
- planning and recording a meeting, uploading its documents: the bureau only;
- a body's calendar feed: members and the bureau through their session, or a calendar client
  with ``?token=`` of a person who holds a current position in that body;
- the personal feed: whoever knows the person's calendar token (an unknown token is a 404).
Every feed answers GET and HEAD (the same headers, no body), as calendar clients probe with HEAD.
"""

import datetime
import mimetypes
import posixpath

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from stedennet.governance.access import viewer_for
from stedennet.governance.models import (
    ADMINISTRATOR_FUNCTIONS,
    Body,
    BodyKind,
    Person,
    PersonFunction,
    Track,
)
from stedennet.meetings import forms, ical, selectors, services
from stedennet.meetings.models import AgendaItem, Meeting, MeetingDocument
from stedennet.web.access import access
from stedennet.web.refusals import add_refusal

FEED_HISTORY = datetime.timedelta(days=365)  # feeds carry the past year and everything ahead
ARCHIVE_PAGE_SIZE = 10  # meetings per page of a body's archive


# --- who may see a view --------------------------------------------------------------------

# Signed-in users; the view itself decides per object (meeting, document) what they may see.
signed_in = access("signed-in; checked per meeting by meetings.views")
# The network bureau (and superusers); anonymous visitors are sent to the sign-in page.
bureau_only = access("meetings: bureau", lambda user: viewer_for(user).is_bureau)
# Calendar feeds: a session or a calendar token; the view checks which and for what.
calendar_access = access("meetings: session of a member or the bureau, or a calendar token", sign_in=False)


# --- helpers -------------------------------------------------------------------------------

def _body_url(body: Body) -> str:
    return body.get_absolute_url()


# The services' names for the form's fields: a refusal of the times lands on the time fields.
FIELD_FOR = {"ends_at": "end_time", "starts_at": "start_time"}


def _substitute_candidates(body: Body, exclude: set[int]) -> list[Person]:
    """People who may stand in: those of the body's kind (administrators or civil servants)
    from member municipalities, who do not hold a seat there themselves."""
    people = Person.objects.filter(partner__isnull=True).select_related("municipality").order_by("name", "pk")
    if body.track == Track.ADMINISTRATIVE:
        people = people.filter(function__in=[str(f) for f in ADMINISTRATOR_FUNCTIONS])
    elif body.track == Track.CIVIL_SERVICE:
        people = people.filter(function=PersonFunction.CIVIL_SERVANT)
    return [person for person in people if person.pk not in exclude]


def _meeting_heading(meeting: Meeting) -> str:
    return f"{meeting.body.name}: {meeting.title}" if meeting.title else meeting.body.name


# --- the meeting page ----------------------------------------------------------------------

@signed_in
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    if not (viewer.is_bureau or viewer.is_member or viewer.body_ids):
        raise PermissionDenied
    try:
        meeting = selectors.meeting_for_page(pk)
    except Meeting.DoesNotExist:
        raise Http404("no such meeting") from None
    if not selectors.may_see_meeting(viewer, meeting):
        raise PermissionDenied
    prefix = selectors.decision_prefix(meeting)
    items = list(meeting.agenda_items.all())
    documents = selectors.visible_documents(meeting.documents.all(), viewer, meeting.body_id)
    decisions = list(meeting.decisions.all())
    by_item: dict[int, dict] = {item.pk: {"item": item, "documents": [], "decisions": []} for item in items}
    general_documents = []
    for document in documents:
        (by_item[document.agenda_item_id]["documents"] if document.agenda_item_id in by_item
         else general_documents).append(document)
    rows = []
    for decision in decisions:
        row = {"decision": decision, "reference": f"{prefix}/{decision.number}", "item": decision.agenda_item}
        rows.append(row)
        if decision.agenda_item_id in by_item:
            by_item[decision.agenda_item_id]["decisions"].append(row)
    person = viewer.person
    holds_seat = person is not None and meeting.body_id in viewer.body_ids
    feed_url = reverse("meetings:body_ical", kwargs={"slug": meeting.body.slug})
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting,
        "heading": _meeting_heading(meeting),
        "body_url": _body_url(meeting.body),
        "agenda": [by_item[item.pk] for item in items],
        "attendance": list(meeting.attendance.all()),
        "decisions": rows,
        "general_documents": general_documents,
        "may_record": viewer.is_bureau,
        "body_feed_url": f"{feed_url}?token={person.calendar_token}" if holds_seat else feed_url,
        "my_feed_url": reverse("meetings:my_ical", kwargs={"token": person.calendar_token})
        if person is not None and viewer.body_ids else None,
    })


@signed_in
@require_GET
def meeting_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    attached = get_object_or_404(MeetingDocument.objects.select_related("meeting", "document"),
                                 pk=document_pk, meeting_id=pk)
    viewer = viewer_for(request.user)
    if not viewer.may_see(attached.visibility, attached.meeting.body_id):
        raise PermissionDenied
    stored = attached.document
    filename = posixpath.basename(stored.file.name)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=filename,
                            content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- a body's archive ----------------------------------------------------------------------

@signed_in
@require_GET
def body_archive(request: HttpRequest, slug: str) -> HttpResponse:
    """The past meetings of a body, newest first, each with its numbered decision list."""
    body = get_object_or_404(Body.objects.select_related("parent"), slug=slug)
    if body.kind == BodyKind.PILLAR:
        raise Http404("a pillar meets in its administrative and civil-service meetings")
    viewer = viewer_for(request.user)
    if not viewer.may_open_body(body):
        raise PermissionDenied
    page = Paginator(selectors.past_meetings(body), ARCHIVE_PAGE_SIZE).get_page(request.GET.get("pagina"))
    entries = []
    for meeting in page.object_list:
        prefix = selectors.decision_prefix(meeting)
        entries.append({"meeting": meeting, "decisions": [
            {"decision": decision, "reference": f"{prefix}/{decision.number}", "item": decision.agenda_item}
            for decision in meeting.decisions.all()]})
    return render(request, "meetings/body_archive.html", {
        "body": body, "page": page, "entries": entries,
    })


# --- planning a meeting --------------------------------------------------------------------

@bureau_only
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body, slug=slug)
    presenters = list(selectors.position_holders(body))
    choices = forms.person_choices(presenters)
    if request.method == "POST" and "more_rows" in request.POST:
        form = forms.MeetingForm(initial=forms.initial_from_data(forms.MeetingForm(), request.POST))
        formset = forms.agenda_formset(
            presenters=presenters,
            initial=forms.rows_from_data(forms.AgendaItemForm, request.POST, "agenda", presenters=choices))
    elif request.method == "POST":
        form = forms.MeetingForm(request.POST)
        formset = forms.agenda_formset(request.POST, presenters=presenters)
        if form.is_valid() and formset.is_valid():
            starts_at, ends_at = form.moments()
            try:
                meeting = services.meeting_create(
                    body=body, starts_at=starts_at, ends_at=ends_at, title=form.cleaned_data["title"],
                    location=form.cleaned_data["location"], online_url=form.cleaned_data["online_url"],
                    agenda=forms.agenda_entries(formset))
            except ValidationError as error:
                add_refusal(form, error, fields=FIELD_FOR)
            else:
                messages.success(request, gettext("The meeting is planned."))
                return redirect(meeting.get_absolute_url())
    else:
        form = forms.MeetingForm()
        formset = forms.agenda_formset(presenters=presenters)
    return render(request, "meetings/meeting_form.html", {
        "body": body, "body_url": _body_url(body), "form": form, "formset": formset,
        "has_errors": form.is_bound and bool(form.errors or formset.total_error_count()),
        "error_forms": [form], "error_formsets": [formset],
    })


# --- recording a meeting -------------------------------------------------------------------

def _record_forms(meeting: Meeting, items: list[AgendaItem], *, data=None, more_rows: bool = False):
    """The attendance-and-minutes form and the decisions formset: bound to ``data``, or showing
    ``data`` again with more rows, or filled from what is recorded."""
    attendees = selectors.expected_attendees(meeting)
    substitutes = _substitute_candidates(meeting.body, {person.pk for person in attendees})
    if data is not None and not more_rows:
        form = forms.RecordForm(data, attendees=attendees, substitutes=substitutes)
        formset = forms.decision_formset(data, items=items)
    elif data is not None:
        blank = forms.RecordForm(attendees=attendees, substitutes=substitutes)
        form = forms.RecordForm(initial=forms.initial_from_data(blank, data), attendees=attendees,
                                substitutes=substitutes)
        formset = forms.decision_formset(items=items, initial=forms.rows_from_data(
            forms.DecisionForm, data, "decisions", items=forms.item_choices(items)))
    else:
        initial = {"minutes": meeting.minutes, "minutes_approved_on": meeting.minutes_approved_on}
        for row in meeting.attendance.all():
            initial[f"status_{row.person_id}"] = row.status
            initial[f"substitute_{row.person_id}"] = str(row.substitute_id or "")
        form = forms.RecordForm(initial=initial, attendees=attendees, substitutes=substitutes)
        formset = forms.decision_formset(items=items, initial=[
            {"agenda_item": str(decision.agenda_item_id), "text": decision.text}
            for decision in meeting.decisions.order_by("number")])
    return form, formset


def _record_page(request: HttpRequest, meeting: Meeting, items: list[AgendaItem], form, formset,
                 document_form=None) -> HttpResponse:
    document_form = document_form or forms.DocumentForm(items=items)
    documents = list(meeting.documents.select_related("agenda_item").order_by("title", "pk"))
    return render(request, "meetings/meeting_record.html", {
        "meeting": meeting, "heading": _meeting_heading(meeting), "body_url": _body_url(meeting.body),
        "decision_prefix": selectors.decision_prefix(meeting), "items": items,
        "form": form, "formset": formset, "document_form": document_form, "documents": documents,
        "has_errors": form.is_bound and bool(form.errors or formset.total_error_count()),
        "document_has_errors": document_form.is_bound and bool(document_form.errors),
        "error_forms": [form], "error_formsets": [formset], "document_forms": [document_form],
    })


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).select_related("presenter").order_by("number"))


@bureau_only
@require_http_methods(["GET", "POST"])
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    items = _agenda(meeting)
    if request.method == "GET":
        form, formset = _record_forms(meeting, items)
    elif "more_rows" in request.POST:
        form, formset = _record_forms(meeting, items, data=request.POST, more_rows=True)
    else:
        form, formset = _record_forms(meeting, items, data=request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                services.meeting_record(
                    meeting=meeting, attendance=form.attendance_entries(), minutes=form.cleaned_data["minutes"],
                    minutes_approved_on=form.cleaned_data["minutes_approved_on"],
                    decisions=forms.decision_entries(formset))
            except ValidationError as error:
                add_refusal(form, error, fields=FIELD_FOR)
            else:
                messages.success(request, gettext("The meeting's record is saved."))
                return redirect(meeting.get_absolute_url())
    return _record_page(request, meeting, items, form, formset)


@bureau_only
@require_POST
def meeting_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    items = _agenda(meeting)
    form = forms.DocumentForm(request.POST, request.FILES, items=items)
    if form.is_valid():
        try:
            services.meeting_document_add(
                meeting=meeting, title=form.cleaned_data["title"], file=form.cleaned_data["file"],
                visibility=form.cleaned_data["visibility"], agenda_item=form.chosen_item(),
                uploaded_by=request.user)
        except ValidationError as error:
            add_refusal(form, error, fields=FIELD_FOR)
        else:
            messages.success(request, gettext("The document is added."))
            return redirect(reverse("meetings:meeting_record", kwargs={"pk": meeting.pk}) + "#documents")
    record_form, formset = _record_forms(meeting, items)
    return _record_page(request, meeting, items, record_form, formset, document_form=form)


# --- calendar feeds ------------------------------------------------------------------------

def _calendar_response(request: HttpRequest, meeting_list, *, name: str, filename: str) -> HttpResponse:
    pattern = request.build_absolute_uri(reverse("meetings:meeting", kwargs={"pk": 0}))
    head, tail = pattern.rsplit("/0/", 1)
    text = ical.meetings_calendar(
        meeting_list, name=name, url_for=lambda meeting: f"{head}/{meeting.pk}/{tail}",
        agenda_heading=gettext("Agenda"), online_heading=gettext("Online"))
    content = text.encode("utf-8")
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Length"] = str(len(content))
    if request.method == "HEAD":  # the same headers as GET, without the body, whatever the server does
        response.content = b""
    return response


@calendar_access
@require_safe
def body_ical(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body.objects.select_related("network"), slug=slug)
    token = request.GET.get("token", "")
    if token:
        person = selectors.person_for_calendar_token(token)
        if person is None:
            raise Http404("unknown calendar token")
        if not selectors.holds_current_position(person, body):
            raise PermissionDenied
    else:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        viewer = viewer_for(request.user)
        if not (viewer.is_bureau or viewer.is_member or body.pk in viewer.body_ids):
            raise PermissionDenied
    meeting_list = selectors.meetings_of_body(body, since=timezone.now() - FEED_HISTORY)
    return _calendar_response(request, meeting_list, name=f"{body.network.short_name} – {body.name}",
                              filename=f"{body.slug}.ics")


@calendar_access
@require_safe
def my_ical(request: HttpRequest, token: str) -> HttpResponse:
    person = selectors.person_for_calendar_token(token)
    if person is None:
        raise Http404("unknown calendar token")
    meeting_list = selectors.meetings_for_person(person, since=timezone.now() - FEED_HISTORY)
    return _calendar_response(request, meeting_list,
                              name=gettext("Meetings of %(name)s") % {"name": person.name},
                              filename="vergaderingen.ics")
