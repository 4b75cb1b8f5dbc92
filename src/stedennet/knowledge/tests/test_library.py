"""The library: sanitised rich text, files checked by extension, content and size (a refused file
saves nothing), who sees which item (pages, files, filters), adding through the page, and a
constant number of queries on the list."""

import io
import re
import zipfile

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.access import viewer_for
from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import theme_group_join
from stedennet.governance.tests.factories import person_with_account
from stedennet.knowledge import services
from stedennet.knowledge.models import MAX_FILE_BYTES, LibraryFile, LibraryItem, LibraryLink, Topic
from stedennet.knowledge.services import KnowledgeRefused, file_check, library_item_create, sanitize_html

ARMOEDE = "themagroep-armoede-en-schulden"


# --- files to upload ---------------------------------------------------------------------------

def pdf(name="rapport.pdf", size=None) -> SimpleUploadedFile:
    content = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
    if size:
        content = content + b"0" * (size - len(content))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members:
            archive.writestr(member, data)
    return buffer.getvalue()


WORD_TYPES = (b'<Types><Override PartName="/word/document.xml" ContentType="application/'
              b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')


def docx(name="notitie.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _zip([("[Content_Types].xml", WORD_TYPES), ("word/document.xml", b"<w/>")]),
                              content_type="application/octet-stream")


def odt(name="notitie.odt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _zip([("mimetype", b"application/vnd.oasis.opendocument.text"),
                                          ("content.xml", b"<office/>")]), content_type="application/octet-stream")


def html_as_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("rapport.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")


