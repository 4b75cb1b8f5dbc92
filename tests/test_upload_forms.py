"""Every upload of the platform goes through the one check: the library's form, a meeting's
document upload and the back office's document uploader (single and multiple) refuse each bad
archive with a form error carrying its code (never a 500) and store nothing; a good file is
stored."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from stedennet.accounts.constants import Role
from stedennet.governance.models import Body
from stedennet.knowledge.models import LibraryItem
from stedennet.meetings.models import MeetingDocument
from stedennet.meetings.services import meeting_create
from stedennet.web.tests import zips

BAD = list(zips.BAD_UPLOADS)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def bureau(back_office_login, client, make_user):
    back_office_login(client, make_user("bureau", Role.BUREAU))
    return client


@pytest.fixture
def superuser(back_office_login, client, make_user):
    back_office_login(client, make_user("beheerder", superuser=True))
    return client


@pytest.fixture
def meeting(g40_bodies):
    start = timezone.now() + datetime.timedelta(days=7)
    return meeting_create(body=Body.objects.get(slug="algemeen-bestuur"), starts_at=start,
                          ends_at=start + datetime.timedelta(hours=2))


def _codes(form, field: str) -> list[str]:
    return [error.code for error in form.errors.as_data().get(field, [])]


def _library_post(client, upload):
    return client.post(reverse("knowledge:library_create"), {"title": "Stuk", "visibility": "members",
                                                              "files": [upload]})


def _meeting_post(client, meeting, upload):
    return client.post(reverse("meetings:meeting_document_upload", kwargs={"pk": meeting.pk}), {
        "document-title": "Stuk", "document-visibility": "members", "document-file": upload})


def _admin_post(client, upload):
    return client.post(reverse("wagtaildocs:add"), {
        "title": "Stuk", "collection": Collection.get_first_root_node().pk, "file": upload})


@pytest.mark.parametrize("kind", BAD)
def test_the_library_refuses_it_on_the_files_field(g40_bodies, bureau, kind):
    name, content, code = zips.BAD_UPLOADS[kind]()
    response = _library_post(bureau, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert _codes(response.context["form"], "files") == [code]
    assert not LibraryItem.objects.exists()


@pytest.mark.parametrize("kind", BAD)
def test_a_meeting_document_upload_refuses_it_on_the_file_field(bureau, meeting, kind):
    name, content, code = zips.BAD_UPLOADS[kind]()
    response = _meeting_post(bureau, meeting, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert _codes(response.context["document_form"], "file") == [code]
    assert not MeetingDocument.objects.exists()


@pytest.mark.parametrize("kind", BAD)
def test_the_back_office_document_uploader_refuses_it(db, superuser, kind):
    name, content, code = zips.BAD_UPLOADS[kind]()
    response = _admin_post(superuser, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert _codes(response.context["form"], "file")[0] == code  # Wagtail may add its own after ours
    assert not get_document_model().objects.exists()


def test_the_back_office_multiple_uploader_refuses_it(db, superuser):
    name, content, _code = zips.BAD_UPLOADS["bad-crc"]()
    response = superuser.post(reverse("wagtaildocs:add_multiple"), {"files[]": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert not get_document_model().objects.exists()


def test_a_good_file_is_stored_through_each_upload(g40_bodies, bureau, meeting, superuser):
    good = zips.docx()
    assert _library_post(bureau, SimpleUploadedFile("notitie.docx", good)).status_code == 302
    assert LibraryItem.objects.get().files.get().content_type == zips_content_type()
    assert _meeting_post(bureau, meeting, SimpleUploadedFile("notitie.docx", good)).status_code == 302
    assert MeetingDocument.objects.count() == 1
    assert _admin_post(superuser, SimpleUploadedFile("notitie.docx", good)).status_code == 302
    assert get_document_model().objects.filter(title="Stuk").count() == 2  # the meeting's and this one


def zips_content_type() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
