"""Letters are numbered per year when their draft is created: "Lbr. 26/001", gapless, never
reused (a withdrawn draft keeps its number), unique per year in the database, and safe when two
drafts are made at the same moment (the year's sequence row is locked)."""

import datetime
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from stedennet.letters import services
from stedennet.letters.constants import LOG_CREATED, LOG_WITHDRAWN, LetterStatus
from stedennet.letters.models import Letter, reference_for

pytestmark = pytest.mark.django_db


def at(year: int, month: int = 3, day: int = 1) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


def test_the_reference():
    assert reference_for(2026, 12) == "Lbr. 26/012"
    assert reference_for(2030, 1) == "Lbr. 30/001"


def test_numbers_are_gapless_per_year_and_start_again_each_year():
    made = [services.letter_create(title=f"Brief {i}", now=at(2026, 1 + i)) for i in range(3)]
    assert [letter.reference for letter in made] == ["Lbr. 26/001", "Lbr. 26/002", "Lbr. 26/003"]
    next_year = services.letter_create(title="Januari", now=at(2027, 1, 5))
    assert next_year.reference == "Lbr. 27/001"
    assert services.letter_create(title="Later", now=at(2026, 12, 1)).reference == "Lbr. 26/004"


def test_a_withdrawn_draft_keeps_its_number_and_it_is_not_given_again(make_user):
    bureau = make_user("bureau")
    first = services.letter_create(title="Eerste", now=at(2026))
    withdrawn = services.letter_withdraw(first, by=bureau)
    assert (withdrawn.status, withdrawn.reference) == (LetterStatus.WITHDRAWN, "Lbr. 26/001")
    assert withdrawn.withdrawn_at is not None
    assert services.letter_create(title="Tweede", now=at(2026)).reference == "Lbr. 26/002"
    kind = ContentType.objects.get_for_model(Letter)
    actions = list(ModelLogEntry.objects.filter(content_type=kind, object_id=str(first.pk))
                   .values_list("action", "user_id").order_by("pk"))
    assert actions == [(LOG_CREATED, None), (LOG_WITHDRAWN, bureau.pk)]


def test_a_withdrawn_letter_cannot_be_withdrawn_or_changed_again():
    letter = services.letter_withdraw(services.letter_create(title="Weg", now=at(2026)))
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_withdraw(letter)
    assert refused.value.code == "status_not_allowed"
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_update(letter, title="Nieuw", body="<p>x</p>")
    assert refused.value.code == "not_draft"


def test_the_database_refuses_a_second_letter_with_the_same_number():
    letter = services.letter_create(title="Eerste", now=at(2026))
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(year=letter.year, number=letter.number, title="Dubbel")


def test_a_title_is_required():
    with pytest.raises(services.LetterRefused) as refused:
        services.letter_create(title="   ", now=at(2026))
    assert (refused.value.code, refused.value.field) == ("title_required", "title")
    assert not Letter.objects.exists()  # and no number was used up
    assert services.letter_create(title="Wel", now=at(2026)).number == 1


def test_the_text_is_cleaned():
    letter = services.letter_create(title="Schoon", now=at(2026), body=(
        '<p data-block-key="a1">Hallo <script>alert(1)</script><a href="javascript:alert(1)">x</a>'
        '<a href="https://example.org/" onclick="x()">y</a></p><img src="https://tracker.example/p.gif">'))
    assert "script" not in letter.body and "javascript" not in letter.body and "onclick" not in letter.body
    assert "<img" not in letter.body
    assert 'href="https://example.org/"' in letter.body and 'data-block-key="a1"' in letter.body


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises writes")
def test_drafts_made_at_the_same_moment_get_different_numbers():
    count = 8
    barrier, made, errors = threading.Barrier(count), [], []

    def create(i):
        try:
            barrier.wait()
            made.append(services.letter_create(title=f"Tegelijk {i}", now=at(2026)).number)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(made) == list(range(1, count + 1))
