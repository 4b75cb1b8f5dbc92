"""Erasure across the apps: the bureau erases a person who holds a position, asked a question and
registered for an event; their name is on no page that showed it, not in search, not in the API;
"former member of" their municipality takes its place; their account, mail and log traces go; and
a restored backup that brings them back is erased again by ``stedennet privacy reapply``."""

import datetime
import html
import io
import json
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from wagtail.models import ModelLogEntry

from stedennet.accounts import erasure_list, privacy
from stedennet.accounts.constants import Role
from stedennet.accounts.models import Erasure
from stedennet.events.constants import RegistrationStatus
from stedennet.events.models import Registration
from stedennet.events.services import registration_create
from stedennet.events.tests.factories import event
from stedennet.governance.access import viewer_for
from stedennet.governance.models import Body, Person, Position
from stedennet.governance.models import Role as PositionRole
from stedennet.governance.tests.factories import person_with_account
from stedennet.knowledge.services import answer_post, question_ask
from stedennet.mail.models import OutgoingMail
from stedennet.search import index

NAME = "Annelies Verhoevenstraat"
EMAIL = "annelies.verhoeven@amstelveen.example.nl"


@pytest.fixture
def erasure_file(settings, tmp_path):
    settings.STEDENNET_ERASURE_LIST = tmp_path / "erasures.jsonl"
    return settings.STEDENNET_ERASURE_LIST


@pytest.fixture
def world(g40_bodies, make_user, erasure_file, django_capture_on_commit_callbacks):
    """The person: civil servant of Amstelveen, chair of the Sociale Pijler's civil-service meeting,
    asker of a question that a colleague answered, registered for two events (one full, with a
    waiting list). A colleague who reads the pages, and the bureau."""
    with django_capture_on_commit_callbacks(execute=True):
        person = person_with_account(name=NAME, email=EMAIL, username="annelies", portfolio="Jeugdzorg",
                                     expertise="Schuldhulpverlening aan jongeren")
        EmailAddress.objects.create(user=person.user, email=EMAIL, verified=True, primary=True)
        colleague = person_with_account(name="Collega Ambtenaar", email="collega@example.org", username="collega")
        body = Body.objects.get(slug="sociale-pijler-ao")
        Position.objects.create(person=person, body=body, role=PositionRole.CHAIR,
                                start_date=datetime.date(2024, 1, 1))
        Position.objects.create(person=colleague, body=body, start_date=datetime.date(2024, 1, 1))
        question = question_ask(viewer=viewer_for(person.user), title="Wie heeft ervaring met vroegsignalering?")
        answer_post(viewer=viewer_for(colleague.user), question=question, body="<p>Wij, in Zwolle.</p>")
        full = event("Kennisdag vol", capacity=1)
        mine = registration_create(full, person=person, user=person.user, remarks="Glutenvrij")
        waiting = registration_create(full, name="Wachtende", email="wachtende@example.org")
        AccessAttempt.objects.create(username="annelies", ip_address="192.0.2.7", user_agent="x", http_accept="x",
                                     path_info="/inloggen/", failures_since_start=1)
    index.rebuild()
    assert waiting.status == RegistrationStatus.WAITLISTED
    return {"person": person, "user_id": person.user.pk, "colleague": colleague, "body": body, "question": question,
            "registration": mine, "waiting": waiting, "bureau": make_user("bureau", Role.BUREAU)}


def former_member(person) -> str:
    """What pages show for the erased person, in the site's language (Dutch)."""
    with translation.override("nl"):
        return Person.former_member_label(person.municipality)


def pages(world) -> dict[str, str]:
    return {
        "body": reverse("governance:body", kwargs={"slug": world["body"].slug}),
        "pillar": reverse("programmes:pillar", kwargs={"slug": "sociale-pijler"}),
        "question": reverse("knowledge:question", kwargs={"pk": world["question"].pk}),
        "questions": reverse("knowledge:questions"),
        "experts": reverse("knowledge:experts") + "?q=Schuldhulpverlening",
        "search": reverse("search:search") + "?" + urlencode({"q": NAME}),
    }


