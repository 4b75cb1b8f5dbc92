"""Files (enclosures) are fetched only on request, from the feed's own server, and only when
they are exactly ``contentLength`` bytes of the declared type."""

import pytest
from django.core.files.storage import default_storage

from stedennet.parliament.models import Document
from stedennet.parliament.services import DocumentFileRefused, document_file_fetch, parliament_sync
from stedennet.parliament.tests.tkfeed import PDF, Answer, Entry, G, entity, scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(feed_server):
    feed_server.publish(*[item for item in scenario() if item.category == "Document"])
    parliament_sync(["Document"])
    return Document.objects.get()


def path(document) -> str:
    return f"/files/{document.guid}.pdf"


def test_a_sync_fetches_no_file(document, feed_server):
    assert not document.file
    assert not any(request.startswith("/files/") for request in feed_server.requests)


def test_the_file_is_fetched_on_request_once(document, feed_server):
    feed_server.file(path(document), Answer(body=PDF, content_type="application/pdf"))
    fetched = document_file_fetch(document)
    assert fetched.file.name == f"parliament/documents/{document.guid}.pdf" and fetched.file_fetched_at
    assert default_storage.open(fetched.file.name).read() == PDF
    requests = len(feed_server.requests)
    assert document_file_fetch(fetched).file.name == fetched.file.name
    assert len(feed_server.requests) == requests  # already there, with the right size
    # A later sync of the same document keeps the file; a new version with another size drops it.
    feed_server.publish(Entry("Document", G["document"], 1299, entity(
        "document", G["document"], "<soort>Motie</soort>", bijgewerkt="2025-12-18T10:00:00",
        attributes=f' tk:contentType="application/pdf" tk:contentLength="{len(PDF)}"'), enclosure=path(document)))
    parliament_sync(["Document"])
    assert Document.objects.get().file.name == fetched.file.name
    feed_server.publish(Entry("Document", G["document"], 1300, entity(
        "document", G["document"], "<soort>Motie</soort>", bijgewerkt="2025-12-19T10:00:00",
        attributes=' tk:contentType="application/pdf" tk:contentLength="999"'), enclosure=path(document)))
    parliament_sync(["Document"])
    assert not Document.objects.get().file


@pytest.mark.parametrize(("answer", "code"), [
    (Answer(body=PDF + b"extra", content_type="application/pdf"), "size_mismatch"),
    (Answer(body=PDF[:-3], content_type="application/pdf"), "size_mismatch"),
    (Answer(body=PDF, content_type="text/html"), "type_mismatch"),
    (Answer(body=b"<html>%PDF-1.7 not really</html>"[:len(PDF)].ljust(len(PDF), b" "),
            content_type="application/pdf"), "content_mismatch"),
    (Answer(status=404, body=b"gone", content_type="text/plain"), "fetch_failed"),
])
def test_a_file_that_is_not_what_the_feed_declares_is_refused(document, feed_server, answer, code):
    feed_server.file(path(document), answer)
    with pytest.raises(DocumentFileRefused) as refused:
        document_file_fetch(document)
    assert refused.value.code == code
    assert not Document.objects.get().file


def test_refused_before_any_request(document, feed_server, settings):
    requests = len(feed_server.requests)
    Document.objects.filter(pk=document.pk).update(enclosure_url="https://elsewhere.example/x.pdf")
    with pytest.raises(DocumentFileRefused) as refused:
        document_file_fetch(Document.objects.get())
    assert refused.value.code == "not_allowed_origin"
    Document.objects.filter(pk=document.pk).update(enclosure_url=feed_server.base + path(document),
                                                   content_type="application/x-msdownload")
    with pytest.raises(DocumentFileRefused) as refused:
        document_file_fetch(Document.objects.get())
    assert refused.value.code == "type_not_allowed"
    settings.STEDENNET_TK_MAX_FILE_BYTES = 10
    Document.objects.filter(pk=document.pk).update(content_type="application/pdf")
    with pytest.raises(DocumentFileRefused) as refused:
        document_file_fetch(Document.objects.get())
    assert refused.value.code == "too_large"
    Document.objects.filter(pk=document.pk).update(enclosure_url="")
    with pytest.raises(DocumentFileRefused) as refused:
        document_file_fetch(Document.objects.get())
    assert refused.value.code == "no_enclosure"
    assert len(feed_server.requests) == requests