def exe_as_docx() -> SimpleUploadedFile:
    return SimpleUploadedFile("notitie.docx", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/msword")


def counts() -> tuple[int, int, int, int]:
    return (LibraryItem.objects.count(), LibraryFile.objects.count(), LibraryLink.objects.count(),
            Topic.objects.count())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def member(g40_bodies):
    person = person_with_account(username="almere", cbs_code="GM0034")
    theme_group_join(person=person, body=Body.objects.get(slug=ARMOEDE))
    return person


@pytest.fixture
def viewer(member):
    return viewer_for(member.user)


def signed_in(client, person):
    client.force_login(person.user)
    return client


# --- rich text ---------------------------------------------------------------------------------

class TestSanitising:
    def test_script_and_event_handlers_are_removed(self):
        dirty = ('<p onclick="steal()">Hallo <strong onmouseover="x()">wereld</strong></p>'
                 '<script>alert("weg")</script><img src=x onerror="alert(1)">'
                 '<a href="javascript:alert(1)">klik</a> <a href="https://g40.nl/" target="_blank">G40</a>'
                 '<h2 style="color:red">Kop</h2><iframe src="https://evil.example"></iframe>')
        clean = sanitize_html(dirty)
        assert "script" not in clean and "alert" not in clean
        assert not re.search(r"\son\w+=", clean)
        assert "<img" not in clean and "<iframe" not in clean and "style=" not in clean
        assert "javascript:" not in clean
        assert '<strong>wereld</strong>' in clean and "<h2>Kop</h2>" in clean
        assert '<a href="https://g40.nl/" rel="noopener noreferrer">G40</a>' in clean

    def test_the_saved_item_holds_the_sanitised_text(self, viewer):
        item = library_item_create(viewer=viewer, title="Aanpak", body='<p onload="x()">Tekst</p><script>x()</script>')
        assert item.body == "<p>Tekst</p>"


# --- files -------------------------------------------------------------------------------------

class TestFileCheck:
    @pytest.mark.parametrize("upload", [pdf(), docx(), odt()], ids=["pdf", "docx", "odt"])
    def test_real_documents_pass(self, upload):
        checked = file_check(upload)
        assert checked.content_type == services.ALLOWED_EXTENSIONS[checked.extension]

    @pytest.mark.parametrize("upload, code", [
        (html_as_pdf(), "content_mismatch"),
        (exe_as_docx(), "content_mismatch"),
        (SimpleUploadedFile("rekenblad.xlsx", _zip([("[Content_Types].xml", WORD_TYPES), ("word/document.xml", b"")])),
         "content_mismatch"),  # a Word document named .xlsx
        (SimpleUploadedFile("archief.docx", _zip([("word/document.xml", b"<w/>")])), "content_mismatch"),  # any zip
        (SimpleUploadedFile("tekst.odt", _zip([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")])),
         "content_mismatch"),
        (SimpleUploadedFile("setup.exe", b"MZ\x90\x00"), "type_not_allowed"),
        (SimpleUploadedFile("pagina.html", b"<html></html>"), "type_not_allowed"),
        (SimpleUploadedFile("zonder-extensie", b"%PDF-1.4"), "type_not_allowed"),
        (SimpleUploadedFile("leeg.pdf", b""), "upload_empty"),
    ], ids=["html-as-pdf", "exe-as-docx", "docx-as-xlsx", "any-zip-as-docx", "ods-as-odt", "exe", "html",
            "no-extension", "empty"])
    def test_disguised_and_wrong_files_are_refused_with_the_reason(self, upload, code):
        with pytest.raises(KnowledgeRefused) as refused:
            file_check(upload)
        assert refused.value.code == code
        assert upload.name in refused.value.messages[0]

    def test_an_oversized_file_is_refused(self):
        with pytest.raises(KnowledgeRefused) as refused:
            file_check(pdf(size=MAX_FILE_BYTES + 1))
        assert refused.value.code == "upload_too_large"
        assert str(MAX_FILE_BYTES // (1024 * 1024)) in refused.value.messages[0]

    def test_a_file_of_exactly_the_maximum_passes(self):
        assert file_check(pdf(size=MAX_FILE_BYTES)).size == MAX_FILE_BYTES


class TestCreate:
    def test_item_files_links_and_tags_are_saved_together(self, viewer, member, media):
        group = Body.objects.get(slug=ARMOEDE)
        item = library_item_create(
            viewer=viewer, title="Schuldhulp voor jongeren", summary="Hoe Almere het doet",
            body="<p>Tekst</p>", theme_group=group, topics=["Schulden", "jongeren", "schulden"],
            files=[pdf(), docx()], links=[("https://www.nibud.nl/", "Nibud")],
            visibility=Visibility.BODY, group=group)
        assert item.author == member and item.municipality.cbs_code == "GM0034"
        assert item.pillar.slug == "sociale-pijler"  # from the theme group
        assert sorted(t.slug for t in item.topics.all()) == ["jongeren", "schulden"]
        files = sorted(item.files.all(), key=lambda f: f.title)
        assert [(f.title, f.content_type) for f in files] == [
            ("notitie.docx", services.ALLOWED_EXTENSIONS["docx"]), ("rapport.pdf", "application/pdf")]
        assert all((media / f.file.name).exists() for f in files)
        assert [(link.url, link.title) for link in item.links.all()] == [("https://www.nibud.nl/", "Nibud")]

    @pytest.mark.parametrize("bad", [html_as_pdf, exe_as_docx, lambda: pdf(size=MAX_FILE_BYTES + 1)],
                             ids=["html-as-pdf", "exe-as-docx", "oversized"])
    def test_one_bad_file_saves_nothing(self, viewer, media, bad):
        before = counts()
        with pytest.raises(KnowledgeRefused):
            library_item_create(viewer=viewer, title="Half", topics=["nieuw onderwerp"], files=[pdf(), bad()],
                                links=[("https://example.org/", "")])
        assert counts() == before
        assert not any(path.is_file() for path in media.rglob("*"))

    def test_a_group_item_only_for_a_group_one_belongs_to(self, viewer):
        with pytest.raises(KnowledgeRefused) as refused:
            library_item_create(viewer=viewer, title="Geheim", visibility=Visibility.BODY,
                                group=Body.objects.get(slug="themagroep-wonen"))
        assert refused.value.code == "group"
        assert LibraryItem.objects.count() == 0

    def test_partners_and_anonymous_cannot_add(self, g40_bodies):
        partner = person_with_account(partner=g40_bodies.partners.first(), function="other", username="vng")
        with pytest.raises(KnowledgeRefused):
            library_item_create(viewer=viewer_for(partner.user), title="Van de partner")


# --- the pages ---------------------------------------------------------------------------------

@pytest.fixture
def items(member, viewer, make_user):
    """One item per visibility level, with a file each."""
    group = Body.objects.get(slug=ARMOEDE)
    made = {}
    for level in Visibility.values:
        made[level] = library_item_create(
            viewer=viewer, title=f"Item {level}", visibility=level, group=group if level == Visibility.BODY else None,
            files=[pdf(f"{level}.pdf")])
    return made


def titles(html: str) -> set[str]:
    pattern = r'data-testid="library-item" data-pk="\d+">\s*<a class="utrecht-link" href="[^"]+">([^<]+)</a>'
    return set(re.findall(pattern, html))


class TestVisibility:
    def test_anonymous_visitors_see_public_items_only(self, client, items):
        html = client.get(reverse("knowledge:library")).content.decode()
        assert titles(html) == {"Item public"}
        for level, item in items.items():
            status = 200 if level == Visibility.PUBLIC else 404
            assert client.get(item.get_absolute_url()).status_code == status, level
            file = item.files.get()
            response = client.get(reverse("knowledge:item_file", kwargs={"pk": item.pk, "file_pk": file.pk}))
            assert response.status_code == status, level

    def test_partners_see_what_is_shared_with_partners(self, client, items, g40_bodies):
        partner = person_with_account(partner=g40_bodies.partners.first(), function="other", username="vng")
        html = signed_in(client, partner).get(reverse("knowledge:library")).content.decode()
        assert titles(html) == {"Item public", "Item members_partners"}
        assert client.get(items[Visibility.MEMBERS].get_absolute_url()).status_code == 404
        assert client.get(items[Visibility.BODY].get_absolute_url()).status_code == 404

    def test_a_member_outside_the_group_does_not_see_the_group_item(self, client, items):
        other = person_with_account(username="zwolle", cbs_code="GM0193")
        html = signed_in(client, other).get(reverse("knowledge:library")).content.decode()
        assert titles(html) == {"Item public", "Item members", "Item members_partners"}
        assert client.get(items[Visibility.BODY].get_absolute_url()).status_code == 404

    def test_the_group_and_the_bureau_see_everything(self, client, items, make_user, member):
        assert titles(signed_in(client, member).get(reverse("knowledge:library")).content.decode()) == {
            f"Item {level}" for level in Visibility.values}
        client.force_login(make_user("bureau", AccountRole.BUREAU))
        assert titles(client.get(reverse("knowledge:library")).content.decode()) == {
            f"Item {level}" for level in Visibility.values}

    def test_a_file_downloads_as_an_attachment(self, client, items, member):
        item = items[Visibility.MEMBERS]
        file = item.files.get()
        response = signed_in(client, member).get(
            reverse("knowledge:item_file", kwargs={"pk": item.pk, "file_pk": file.pk}))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        # A file asked for through another item is not found.
        public = items[Visibility.PUBLIC]
        assert client.get(reverse("knowledge:item_file", kwargs={"pk": public.pk, "file_pk": file.pk})
                          ).status_code == 404


class TestFilters:
    def test_by_pillar_theme_group_city_and_topic(self, client, viewer, member):
        group = Body.objects.get(slug=ARMOEDE)
        a = library_item_create(viewer=viewer, title="Armoede A", theme_group=group, topics=["Schulden"],
                                visibility=Visibility.PUBLIC)
        b = library_item_create(viewer=viewer, title="Wonen B", pillar=Body.objects.get(slug="fysieke-pijler"),
                                visibility=Visibility.PUBLIC)
        url = reverse("knowledge:library")
        assert titles(client.get(url, {"pijler": "sociale-pijler"}).content.decode()) == {a.title}
        assert titles(client.get(url, {"pijler": "fysieke-pijler"}).content.decode()) == {b.title}
        assert titles(client.get(url, {"themagroep": ARMOEDE}).content.decode()) == {a.title}
        assert titles(client.get(url, {"onderwerp": "schulden"}).content.decode()) == {a.title}
        assert titles(client.get(url, {"gemeente": "GM0034"}).content.decode()) == {a.title, b.title}
        assert titles(client.get(url, {"gemeente": "GM0193"}).content.decode()) == set()

    def test_a_city_the_item_is_about(self, client, viewer):
        from stedennet.registry.models import Municipality

        groningen = Municipality.objects.get(cbs_code="GM0014")
        item = library_item_create(viewer=viewer, title="Over Groningen", visibility=Visibility.PUBLIC,
                                   tagged_municipalities=[groningen])
        html = client.get(reverse("knowledge:library"), {"gemeente": "GM0014"}).content.decode()
        assert titles(html) == {item.title}


class TestAddPage:
    def test_anonymous_visitors_are_sent_to_sign_in_and_partners_refused(self, client, g40_bodies):
        response = client.get(reverse("knowledge:library_create"))
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))
        partner = person_with_account(partner=g40_bodies.partners.first(), function="other", username="vng")
        assert signed_in(client, partner).get(reverse("knowledge:library_create")).status_code == 403

    def test_a_member_adds_an_item_with_a_file(self, client, member):
        response = signed_in(client, member).post(reverse("knowledge:library_create"), {
            "title": "Schuldhulp", "summary": "Kort", "body": "<p>Lang<script>x()</script></p>",
            "files": [pdf()], "links": "https://www.nibud.nl/ Nibud\n", "topics": "Schulden, Jongeren",
            "visibility": Visibility.MEMBERS, "tagged_municipalities": [],
        })
        item = LibraryItem.objects.get()
        assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
        assert item.body == "<p>Lang</p>" and item.files.count() == 1 and item.links.count() == 1
        page = client.get(item.get_absolute_url()).content.decode()
        assert 'data-testid="file"' in page and "script" not in page.split('data-testid="item-body"')[1][:200]

    @pytest.mark.parametrize("upload", [html_as_pdf, exe_as_docx, lambda: pdf(size=MAX_FILE_BYTES + 1)],
                             ids=["html-as-pdf", "exe-as-docx", "oversized"])
    def test_a_bad_file_is_refused_on_the_files_field_and_nothing_saved(self, client, member, upload):
        before = counts()
        response = signed_in(client, member).post(reverse("knowledge:library_create"), {
            "title": "Met slecht bestand", "files": [pdf(), upload()], "topics": "iets nieuws",
            "visibility": Visibility.MEMBERS,
        })
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-testid="error-files"' in html and 'data-field="files"' in html
        assert counts() == before

    def test_empty_title_and_group_without_group_name_the_fields(self, client, member):
        response = signed_in(client, member).post(reverse("knowledge:library_create"), {
            "title": "", "visibility": Visibility.BODY})
        html = response.content.decode()
        assert 'data-testid="error-title"' in html and 'data-testid="error-group"' in html
        assert LibraryItem.objects.count() == 0

    def test_the_group_choice_offers_only_the_members_groups(self, client, member):
        html = signed_in(client, member).get(reverse("knowledge:library_create")).content.decode()
        group_select = html.split('name="group"')[1].split("</select>")[0]
        offered = re.findall(r'<option value="(\d+)"', group_select)
        assert offered == [str(Body.objects.get(slug=ARMOEDE).pk)]


def test_the_list_runs_a_constant_number_of_queries(client, viewer, member, django_assert_max_num_queries):
    signed_in(client, member)
    library_item_create(viewer=viewer, title="Eerste", topics=["a"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("knowledge:library")).status_code == 200
    group = Body.objects.get(slug=ARMOEDE)
    for number in range(12):
        library_item_create(viewer=viewer, title=f"Item {number}", topics=[f"onderwerp {number}", "b"],
                            theme_group=group, visibility=Visibility.PUBLIC)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("knowledge:library"))
