"""Knowledge writes: library items with their files, links and tags; questions between cities,
answers, the best answer and following a question. Every write is atomic: nothing is half-saved.

- ``sanitize_html(html)`` keeps only p, br, strong, em, ul, ol, li, a[href], h2, h3, blockquote
  (nh3); scripts and their content, styles and every other attribute (``on*`` handlers among them)
  go; links get ``rel="noopener noreferrer"``.
- ``file_check(upload)`` is the platform's one upload check (``stedennet.web.uploads``): type by
  name and content, size, and archives read within fixed limits; refused with its code.
- ``library_item_create(...)`` checks every file first, then saves the item, files, links and
  tags in one transaction.
- ``question_ask(...)`` saves a question to all members or to one theme group the asker may
  address; after the commit, every person with a current position in that theme group (but the
  asker) gets a mail, in the background (``question_notify``). A question to all members mails
  nobody: it reaches them through the digest.
- ``answer_post(...)`` saves an answer; after the commit, the asker and the followers (but the
  author) get a mail (``answer_notify``).
- ``best_answer_mark(...)``: only the asker marks one of the question's answers as the best.
- ``question_follow`` / ``question_unfollow``.
"""

from collections.abc import Iterable, Sequence

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.core.validators import URLValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _
from django_tasks import task

from stedennet.governance.access import Viewer
from stedennet.governance.models import Body, BodyKind, Person, Position, Visibility
from stedennet.knowledge.models import (
    ALLOWED_EXTENSIONS,  # noqa: F401 - the allowed types, for callers of file_check
    Answer,
    LibraryFile,
    LibraryItem,
    LibraryLink,
    Question,
    Topic,
)
from stedennet.registry.models import Municipality
from stedennet.web.refusals import Refused
from stedennet.web.uploads import CheckedUpload, UploadRefused, check_upload

__all__ = [
    "KnowledgeRefused",
    "absolute_url",
    "addressable_groups",
    "answer_notify",
    "answer_post",
    "best_answer_mark",
    "file_check",
    "groups_for",
    "library_item_create",
    "question_ask",
    "question_follow",
    "question_notify",
    "question_unfollow",
    "sanitize_html",
    "topics_from",
]


class KnowledgeRefused(Refused):
    """A change the rules of the knowledge exchange do not allow; the message says why, ``code``
    which rule (the views map codes to form fields)."""


# --- rich text -------------------------------------------------------------------------------

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    """The rich text with only the allowed tags and attributes; script and style content removed."""
    if not html:
        return ""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True).strip()


# --- files -----------------------------------------------------------------------------------


def file_check(upload: UploadedFile) -> CheckedUpload:
    """The platform's one upload check (``stedennet.web.uploads.check_upload``); its refusal comes
    back as a ``KnowledgeRefused`` with the same code."""
    try:
        return check_upload(upload)
    except UploadRefused as refused:
        raise KnowledgeRefused(refused.messages[0], code=refused.code) from None


# --- library ---------------------------------------------------------------------------------

def _check_visibility(visibility: str, group: Body | None) -> None:
    if visibility not in Visibility.values:
        raise KnowledgeRefused(_("Unknown visibility: %(value)s.") % {"value": visibility}, code="visibility")
    if visibility == Visibility.BODY and group is None:
        raise KnowledgeRefused(_("Choose the group that may see it."), code="group")


def groups_for(viewer: Viewer):
    """The bodies ``viewer`` may share with or address: the bureau all, others the ones they sit in."""
    bodies = Body.objects.filter(archived_at__isnull=True)
    if viewer.is_bureau:
        return bodies
    return bodies.filter(pk__in=list(viewer.body_ids))


def topics_from(names: Iterable[str]) -> list[Topic]:
    """Free topics by name, created when new (matched on their slug)."""
    topics = []
    for raw in names:
        name = " ".join(raw.split())[:100]
        slug = slugify(name)[:100]
        if not slug:
            continue
        topic = Topic.objects.filter(slug=slug).first() or Topic.objects.create(name=name, slug=slug)
        if topic not in topics:
            topics.append(topic)
    return topics


