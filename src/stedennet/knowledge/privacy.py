"""What knowledge exchange holds on a person (see ``accounts.privacy``): library items they added,
questions they asked or follow, answers they gave, their digest choice. What they wrote stays (the
network's knowledge), attributed to "former member of …"; following and the digest end."""

from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import ANONYMISE, ERASE, ORDER_CONTENT, holding_register, not_personal, records
from stedennet.knowledge.models import Answer, DigestSubscription, LibraryItem, Question

not_personal("knowledge.Topic", _("Topics of the library: a name per topic."))


def _by_person(model, field, fields, related=()):
    def export_rows(subject):
        if subject.person_id is None:
            return []
        return records(model.objects.filter(**{field: subject.person_id}).select_related(*related), fields)

    return export_rows


def _questions(subject):
    if subject.person_id is None:
        return []
    rows = records(Question.objects.filter(asker_id=subject.person_id), ["title", "body", "visibility", "created_at"])
    for row in rows:
        row["relation"] = "asked"
    followed = records(Question.objects.filter(followers=subject.person_id), ["title", "created_at"])
    for row in followed:
        row["relation"] = "follows"
    return rows + followed


def _unfollow(subject, by) -> int:
    if subject.person_id is None:
        return 0
    through = Question.followers.through
    return through.objects.filter(person_id=subject.person_id).delete()[0]


def _digest(subject):
    if subject.user_id is None:
        return []
    return records(DigestSubscription.objects.filter(user_id=subject.user_id), ["frequency", "last_sent_at"])


holding_register(
    LibraryItem, basis=ANONYMISE, export=_by_person(LibraryItem, "author_id", ["title", "summary", "created_at"]),
    what=_("Library items you added. They stay, without your name."))
holding_register(
    Question, basis=ANONYMISE, export=_questions, erase=_unfollow, order=ORDER_CONTENT,
    what=_("Questions you asked (they stay, without your name) and questions you follow (no longer)."))
holding_register(
    Answer, basis=ANONYMISE,
    export=_by_person(Answer, "author_id", ["question", "body", "created_at"], related=("question",)),
    what=_("Answers you gave. They stay, without your name."))
holding_register(
    DigestSubscription, basis=ERASE, export=_digest,
    erase=lambda subject, by: DigestSubscription.objects.filter(user_id=subject.user_id).delete()[0]
    if subject.user_id else 0,
    what=_("Your choice of digest (how often you hear what is new in your groups)."))
