"""The one upload check: what it takes, what it refuses and with which code, and that checking
a bomb that unpacks to more than a gigabyte stays within a fixed amount of memory."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stedennet.web import uploads
from stedennet.web.tests import zips
from stedennet.web.uploads import UploadRefused, check_upload

GOOD = {
    "rapport.pdf": lambda: zips.PDF,
    "notitie.docx": lambda: zips.docx(),
    "begroting.xlsx": lambda: zips.docx(extension="xlsx"),
    "presentatie.pptx": lambda: zips.docx(extension="pptx"),
    "notitie.odt": lambda: zips.odf("odt"),
    "rekenblad.ods": lambda: zips.odf("ods"),
    "dia.odp": lambda: zips.odf("odp"),
    "lijst.csv": lambda: b"gemeente;inwoners\nAlmere;220000\n",
    "lees-mij.txt": lambda: "Één regel tekst.\n".encode(),
    "zipfile.docx": lambda: zips.with_zipfile([("[Content_Types].xml", zips.content_types()),
                                                ("word/document.xml", b"<w:document>" + b"tekst " * 20000 + b"</w>")]),
}


@pytest.mark.parametrize("name", GOOD)
def test_real_documents_of_every_allowed_type_pass(name):
    checked = check_upload(SimpleUploadedFile(name, GOOD[name]()))
    assert checked.extension == name.rsplit(".", 1)[1]
    assert checked.content_type == uploads.ALLOWED_TYPES[checked.extension]


@pytest.mark.parametrize("kind", zips.BAD_UPLOADS)
def test_bad_uploads_are_refused_with_their_code(kind):
    name, content, code = zips.BAD_UPLOADS[kind]()
    assert len(content) < uploads.MAX_UPLOAD_BYTES  # small uploads, every one
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload)
    assert refused.value.code == code, refused.value.messages
    assert name in refused.value.messages[0]
    assert upload.tell() == 0  # left ready to be read again


def test_a_zip_within_the_part_count_passes_and_one_over_it_does_not():
    check_upload(SimpleUploadedFile("veel.docx", zips.many_parts(uploads.MAX_PARTS - 2)))
    with pytest.raises(UploadRefused) as refused:
        check_upload(SimpleUploadedFile("veel.docx", zips.many_parts(uploads.MAX_PARTS - 1)))
    assert refused.value.code == "archive_bomb"


def test_the_total_unpacked_size_is_limited_over_all_parts(monkeypatch):
    """Parts of an ordinary ratio, none too large, that together unpack to more than allowed."""
    parts = [zips.part(f"word/part{index}.xml", bytes(range(256)) * 400) for index in range(5)]
    content = zips.docx(*parts)
    check_upload(SimpleUploadedFile("stuk.docx", content))
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 4 * 256 * 400)
    with pytest.raises(UploadRefused) as refused:
        check_upload(SimpleUploadedFile("stuk.docx", content))
    assert refused.value.code == "archive_bomb"


def test_an_upload_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", len(zips.PDF) - 1)
    with pytest.raises(UploadRefused) as refused:
        check_upload(SimpleUploadedFile("rapport.pdf", zips.PDF))
    assert refused.value.code == "upload_too_large"


def test_an_empty_upload_is_refused():
    with pytest.raises(UploadRefused) as refused:
        check_upload(SimpleUploadedFile("leeg.docx", b""))
    assert refused.value.code == "upload_empty"


MEASURE = textwrap.dedent("""
    import json, os, resource, sys, tracemalloc
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stedennet.conf.test")
    os.environ.setdefault("STEDENNET_SECRET_KEY", "x")
    import django
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from stedennet.knowledge.services import KnowledgeRefused, file_check
    from stedennet.meetings.services import document_file_check
    from django.core.exceptions import ValidationError

    content = open(sys.argv[1], "rb").read()
    check = {"library": file_check, "meeting": document_file_check}[sys.argv[2]]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    try:
        check(SimpleUploadedFile("bom.docx", content))
        code = None
    except ValidationError as refused:
        code = refused.code
    peak = tracemalloc.get_traced_memory()[1]
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(json.dumps({"code": code, "peak": peak, "rss_grown_kib": grown}))
""")
MEMORY_BOUND = 50 * 1024 * 1024


@pytest.mark.parametrize("check", ["library", "meeting"])
@pytest.mark.parametrize("kind", ["lying-size-crafted-crc", "deflate-bomb", "nested-bomb"])
def test_checking_a_gigabyte_bomb_takes_less_than_50_mb(tmp_path, kind, check):
    """The archive is about 1 MB and unpacks to more than 1 GB; the check runs in a fresh Python
    process, whose peak of traced allocations and growth of resident memory are measured."""
    name, content, code = zips.BAD_UPLOADS[kind]()
    assert len(content) < 2 * 1024 * 1024
    bomb = tmp_path / name
    bomb.write_bytes(content)
    source = Path(__file__).resolve().parents[3]
    result = subprocess.run([sys.executable, "-c", MEASURE, str(bomb), check], capture_output=True, text=True,
                            timeout=120, cwd=source.parent, env={"PYTHONPATH": str(source), "PATH": ""})
    assert result.returncode == 0, result.stderr[-2000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["code"] == code
    assert measured["peak"] < MEMORY_BOUND, measured
    assert measured["rss_grown_kib"] * 1024 < MEMORY_BOUND, measured