@transaction.atomic
def library_item_create(*, viewer: Viewer, title: str, summary: str = "", body: str = "",
                        visibility: str = Visibility.MEMBERS, group: Body | None = None,
                        pillar: Body | None = None, theme_group: Body | None = None,
                        municipality: Municipality | None = None,
                        tagged_municipalities: Sequence[Municipality] = (), topics: Sequence[str] = (),
                        files: Sequence[UploadedFile] = (), links: Sequence[tuple[str, str]] = ()) -> LibraryItem:
    """A library item with its files, links and tags, all or nothing. Files are checked before
    anything is written; a refused file refuses the whole item with the reason."""
    if not (viewer.is_member or viewer.is_bureau):
        raise KnowledgeRefused(_("Only members and the network bureau add to the library."), code="forbidden")
    title = (title or "").strip()
    if not title:
        raise KnowledgeRefused(_("A title is required."), code="title")
    _check_visibility(visibility, group)
    if visibility != Visibility.BODY:
        group = None
    elif not groups_for(viewer).filter(pk=group.pk).exists():
        raise KnowledgeRefused(_("You can only share with a group you belong to."), code="group")
    if pillar is not None and pillar.kind != BodyKind.PILLAR:
        raise KnowledgeRefused(_("%(body)s is not a pillar.") % {"body": pillar}, code="pillar")
    if theme_group is not None and theme_group.kind != BodyKind.THEME_GROUP:
        raise KnowledgeRefused(_("%(body)s is not a theme group.") % {"body": theme_group}, code="theme_group")
    checked = [file_check(upload) for upload in files]
    url_check = URLValidator(schemes=["http", "https"])
    for url, _title in links:
        try:
            url_check(url)
        except ValidationError:
            raise KnowledgeRefused(_("%(url)s is not a valid web address.") % {"url": url}, code="link") from None
    person = viewer.person
    item = LibraryItem(
        title=title[:300], summary=(summary or "").strip(), body=sanitize_html(body), author=person,
        municipality=municipality or (person.municipality if person else None),
        pillar=pillar or (theme_group.parent if theme_group and theme_group.parent
                          and theme_group.parent.kind == BodyKind.PILLAR else None),
        theme_group=theme_group, visibility=visibility, group=group,
    )
    item.full_clean()
    stored_files: list[LibraryFile] = []
    try:
        item.save()
        if tagged_municipalities:
            item.tagged_municipalities.set(tagged_municipalities)
        if topics:
            item.topics.set(topics_from(topics))
        for checked_file in checked:
            stored = LibraryFile(item=item, title=checked_file.name[:300], content_type=checked_file.content_type,
                                 size=checked_file.size)
            checked_file.upload.seek(0)
            stored.file.save(get_valid_filename(checked_file.name), checked_file.upload, save=False)
            stored_files.append(stored)
            stored.save()
        LibraryLink.objects.bulk_create(
            [LibraryLink(item=item, url=url, title=(link_title or "")[:300]) for url, link_title in links])
    except Exception:
        # The rows roll back with the transaction; the stored files must not stay behind.
        for stored in stored_files:
            stored.file.delete(save=False)
        raise
    return item


# --- questions -------------------------------------------------------------------------------

def addressable_groups(viewer: Viewer):
    """The theme groups ``viewer`` may ask a question: the ones they hold a position in; the bureau all."""
    return groups_for(viewer).filter(kind=BodyKind.THEME_GROUP).order_by("name")


def absolute_url(path: str) -> str:
    base = getattr(settings, "STEDENNET_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + path


@transaction.atomic
def question_ask(*, viewer: Viewer, title: str, body: str = "", group: Body | None = None,
                 visibility: str = Visibility.MEMBERS) -> Question:
    """A question to all members (``group`` None) or to one theme group the asker may address.
    The members of that group are mailed after the commit."""
    person = viewer.person
    if person is None or not (viewer.is_member or viewer.is_bureau):
        raise KnowledgeRefused(_("Only people of the member cities and the network bureau ask questions."),
                               code="forbidden")
    if group is not None and not addressable_groups(viewer).filter(pk=group.pk).exists():
        raise KnowledgeRefused(_("You can only ask a theme group you belong to."), code="group")
    if visibility == Visibility.PUBLIC:
        raise KnowledgeRefused(_("Questions are not public."), code="visibility")
    _check_visibility(visibility, group)
    question = Question(title=(title or "").strip(), body=(body or "").strip(), asker=person,
                        municipality=person.municipality, group=group, visibility=visibility)
    question.full_clean(exclude=["best_answer"])
    question.save()
    question.followers.add(person)
    if group is not None:
        pk = question.pk
        transaction.on_commit(lambda: question_notify.enqueue(pk))
    return question


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages)


