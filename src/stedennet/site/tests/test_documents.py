"""Wagtail's document URLs honour who may see a document."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from stedennet.accounts.constants import Role
from stedennet.governance.models import Body, Meeting, MeetingDocument, Visibility
from stedennet.governance.services import position_assign
from stedennet.governance.tests.factories import person_with_account


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
    assert client.get(body_document.url).status_code in (302, 403)
    outsider = person_with_account(function="civil_servant")
    client.force_login(outsider.user)
    assert client.get(body_document.url).status_code == 403


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
    assert client.get(document.url).status_code in (302, 403)
