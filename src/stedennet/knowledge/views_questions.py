"""Questions between cities (the list, asking with similar earlier questions offered while typing,
a question with its answers, answering, marking the best answer, following) and the expertise
directory ("who knows about X").

Who may see what (every view declares it, see ``stedennet.web.access``):
- questions (list, similar ones, one question): members, partners and the bureau; what shows is
  what the viewer may see (partners: what is shared with members and partners). A question the
  viewer may not see is a 404.
- asking: members and the bureau with a person of the network;
- answering and following: whoever sees the question and has a person of the network;
- marking the best answer: the asker only (403 for anyone else);
- the expertise directory: members and the bureau.
Anonymous visitors go to the sign-in page (the decorators of ``knowledge.access``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stedennet.governance.access import Viewer, viewer_for
from stedennet.governance.models import Body, BodyKind
from stedennet.knowledge import selectors, services
from stedennet.knowledge.access import askers, asks, members_and_bureau, question_readers
from stedennet.knowledge.forms import AnswerForm, ExpertSearchForm, QuestionForm
from stedennet.knowledge.models import Answer, Question
from stedennet.knowledge.views_library import FIELD_OF_REFUSAL
from stedennet.web.refusals import add_refusal

PAGE_SIZE = 25


def _visible_question(viewer: Viewer, pk: int) -> Question:
    question = Question.objects.visible_to(viewer).filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


@question_readers
@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    groups = list(Body.objects.filter(kind=BodyKind.THEME_GROUP, archived_at__isnull=True).order_by("name"))
    group = next((g for g in groups if g.slug == request.GET.get("themagroep")), None)
    page = Paginator(selectors.questions(viewer=viewer, group=group), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "knowledge/questions/question_list.html", {
        "page": page, "questions": page.object_list, "groups": groups, "group": group,
        "may_ask": asks(viewer),
    })


@askers
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    groups = services.addressable_groups(viewer)
    similar = []
    if request.method == "POST":
        form = QuestionForm(request.POST, groups=groups)
        if form.is_valid():
            data = form.cleaned_data
            try:
                question = services.question_ask(viewer=viewer, title=data["title"], body=data["body"],
                                                  group=data["group"], visibility=data["visibility"])
            except services.KnowledgeRefused as refused:
                add_refusal(form, refused, fields=FIELD_OF_REFUSAL)
            else:
                messages.success(request, _("Your question has been asked."))
                return redirect(question.get_absolute_url())
        similar = selectors.similar_questions(request.POST.get("title", ""), viewer)
    else:
        initial = {}
        slug = request.GET.get("themagroep")
        if slug:
            initial["group"] = groups.filter(slug=slug).first()
        form = QuestionForm(groups=groups, initial=initial)
    return render(request, "knowledge/questions/question_form.html", {"form": form, "similar": similar})


@question_readers
@require_GET
def question_similar(request: HttpRequest) -> HttpResponse:
    """A fragment: the earlier questions like the text typed so far (``q``, or ``title`` from the form)."""
    text = (request.GET.get("q") or request.GET.get("title") or "")[:500]
    similar = selectors.similar_questions(text, viewer_for(request.user))
    return render(request, "knowledge/questions/_similar.html", {"similar": similar, "text": text})


@question_readers
@require_GET
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    question = selectors.question_detail(viewer=viewer, pk=pk)
    if question is None:
        raise Http404
    return _detail(request, viewer, question, AnswerForm())


def _detail(request, viewer: Viewer, question: Question, form: AnswerForm) -> HttpResponse:
    is_asker = viewer.person is not None and viewer.person.pk == question.asker_id
    return render(request, "knowledge/questions/question_detail.html", {
        "question": question, "answers": list(question.answers.all()), "form": form,
        "is_asker": is_asker, "may_answer": viewer.person is not None,
    })


@question_readers
@require_POST
def answer_create(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    question = _visible_question(viewer, pk)
    if viewer.person is None:
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_post(viewer=viewer, question=question, body=form.cleaned_data["body"])
        except services.KnowledgeRefused as refused:
            add_refusal(form, refused, fields=FIELD_OF_REFUSAL)
        else:
            messages.success(request, _("Your answer has been posted."))
            return redirect(f"{question.get_absolute_url()}#answer-{answer.pk}")
    question = selectors.question_detail(viewer=viewer, pk=pk)
    return _detail(request, viewer, question, form)


@question_readers
@require_POST
def best_answer(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    question = _visible_question(viewer, pk)
    answer = get_object_or_404(Answer, pk=request.POST.get("answer") or 0, question=question)
    try:
        services.best_answer_mark(viewer=viewer, answer=answer)
    except services.KnowledgeRefused:
        raise PermissionDenied from None
    messages.success(request, _("The answer has been marked as the best."))
    return redirect(f"{question.get_absolute_url()}#answer-{answer.pk}")


@question_readers
@require_POST
def question_follow(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    question = _visible_question(viewer, pk)
    try:
        services.question_follow(viewer=viewer, question=question)
    except services.KnowledgeRefused:
        raise PermissionDenied from None
    messages.success(request, _("You follow this question: new answers reach you by mail."))
    return redirect(question.get_absolute_url())


@question_readers
@require_POST
def question_unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_for(request.user)
    question = _visible_question(viewer, pk)
    services.question_unfollow(viewer=viewer, question=question)
    messages.success(request, _("You no longer follow this question."))
    return redirect(question.get_absolute_url())


# --- the expertise directory -----------------------------------------------------------------

@members_and_bureau
@require_GET
def experts(request: HttpRequest) -> HttpResponse:
    form = ExpertSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    people = selectors.expertise_directory(query, viewer_for(request.user)) if query else []
    return render(request, "knowledge/experts/expert_list.html", {
        "form": form, "query": query, "people": people, "limit": selectors.MAX_EXPERTS,
    })
