"""The library: the list with filters, one item with its files and links, downloading a file, and
adding an item.

Who may see what (every view declares it, see ``stedennet.web.access``):
- the list, an item and its files: anyone; the viewer decides what shows (anonymous visitors see
  public items only). An item the viewer may not see is a 404, so its existence is not revealed.
- adding an item: members (administrators, civil servants) and the bureau; anonymous visitors go
  to the sign-in page, others get 403 (``knowledge.access``).
"""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from stedennet.governance.access import viewer_for
from stedennet.knowledge import selectors, services
from stedennet.knowledge.access import is_member_or_bureau, members_and_bureau
from stedennet.knowledge.forms import LibraryItemForm
from stedennet.knowledge.models import LibraryFile
from stedennet.web.access import public
from stedennet.web.refusals import add_refusal

PAGE_SIZE = 25

# --- pages -----------------------------------------------------------------------------------

FILTERS = {"pijler": "pillar", "themagroep": "theme_group", "gemeente": "municipality", "onderwerp": "topic"}


def _chosen(request: HttpRequest, choices: selectors.LibraryFilters) -> dict:
    """The filters in the query string, resolved against the choices (no extra query)."""
    by_key = {
        "pillar": {body.slug: body for body in choices.pillars},
        "theme_group": {body.slug: body for body in choices.theme_groups},
        "municipality": {m.cbs_code: m for m in choices.municipalities},
        "topic": {topic.slug: topic for topic in choices.topics},
    }
    chosen = {}
    for parameter, key in FILTERS.items():
        value = request.GET.get(parameter, "")
        if value and value in by_key[key]:
            chosen[key] = by_key[key][value]
    return chosen


@public
@require_GET
def library_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    choices = selectors.library_filters(viewer=viewer)
    chosen = _chosen(request, choices)
    items = selectors.library_items(viewer=viewer, **chosen)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "knowledge/library/library_list.html", {
        "page": page, "items": page.object_list, "choices": choices, "chosen": chosen,
        "selected": {parameter: request.GET.get(parameter, "") for parameter in FILTERS},
        "query": query.urlencode(), "may_add": is_member_or_bureau(viewer),
    })


@public
@require_GET
def library_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.library_item(viewer=viewer_for(request.user), pk=pk)
    if item is None:
        raise Http404
    return render(request, "knowledge/library/library_item.html", {
        "item": item, "body_html": services.sanitize_html(item.body),
    })


@public
@require_GET
def library_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """A file of an item the viewer may see, as a download (never shown inline)."""
    item = selectors.library_item(viewer=viewer_for(request.user), pk=pk)
    stored = LibraryFile.objects.filter(pk=file_pk, item_id=pk).first() if item is not None else None
    if stored is None:
        raise Http404
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.title,
                            content_type=stored.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The form field that a refusal of the services concerns, by its code (for ``web.refusals.add_refusal``).
FIELD_OF_REFUSAL = {"type_not_allowed": "files", "upload_too_large": "files", "upload_empty": "files",
                    "content_mismatch": "files", "archive_corrupt": "files", "archive_bomb": "files",
                    "archive_unsupported": "files",
                    "group": "group", "title": "title", "link": "links", "pillar": "pillar",
                    "theme_group": "theme_group", "visibility": "visibility"}


@members_and_bureau
@require_http_methods(["GET", "POST"])
def library_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    kwargs = {"groups": services.groups_for(viewer), "municipalities": selectors.member_municipalities()}
    if request.method == "POST":
        form = LibraryItemForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.library_item_create(
                    viewer=viewer, title=data["title"], summary=data["summary"], body=data["body"],
                    visibility=data["visibility"], group=data["group"], pillar=data["pillar"],
                    theme_group=data["theme_group"], tagged_municipalities=data["tagged_municipalities"],
                    topics=data["topics"], files=data["files"], links=data["links"])
            except services.KnowledgeRefused as refused:
                add_refusal(form, refused, fields=FIELD_OF_REFUSAL)
            else:
                return redirect(item.get_absolute_url())
    else:
        form = LibraryItemForm(**kwargs)
    return render(request, "knowledge/library/library_form.html", {"form": form})
