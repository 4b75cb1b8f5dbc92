"""The member letter in the back office: only the bureau gets in; a new letter is numbered and
composed from the draft, edited, previewed as mail and as web page, tested, sent once (pressing
twice sends nothing twice) and followed on the progress page; refusals show with their code;
distribution addresses and subscribers are listed with a fixed number of queries."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core import mail
from django.test import TestCase
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import rich_text

from stedennet.accounts.constants import Role
from stedennet.letters import services
from stedennet.letters.constants import LOG_CREATED, LOG_SENT, LOG_TEST_SENT, LetterStatus, SubscriberStatus
from stedennet.letters.models import DistributionAddress, Letter, Subscriber
from stedennet.letters.tests.factories import address, addresses_for_members, member_list, subscriber
from stedennet.mail.models import Mailing

LETTERS = "/admin/snippets/letters/letter/"
ADDRESSES = "/admin/snippets/letters/distributionaddress/"
SUBSCRIBERS = "/admin/snippets/letters/subscriber/"
ALMERE = "GM0034"


def committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


def tags(response) -> list[str]:
    return [message.extra_tags for message in get_messages(response.wsgi_request)]


def actions(letter) -> list[str]:
    kind = ContentType.objects.get_for_model(Letter)
    return list(ModelLogEntry.objects.filter(content_type=kind, object_id=str(letter.pk))
                .order_by("pk").values_list("action", flat=True))


@pytest.fixture
def bureau_user(make_user):
    user = make_user("bureau", Role.BUREAU)
    user.email = "bureau@example.org"
    user.save()
    return user


@pytest.fixture
def bureau(back_office_login, client, bureau_user):
    back_office_login(client, bureau_user)
    return client


@pytest.fixture
def draft(g40):
    return services.letter_create(title="Nieuws uit het netwerk", body="<p>Wat er gebeurde.</p>")


def urls_of(letter, reader, place) -> list[str]:
    return [
        LETTERS, f"{LETTERS}add/", f"{LETTERS}edit/{letter.pk}/", f"{LETTERS}history/{letter.pk}/",
        f"/admin/letters/{letter.pk}/preview/", f"/admin/letters/{letter.pk}/preview/mail/",
        f"/admin/letters/{letter.pk}/preview/web/", f"/admin/letters/{letter.pk}/send/",
        f"/admin/letters/{letter.pk}/withdraw/",
        ADDRESSES, f"{ADDRESSES}add/", f"{ADDRESSES}edit/{place.pk}/",
        SUBSCRIBERS, f"{SUBSCRIBERS}add/", f"{SUBSCRIBERS}edit/{reader.pk}/",
        f"/admin/letters/subscribers/{reader.pk}/stop/",
    ]


# --- who gets in ------------------------------------------------------------------------------

def test_the_bureau_opens_every_letters_page(bureau, draft):
    reader, place = subscriber(), address(member_list()[0])
    for url in urls_of(draft, reader, place):
        assert bureau.get(url).status_code == 200, url
    html = bureau.get(LETTERS).content.decode()
    assert draft.reference in html and f'href="/admin/letters/{draft.pk}/send/"' in html
    assert bureau.get(f"{LETTERS}delete/{draft.pk}/").status_code in (302, 403, 404)
    assert Letter.objects.filter(pk=draft.pk).exists()


def test_others_are_refused_every_letters_page(back_office_login, client, make_user, draft):
    reader, place = subscriber(), address(member_list()[0])
    urls = urls_of(draft, reader, place)
    posts = [f"/admin/letters/{draft.pk}/send/", f"/admin/letters/{draft.pk}/test/",
             f"/admin/letters/{draft.pk}/withdraw/", f"{LETTERS}add/"]
    for url in [*urls, *posts]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/"), url
    client.force_login(make_user("ambtenaar", Role.CIVIL_SERVANT))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/"), url
    editor = make_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    back_office_login(client, editor)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/admin/", url
    for url in posts:
        assert client.post(url).status_code == 403, url
    draft.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT and Letter.objects.count() == 1 and not Mailing.objects.exists()


# --- a letter from the draft to its sending ------------------------------------------------------

def test_a_new_letter_is_numbered_and_composed_from_the_draft(bureau, bureau_user, g40):
    page = bureau.get(f"{LETTERS}add/")
    assert b'data-testid="new-letter-form"' in page.content
    response = bureau.post(f"{LETTERS}add/")
    letter = Letter.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{LETTERS}edit/{letter.pk}/"
    assert (letter.status, letter.number, letter.created_by) == (LetterStatus.DRAFT, 1, bureau_user)
    assert "letter-created" in tags(response)
    assert actions(letter) == [LOG_CREATED]
    edit = bureau.get(response["Location"])
    assert edit.status_code == 200 and letter.reference.encode() in edit.content


def test_a_draft_is_edited_through_the_service_and_a_sent_letter_is_not(bureau, draft):
    response = bureau.post(f"{LETTERS}edit/{draft.pk}/", {
        "title": "Nieuwe titel", "body": rich_text("<p>Nieuwe tekst met <b>nadruk</b>.</p>")})
    assert response.status_code == 302 and response["Location"] == f"/admin/letters/{draft.pk}/preview/"
    draft.refresh_from_db()
    assert draft.title == "Nieuwe titel" and "Nieuwe tekst" in draft.body
    assert "wagtail.edit" in actions(draft)
    blank = bureau.post(f"{LETTERS}edit/{draft.pk}/", {"title": " ", "body": rich_text("<p>x</p>")})
    assert blank.status_code == 200
    services.letter_withdraw(draft)
    assert bureau.get(f"{LETTERS}edit/{draft.pk}/")["Location"] == f"/admin/letters/{draft.pk}/preview/"
    bureau.post(f"{LETTERS}edit/{draft.pk}/", {"title": "Toch", "body": rich_text("<p>y</p>")})
    draft.refresh_from_db()
    assert draft.title == "Nieuwe titel"


def test_the_previews_and_the_test_send(bureau, draft, bureau_user):
    preview = bureau.get(f"/admin/letters/{draft.pk}/preview/").content.decode()
    assert f'data-reference="{draft.reference}"' in preview
    assert f'src="/admin/letters/{draft.pk}/preview/mail/"' in preview and 'sandbox=""' in preview
    assert re.search(r'data-testid="mail-text">[^<]*Wat er gebeurde', preview)
    part = bureau.get(f"/admin/letters/{draft.pk}/preview/mail/")
    assert part["Content-Security-Policy"].startswith("default-src 'none'")
    assert part["X-Frame-Options"] == "SAMEORIGIN" and b"<table" in part.content
    web = bureau.get(f"/admin/letters/{draft.pk}/preview/web/").content.decode()
    assert 'data-testid="preview-notice"' in web and "Wat er gebeurde" in web
    with committed():
        response = bureau.post(f"/admin/letters/{draft.pk}/test/")
    assert "test-sent" in tags(response)
    assert [message.to for message in mail.outbox] == [["bureau@example.org"]]
    assert LOG_TEST_SENT in actions(draft)
    bureau_user.email = ""
    bureau_user.save()
    response = bureau.post(f"/admin/letters/{draft.pk}/test/")
    assert "refusal-no_address" in tags(response) and len(mail.outbox) == 1
    assert bureau.get(f"/admin/letters/{draft.pk}/test/").status_code == 405


def test_the_send_step_shows_the_plan_then_sends_once_and_follows_the_progress(bureau, draft):
    addresses_for_members(without_griffie=(ALMERE,))
    reader = subscriber()
    page = bureau.get(f"/admin/letters/{draft.pk}/send/").content.decode()
    assert 'data-total="82"' in page and 'data-refusal=""' in page
    assert re.search(rf'data-testid="without-griffie"><li data-code="{ALMERE}">', page)
    assert 'data-role="subscribers">1<' in page and 'data-testid="every-college"' in page
    with committed():
        response = bureau.post(f"/admin/letters/{draft.pk}/send/")
        second = bureau.post(f"/admin/letters/{draft.pk}/send/")
    assert response["Location"] == f"/admin/letters/{draft.pk}/progress/" == second["Location"]
    assert Mailing.objects.count() == 1 and len(mail.outbox) == 82
    assert actions(draft).count(LOG_SENT) == 1
    progress = bureau.get(response["Location"]).content.decode()
    assert 'data-sent="82"' in progress and 'data-to-go="0"' in progress and 'data-done="true"' in progress
    assert "data-hx-get" not in progress and "<progress" in progress
    fragment = bureau.get(f"/admin/letters/{draft.pk}/progress/fragment/")
    assert fragment.status_code == 286 and b'data-done="true"' in fragment.content
    draft.refresh_from_db()
    assert draft.status == LetterStatus.SENT
    assert bureau.get(f"/admin/letters/{draft.pk}/send/")["Location"] == f"/admin/letters/{draft.pk}/progress/"
    assert reader.email in {m.to[0].split("<")[-1].rstrip(">") for m in mail.outbox}


def test_the_progress_page_polls_while_sending(bureau, draft):
    addresses_for_members()
    services.letter_send(draft)  # not committed: the mailing waits
    page = bureau.get(f"/admin/letters/{draft.pk}/progress/").content.decode()
    assert 'data-to-go="82"' in page and 'data-done="false"' in page
    assert f'data-hx-get="/admin/letters/{draft.pk}/progress/fragment/"' in page
    assert 'data-hx-trigger="every 1s"' in page
    fragment = bureau.get(f"/admin/letters/{draft.pk}/progress/fragment/")
    assert fragment.status_code == 200 and b'data-hx-trigger="every 1s"' in fragment.content
    other = services.letter_create(title="Concept", body="<p>x</p>")
    assert bureau.get(f"/admin/letters/{other.pk}/progress/fragment/").status_code == 404
    assert bureau.get(f"/admin/letters/{other.pk}/progress/")["Location"] == f"/admin/letters/{other.pk}/send/"


def test_a_refused_send_says_why_by_code(bureau, draft):
    page = bureau.get(f"/admin/letters/{draft.pk}/send/").content.decode()
    assert 'data-refusal="no_recipients"' in page and 'data-code="no_recipients"' in page
    response = bureau.post(f"/admin/letters/{draft.pk}/send/")
    assert response["Location"] == f"/admin/letters/{draft.pk}/send/"
    assert "refusal-no_recipients" in tags(response)
    address(member_list()[0], email="geen adres")
    page = bureau.get(f"/admin/letters/{draft.pk}/send/").content.decode()
    assert 'data-refusal="invalid_address"' in page and "geen adres" in page
    assert "refusal-invalid_address" in tags(bureau.post(f"/admin/letters/{draft.pk}/send/"))
    draft.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT and not Mailing.objects.exists()


def test_withdrawing_a_draft(bureau, draft):
    response = bureau.post(f"/admin/letters/{draft.pk}/withdraw/")
    assert response["Location"] == LETTERS and "letter-withdrawn" in tags(response)
    draft.refresh_from_db()
    assert draft.status == LetterStatus.WITHDRAWN
    assert "refusal-status_not_allowed" in tags(bureau.post(f"/admin/letters/{draft.pk}/withdraw/"))


# --- addresses and subscribers -------------------------------------------------------------------

def test_the_bureau_keeps_the_distribution_lists(bureau, g40):
    almere = next(m for m in member_list() if m.cbs_code == ALMERE)
    response = bureau.post(f"{ADDRESSES}add/", {"municipality": almere.pk, "role": "griffie", "name": "Griffie",
                                                "email": "griffie@almere.example.org", "is_active": "on"})
    assert response.status_code == 302
    assert DistributionAddress.objects.get().municipality == almere
    wrong = bureau.post(f"{ADDRESSES}add/", {"municipality": almere.pk, "role": "college", "email": "geen adres"})
    assert wrong.status_code == 200 and DistributionAddress.objects.count() == 1
    listing = bureau.get(f"{ADDRESSES}?municipality={almere.pk}").content.decode()
    assert "griffie@almere.example.org" in listing and "Almere" in listing


def test_a_subscriber_added_by_the_bureau_confirms_too_and_is_stopped_on_its_page(bureau, g40):
    with committed():
        response = bureau.post(f"{SUBSCRIBERS}add/", {"email": "nieuw@example.org", "name": "Nieuw"})
    assert response.status_code == 302
    added = Subscriber.objects.get()
    assert added.status == SubscriberStatus.PENDING and [m.to for m in mail.outbox] == [["nieuw@example.org"]]
    services.subscriber_confirm(added)
    response = bureau.post(f"/admin/letters/subscribers/{added.pk}/stop/")
    assert response["Location"] == SUBSCRIBERS
    added.refresh_from_db()
    assert added.status == SubscriberStatus.UNSUBSCRIBED


@pytest.mark.parametrize("listing", [LETTERS, ADDRESSES, SUBSCRIBERS])
def test_the_listings_cost_the_same_whatever_their_length(bureau, g40, listing, django_assert_max_num_queries):
    def grow(n):
        for i in range(n):
            services.letter_create(title=f"Brief {i}", body="<p>x</p>")
            subscriber(f"lezer{Subscriber.objects.count()}@example.org")
        for municipality in member_list()[DistributionAddress.objects.count():][:n]:
            address(municipality)

    grow(2)
    bureau.get(listing)
    with django_assert_max_num_queries(60) as few:
        assert bureau.get(listing).status_code == 200
    grow(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert bureau.get(listing).status_code == 200
