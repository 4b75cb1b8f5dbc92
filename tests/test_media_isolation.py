"""Tests never write into the checkout's media directory (var/media): every test has a media
directory of its own (the root conftest.py), and a write into the checkout's is refused and fails
the test that made it, even when the code under test swallows the error."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

REPO = Path(__file__).resolve().parent.parent
CHECKOUT_MEDIA = REPO / "var" / "media"


def test_an_uploaded_document_lands_in_the_tests_own_media_directory(db):
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(title="v", file=ContentFile(b"%PDF-1.4\n", name="v.pdf"))
    stored = Path(document.file.path)
    assert stored.is_file()
    assert Path(settings.MEDIA_ROOT) in stored.parents
    assert CHECKOUT_MEDIA not in stored.parents and REPO not in stored.parents


def test_each_test_has_a_media_directory_of_its_own(settings):
    first = settings.MEDIA_ROOT
    assert Path(default_storage.path("x.pdf")).parent == Path(first)
    assert not os.listdir(first)  # empty: nothing left by another test


def test_a_write_into_the_checkouts_media_directory_is_refused_and_noted(settings, checkout_media_writes):
    target = CHECKOUT_MEDIA / "documents" / "written-by-a-test.pdf"
    with pytest.raises(PermissionError):
        target.write_bytes(b"%PDF-1.4\n")
    settings.MEDIA_ROOT = str(CHECKOUT_MEDIA)  # a test that points the storage at the checkout
    with pytest.raises(PermissionError):
        default_storage.save("documents/written-by-a-test.pdf", ContentFile(b"%PDF-1.4\n"))
    assert not target.exists()
    assert checkout_media_writes and all(str(CHECKOUT_MEDIA) in write for write in checkout_media_writes)
    assert checkout_media_writes[0] == f"open {target}"
    checkout_media_writes.clear()  # noted writes fail the test when it ends: these were expected


def test_a_test_that_swallows_the_refusal_still_fails(tmp_path):
    """In a pytest of its own with this conftest: the body passes, the test fails on teardown."""
    (tmp_path / "conftest.py").write_text((REPO / "conftest.py").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nDJANGO_SETTINGS_MODULE = stedennet.conf.test\n", encoding="utf-8")
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(f"""
        def test_writes_quietly():
            try:
                open({str(CHECKOUT_MEDIA / "quietly.txt")!r}, "w").close()
            except OSError:
                pass

        def test_writes_elsewhere(tmp_path):
            (tmp_path / "fine.txt").write_text("fine")
    """), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "test_inner.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]), "STEDENNET_SECRET_KEY": "x"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 passed, 1 error" in result.stdout  # both bodies pass; the quiet writer fails when it ends
    assert "ERROR at teardown of test_writes_quietly" in result.stdout
    assert f"the test wrote into the checkout's media directory: ['open {CHECKOUT_MEDIA / 'quietly.txt'}']" \
        in result.stdout
    assert not (CHECKOUT_MEDIA / "quietly.txt").exists()
