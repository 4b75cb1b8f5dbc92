"""Zip files written byte by byte, so a test can make them lie: sizes and CRCs in the headers
that are not those of the data, parts that overlap, directories that list more than they say,
and deflate bombs that unpack to gigabytes from a megabyte."""

import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, replace

STORED, DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MAIN_TYPES = {
    "docx": ("word/document.xml", WORD_MAIN),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
}
ODF_TYPES = {"odt": "application/vnd.oasis.opendocument.text",
             "ods": "application/vnd.oasis.opendocument.spreadsheet",
             "odp": "application/vnd.oasis.opendocument.presentation"}


def content_types(extension: str = "docx") -> bytes:
    part, main = MAIN_TYPES[extension]
    return f'<Types><Override PartName="/{part}" ContentType="{main}"/></Types>'.encode()


@dataclass(frozen=True)
class Part:
    name: str
    payload: bytes  # the bytes as stored (deflated or not)
    method: int
    crc: int
    file_size: int  # what the headers declare
    compress_size: int
    flags: int = 0
    header_offset: int | None = None  # None: where it is written

    def declaring(self, **changes) -> "Part":
        """The same data with other declarations in its headers (``file_size``, ``crc``, …)."""
        return replace(self, **changes)


def part(name: str, data: bytes, method: int = DEFLATED) -> Part:
    if method == DEFLATED:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        payload = compressor.compress(data) + compressor.flush()
    else:
        payload = data
    return Part(name, payload, method, zlib.crc32(data), len(data), len(payload))


@functools.lru_cache(maxsize=4)
def zeros_part(name: str, size: int, prefix: bytes = b"") -> Part:
    """A part of ``prefix`` followed by spaces up to ``size`` bytes, deflated without ever holding
    it unpacked (about 1 MB per GB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunks, crc = [compressor.compress(prefix)], zlib.crc32(prefix)
    chunk = b" " * (1 << 20)
    left = size - len(prefix)
    while left > 0:
        piece = chunk if left >= len(chunk) else chunk[:left]
        chunks.append(compressor.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    chunks.append(compressor.flush())
    payload = b"".join(chunks)
    return Part(name, payload, DEFLATED, crc, size, len(payload))


def build(parts: list[Part], *, declared_count: int | None = None) -> bytes:
    """A zip of these parts, each header saying what its ``Part`` declares."""
    out, directory = bytearray(), bytearray()
    offsets: dict[str, int] = {}
    for item in parts:
        name = item.name.encode()
        if item.header_offset is None:
            offsets[item.name] = len(out)
            out += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, item.flags, item.method, 0, 0x21, item.crc,
                               item.compress_size, item.file_size, len(name), 0) + name + item.payload
    for item in parts:
        name = item.name.encode()
        offset = item.header_offset if item.header_offset is not None else offsets[item.name]
        directory += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, item.flags, item.method, 0, 0x21,
                                 item.crc, item.compress_size, item.file_size, len(name), 0, 0, 0, 0, 0,
                                 offset) + name
    count = len(parts) if declared_count is None else declared_count
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, min(count, 0xFFFF), min(count, 0xFFFF), len(directory),
                      len(out), 0)
    return bytes(out + directory + end)


def docx(*extra: Part, extension: str = "docx") -> bytes:
    """A small, valid OOXML package (with ``extra`` parts)."""
    main, _type = MAIN_TYPES[extension]
    return build([part("[Content_Types].xml", content_types(extension)), part(main, b"<document/>"), *extra])


def odf(extension: str = "odt") -> bytes:
    return build([part("mimetype", ODF_TYPES[extension].encode(), STORED), part("content.xml", b"<office/>")])


def with_zipfile(members: list[tuple[str, bytes]]) -> bytes:
    """The same as Python's zipfile writes it (as office programs do)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


# --- the kinds of bad archive ------------------------------------------------------------------

GIGABYTE = 1 << 30


def gigabyte_part(name: str) -> Part:
    """A part that unpacks to more than a gigabyte (the content types, then spaces), from about 1 MB."""
    return zeros_part("kernel", GIGABYTE + (64 << 20), prefix=content_types()).declaring(name=name)


def lying_content_types() -> bytes:
    """[Content_Types].xml declares 1 KB (and the CRC of its first KB) but unpacks to over a gigabyte:
    a check that trusts the declared size and reads the part whole takes gigabytes of memory."""
    first_kb = (content_types() + b" " * 1024)[:1024]
    return build([gigabyte_part("[Content_Types].xml").declaring(file_size=1024, crc=zlib.crc32(first_kb)),
                  part("word/document.xml", b"<document/>")])


