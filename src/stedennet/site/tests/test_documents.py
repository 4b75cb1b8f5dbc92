"""Wagtail's document URLs honour who may see a document."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from stedennet.accounts.constants import Role
from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import position_assign
from stedennet.governance.tests.factories import person_with_account
from stedennet.meetings.models import Meeting, MeetingDocument


@pytest.fixture
def body_document(g40_bodies):
    document = get_document_model().objects.create(title="Vertrouwelijk", file=ContentFile(b"%PDF-1.4 x", "v.pdf"))
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        body=Body.objects.get(slug="algemeen-bestuur"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        uid="doc-test@stedennet",
    )
    MeetingDocument.objects.create(
        meeting=meeting, title="Vertrouwelijk", document=document, visibility=Visibility.BODY
    )
    return document


def test_a_body_document_is_refused_to_the_public_and_to_other_members(client, body_document):
    assert client.get(body_document.url).status_code == 404
    outsider = person_with_account(function="civil_servant")
    client.force_login(outsider.user)
    assert client.get(body_document.url).status_code == 404


def _page(response) -> tuple[int, str]:
    """Status and body, without what differs between any two responses (the CSRF token, the path)."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return response.status_code, body.replace(response.wsgi_request.path, "PATH")


@pytest.mark.parametrize("who", ["anonymous", "other member"])
def test_a_forbidden_document_answers_as_a_wrong_name_and_a_wrong_number(client, body_document, who):
    if who == "other member":
        client.force_login(person_with_account(function="civil_servant").user)
    forbidden = client.get(body_document.url)
    wrong_name = client.get(f"/documenten/{body_document.pk}/niet-de-naam.pdf")
    wrong_number = client.get(f"/documenten/{body_document.pk + 1000}/{body_document.filename}")
    assert forbidden.status_code == 404
    assert _page(forbidden) == _page(wrong_name) == _page(wrong_number)


def test_a_public_meeting_document_is_served_to_anonymous_visitors(client, body_document):
    MeetingDocument.objects.filter(document=body_document).update(visibility=Visibility.PUBLIC)
    response = client.get(body_document.url)
    assert response.status_code == 200 and response.content == b"%PDF-1.4 x"
    assert response["Cache-Control"] == "private, no-store"


def test_a_body_document_is_served_to_the_body_and_the_bureau(client, body_document, make_user):
    insider = person_with_account(function="alderman")
    position_assign(
        person=insider, body=Body.objects.get(slug="algemeen-bestuur"), start_date=datetime.date(2022, 6, 1)
    )
    client.force_login(insider.user)
    assert client.get(body_document.url).status_code == 200
    client.force_login(make_user("bureau-doc", Role.BUREAU))
    assert client.get(body_document.url).status_code == 200


def test_an_unattached_document_is_for_staff_only(client, g40):
    document = get_document_model().objects.create(title="Los", file=ContentFile(b"%PDF-1.4 y", "l.pdf"))
    assert client.get(document.url).status_code == 404
