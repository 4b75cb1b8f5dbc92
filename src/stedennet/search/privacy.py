"""What site search holds on a person (see ``accounts.privacy``): the index row of the person (name,
function, portfolio, expertise, organisation). On erasure the row leaves the index at once, and
after the commit the person and what they wrote are indexed again from what remains (questions
and answers keep their text, which never held the author's name)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import ERASE, ORDER_INDEX, holding_register, records
from stedennet.search import index
from stedennet.search.models import SearchDocument, SearchKind


def _rows(subject):
    if subject.person_id is None:
        return SearchDocument.objects.none()
    return SearchDocument.objects.filter(kind=SearchKind.PERSON, object_id=subject.person_id)


def _reindex(person_id: int) -> None:
    from stedennet.governance.models import Person
    from stedennet.knowledge.models import Answer, Question

    index.index_update(SearchKind.QUESTION, list(Question.objects.filter(asker_id=person_id)
                                                 .values_list("pk", flat=True)))
    index.index_update(SearchKind.ANSWER, list(Answer.objects.filter(author_id=person_id).values_list("pk", flat=True)))
    # An erased person is no longer someone to find: whatever the person's own reindexing wrote goes.
    if Person.objects.filter(pk=person_id, erased_at__isnull=False).exists():
        SearchDocument.objects.filter(kind=SearchKind.PERSON, object_id=person_id).delete()


def _erase(subject, by) -> int:
    if subject.person_id is None:
        return 0
    removed = _rows(subject).delete()[0]
    person_id = subject.person_id
    transaction.on_commit(lambda: _reindex(person_id))
    return removed


holding_register(
    SearchDocument, basis=ERASE, order=ORDER_INDEX, erase=_erase,
    export=lambda subject: records(_rows(subject), ["title", "text"]),
    what=_("Your entry in the site's search (name, function, portfolio, expertise, organisation): you are no "
           "longer found once erased."))