def shown(client, url: str) -> str:
    """The page; of the search page only its results (the form repeats what was asked)."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    if url.startswith(reverse("search:search")):
        page = page.split('data-testid="results"', 1)[1] if 'data-testid="results"' in page else ""
    return " ".join(html.unescape(strip_tags(page)).split())  # as read: highlighted words are whole again


def api_names(client, slug: str) -> list:
    response = client.get(f"/api/v1/bodies/{slug}/positions")
    assert response.status_code == 200
    return [item["person"]["name"] for item in response.json()["results"]]


def erase_in_back_office(client, back_office_login, world):
    back_office_login(client, world["bureau"])
    url = reverse("governance_person_erase", args=[world["person"].pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="erase-summary"' in page
    assert 'data-model="governance.Position" data-basis="anonymise" data-count="1"' in page
    assert 'data-model="events.Registration"' in page
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    client.logout()


def test_the_erased_name_is_on_no_page_in_no_search_and_not_in_the_api(
        client, world, back_office_login, django_capture_on_commit_callbacks):
    reader = world["colleague"].user
    client.force_login(reader)
    before = {name: shown(client, url) for name, url in pages(world).items()}
    assert all(NAME in page for page in before.values()), [name for name, page in before.items() if NAME not in page]
    client.logout()
    assert NAME in api_names(client, world["body"].slug)

    with django_capture_on_commit_callbacks(execute=True):
        erase_in_back_office(client, back_office_login, world)

    client.force_login(reader)
    after = {name: shown(client, url) for name, url in pages(world).items()}
    assert [name for name, page in after.items() if NAME in page or EMAIL in page] == []
    former = former_member(world["person"])
    for name in ("body", "pillar", "question"):
        assert former in after[name], name
    client.logout()
    assert NAME not in api_names(client, world["body"].slug)
    assert None in api_names(client, world["body"].slug)  # the position stays, without a name


def test_erasure_removes_the_account_and_every_trace(client, world, back_office_login,
                                                     django_capture_on_commit_callbacks):
    person, user_id = world["person"], world["user_id"]
    assert OutgoingMail.objects.filter(to__icontains=EMAIL).exists()  # the registration's confirmation
    assert ModelLogEntry.objects.filter(label__contains=NAME).exists()  # the registration's log entry

    with django_capture_on_commit_callbacks(execute=True):
        erase_in_back_office(client, back_office_login, world)

    person.refresh_from_db()
    assert (person.name, person.portfolio, person.expertise, person.user_id) == ("", "", "", None)
    assert person.email == f"erased-{person.pk}@invalid" and person.erased_at is not None
    assert str(person) == former_member(person)
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not EmailAddress.objects.filter(email__iexact=EMAIL).exists()
    assert Position.objects.filter(person=person, body=world["body"], role=PositionRole.CHAIR).exists()
    registration = Registration.objects.get(pk=world["registration"].pk)
    assert registration.status == RegistrationStatus.CANCELLED
    assert (registration.remarks, registration.email) == ("", f"erased-{registration.pk}@invalid")
    assert NAME not in registration.name
    world["waiting"].refresh_from_db()
    assert world["waiting"].status == RegistrationStatus.CONFIRMED  # the place went to the waiting list
    assert not OutgoingMail.objects.filter(to__icontains=EMAIL).exists()
    assert not any(EMAIL.encode() in bytes(mail.message) for mail in OutgoingMail.objects.all())
    assert not ModelLogEntry.objects.filter(label__contains=NAME).exists()
    assert not AccessAttempt.objects.filter(username="annelies").exists()
    erasure = Erasure.objects.get(person_id=person.pk)
    assert erasure.user_id == user_id and erasure.email_hmac == erasure_list.email_hmac(EMAIL)
    # The erasure list: one line, keyed hashes and ids, never the name or the address.
    text = erasure_list.path().read_text()
    assert len(text.splitlines()) == 1 and NAME not in text and EMAIL not in text and "annelies" not in text
    assert json.loads(text)["person_id"] == person.pk


def test_the_back_office_refuses_to_erase_twice(client, world, back_office_login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_person(world["person"].pk)
    with pytest.raises(privacy.PrivacyRefused) as refused:
        privacy.erase_person(world["person"].pk)
    assert refused.value.code == "already_erased"
    back_office_login(client, world["bureau"])
    page = client.get(reverse("governance_person_erase", args=[world["person"].pk])).content.decode()
    assert 'data-testid="already-erased"' in page and 'data-testid="erase-holdings"' not in page


def test_only_the_bureau_erases(client, world):
    client.force_login(world["colleague"].user)
    response = client.post(reverse("governance_person_erase", args=[world["person"].pk]), {"confirm": "on"})
    assert response.status_code in (302, 403)
    world["person"].refresh_from_db()
    assert world["person"].erased_at is None


def _dump(world) -> dict[str, str]:
    """The person as a backup holds them: dumpdata of the person, account, address and position."""
    person = world["person"]
    dumps = {}
    for label, pks in [("auth.user", [world["user_id"]]), ("account.emailaddress",
                                                             list(EmailAddress.objects.filter(user_id=world["user_id"])
                                                                  .values_list("pk", flat=True))),
                       ("governance.person", [person.pk])]:
        out = io.StringIO()
        call_command("dumpdata", label, pks=",".join(map(str, pks)), stdout=out)
        dumps[label] = out.getvalue()
    return dumps


def _load(dumps: dict[str, str], tmp_path) -> None:
    for label, text in dumps.items():
        file = tmp_path / f"{label}.json"
        file.write_text(text)
        call_command("loaddata", str(file), stdout=io.StringIO())


def test_a_restored_backup_is_erased_again_by_reapply(world, tmp_path, django_capture_on_commit_callbacks):
    dumps = _dump(world)
    person = world["person"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("privacy", "erase", str(person.pk), stdout=io.StringIO())
    _load(dumps, tmp_path)  # the backup is restored: the person and the account are back
    person.refresh_from_db()
    assert person.name == NAME and person.erased_at is None
    assert get_user_model().objects.filter(pk=world["user_id"]).exists()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("privacy", "reapply", stdout=out)

    assert "1 erased again" in out.getvalue()
    person.refresh_from_db()
    assert person.name == "" and person.erased_at is not None
    assert not get_user_model().objects.filter(pk=world["user_id"]).exists()
    assert len(erasure_list.entries()) == 1  # reapplying adds no line
    out = io.StringIO()
    call_command("privacy", "reapply", stdout=out)
    assert "0 erased again" in out.getvalue()


def test_reapply_heals_a_lost_list_from_the_database(world, tmp_path, django_capture_on_commit_callbacks):
    dumps = _dump(world)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_person(world["person"].pk)
    erasure_list.path().unlink()  # the list's volume was lost; the database still knows
    _load(dumps, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        erased = privacy.reapply()
    assert [subject.person_id for subject in erased] == [world["person"].pk]
    assert len(erasure_list.entries()) == 1


def test_reapply_without_a_list_does_nothing(db, erasure_file):
    out = io.StringIO()
    call_command("privacy", "reapply", stdout=out)
    assert "0 erased again" in out.getvalue()
    assert not erasure_file.exists()


def test_the_command_exports_and_refuses_an_unknown_person(world):
    out = io.StringIO()
    call_command("privacy", "export", str(world["person"].pk), stdout=out)
    data = json.loads(out.getvalue())
    models = {holding["model"] for app in data["apps"] for holding in app["holdings"]}
    assert {"governance.Person", "governance.Position", "knowledge.Question", "events.Registration",
            "auth.User", "account.EmailAddress", "mail.OutgoingMail", "axes.AccessAttempt"} <= models
    with pytest.raises(CommandError, match="person_unknown"):
        call_command("privacy", "erase", "999999", stdout=io.StringIO())
    assert Person.objects.filter(pk=world["person"].pk, erased_at__isnull=True).exists()