@task()
def question_notify(question_pk: int) -> int:
    """Mail every person with a current position in the question's theme group, but the asker."""
    question = Question.objects.select_related("asker", "municipality", "group").filter(pk=question_pk).first()
    if question is None or question.group_id is None:
        return 0
    recipients = (Person.objects.filter(pk__in=Position.objects.current().filter(body_id=question.group_id)
                                        .values("person_id"))
                  .exclude(pk=question.asker_id).exclude(email="").order_by("pk"))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New question in %(group)s: %(title)s") % {"group": question.group.name,
                                                                "title": question.title}
        context = {"question": question, "url": absolute_url(question.get_absolute_url()),
                   "site_name": settings.WAGTAIL_SITE_NAME}
        text = render_to_string("knowledge/questions/question_email.txt", context)
    return _send([EmailMessage(subject=subject, body=text, to=[person.email]) for person in recipients])


@transaction.atomic
def answer_post(*, viewer: Viewer, question: Question, body: str) -> Answer:
    """An answer to a question ``viewer`` may see; the asker and followers are mailed after the commit."""
    person = viewer.person
    if person is None:
        raise KnowledgeRefused(_("Your account is not linked to a person of the network."), code="forbidden")
    if not Question.objects.visible_to(viewer).filter(pk=question.pk).exists():
        raise KnowledgeRefused(_("This question is not open to you."), code="forbidden")
    answer = Answer(question=question, author=person, body=(body or "").strip())
    answer.full_clean()
    answer.save()
    pk = answer.pk
    transaction.on_commit(lambda: answer_notify.enqueue(pk))
    return answer


@task()
def answer_notify(answer_pk: int) -> int:
    """Mail the asker and the followers of the answered question, but the answer's author."""
    answer = Answer.objects.select_related("question", "author", "author__municipality").filter(pk=answer_pk).first()
    if answer is None:
        return 0
    question = answer.question
    recipients = (Person.objects.filter(pk__in=[question.asker_id])
                  | Person.objects.filter(followed_questions=question)).distinct()
    recipients = recipients.exclude(pk=answer.author_id).exclude(email="").order_by("pk")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New answer to: %(title)s") % {"title": question.title}
        context = {"question": question, "answer": answer, "url": absolute_url(question.get_absolute_url()),
                   "site_name": settings.WAGTAIL_SITE_NAME}
        text = render_to_string("knowledge/questions/answer_email.txt", context)
    return _send([EmailMessage(subject=subject, body=text, to=[person.email]) for person in recipients])


@transaction.atomic
def best_answer_mark(*, viewer: Viewer, answer: Answer) -> Question:
    """The asker marks ``answer`` as the best answer to their question (replacing an earlier mark)."""
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    if viewer.person is None or viewer.person.pk != question.asker_id:
        raise KnowledgeRefused(_("Only the person who asked the question marks the best answer."),
                               code="forbidden")
    question.best_answer = answer
    question.save(update_fields=["best_answer"])
    return question


def question_follow(*, viewer: Viewer, question: Question) -> None:
    if viewer.person is None:
        raise KnowledgeRefused(_("Your account is not linked to a person of the network."), code="forbidden")
    if not Question.objects.visible_to(viewer).filter(pk=question.pk).exists():
        raise KnowledgeRefused(_("This question is not open to you."), code="forbidden")
    question.followers.add(viewer.person)


def question_unfollow(*, viewer: Viewer, question: Question) -> None:
    if viewer.person is not None:
        question.followers.remove(viewer.person)