def lying_size_bad_crc(unpacked: int = 64 << 20) -> bytes:
    """A part declaring 1 KB that holds ``unpacked`` bytes, with the CRC of all of it."""
    bomb = zeros_part("word/document.xml", unpacked)
    return build([part("[Content_Types].xml", content_types()), bomb.declaring(file_size=1024)])


def honest_bomb() -> bytes:
    """Every size declared truthfully: a part of more than a gigabyte from about a megabyte."""
    return build([part("[Content_Types].xml", content_types()), gigabyte_part("word/document.xml")])


def many_parts(count: int) -> bytes:
    return build([part("[Content_Types].xml", content_types()), part("word/document.xml", b"<document/>"),
                  *(part(f"word/media/image{index}.bin", b"x", STORED) for index in range(count))])


def directory_larger_than_declared(count: int = 25_000) -> bytes:
    """The end record says 3 parts; the central directory holds ``count``."""
    return build([part("[Content_Types].xml", content_types()), part("word/document.xml", b"<document/>"),
                  *(part(f"word/media/a-rather-long-name-for-a-part-{index:06}.bin", b"x", STORED)
                    for index in range(count))], declared_count=3)


def overlapping_parts(copies: int = 1500) -> bytes:
    """Many directory entries that all point at the same deflated kernel (a non-recursive bomb)."""
    head = [part("[Content_Types].xml", content_types()), part("word/document.xml", b"<document/>")]
    kernel = zeros_part("word/kernel.xml", 16 << 20)
    offset = sum(30 + len(item.name.encode()) + len(item.payload) for item in head)
    return build([*head, kernel, *(kernel.declaring(name=f"word/copy{index}.xml", header_offset=offset)
                                   for index in range(copies))])


def nested_bomb() -> bytes:
    """A docx that embeds a zip whose one part unpacks to more than a gigabyte."""
    inner = build([gigabyte_part("bomb.txt")])
    return docx(part("word/embeddings/archive.zip", inner))


def bad_crc() -> bytes:
    document = part("word/document.xml", b"<document>" + b"tekst " * 500 + b"</document>")
    return build([part("[Content_Types].xml", content_types()), document.declaring(crc=document.crc ^ 0xFFFF)])


def truncated() -> bytes:
    whole = with_zipfile([("[Content_Types].xml", content_types()), ("word/document.xml", b"<w/>" * 5000)])
    return whole[: len(whole) // 2]


def encrypted() -> bytes:
    return build([part("[Content_Types].xml", content_types()),
                  part("word/document.xml", b"<document/>").declaring(flags=0x1)])


def bzip2() -> bytes:
    import bz2

    data = b"<document/>"
    payload = bz2.compress(data)
    return build([part("[Content_Types].xml", content_types()),
                  Part("word/document.xml", payload, zipfile.ZIP_BZIP2, zlib.crc32(data), len(data), len(payload))])


def twice_the_same_name() -> bytes:
    return build([part("[Content_Types].xml", content_types()), part("word/document.xml", b"<a/>"),
                  part("word/document.xml", b"<b/>")])


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"

# name → (file name, bytes, the code of its refusal)
BAD_UPLOADS = {
    "lying-size-crafted-crc": lambda: ("bom.docx", lying_content_types(), "archive_bomb"),
    "lying-size": lambda: ("bom.docx", lying_size_bad_crc(), "archive_bomb"),
    "deflate-bomb": lambda: ("bom.docx", honest_bomb(), "archive_bomb"),
    "many-parts": lambda: ("veel.docx", many_parts(2100), "archive_bomb"),
    "directory-lies-about-count": lambda: ("veel.docx", directory_larger_than_declared(), "archive_bomb"),
    "overlapping-parts": lambda: ("overlap.docx", overlapping_parts(), "archive_bomb"),
    "nested-bomb": lambda: ("genest.docx", nested_bomb(), "archive_bomb"),
    "bad-crc": lambda: ("kapot.docx", bad_crc(), "archive_corrupt"),
    "truncated": lambda: ("half.docx", truncated(), "archive_corrupt"),
    "not-a-zip": lambda: ("rommel.xlsx", b"PK\x03\x04" + b"\x00" * 200, "archive_corrupt"),
    "twice-the-same-name": lambda: ("dubbel.docx", twice_the_same_name(), "archive_corrupt"),
    "encrypted": lambda: ("geheim.docx", encrypted(), "archive_unsupported"),
    "bzip2": lambda: ("bzip.docx", bzip2(), "archive_unsupported"),
    "renamed-exe": lambda: ("setup.docx", EXE, "content_mismatch"),
    "exe": lambda: ("setup.exe", EXE, "type_not_allowed"),
    "html-as-pdf": lambda: ("rapport.pdf", b"<html><script>alert(1)</script></html>", "content_mismatch"),
    "binary-as-csv": lambda: ("lijst.csv", EXE, "content_mismatch"),
}
