"""The one upload check of the platform: every file a person uploads (library files, meeting
documents, documents in the back office) goes through ``check_upload`` before it is stored.

``check_upload(upload)`` returns a ``CheckedUpload`` or raises ``UploadRefused`` (a
``web.refusals.Refused``, so a ``ValidationError`` with a ``code``):

- ``type_not_allowed``: the name's extension is not one of ``ALLOWED_TYPES`` (PDF; Word, Excel,
  PowerPoint; OpenDocument text, spreadsheet, presentation; CSV and plain text);
- ``upload_too_large`` / ``upload_empty``: more than ``MAX_UPLOAD_BYTES``, or nothing;
- ``content_mismatch``: the content is not what the name says (a PDF starts with ``%PDF-``; an
  OOXML file is a zip whose ``[Content_Types].xml`` names the main part of its type; an ODF file
  is a zip whose first part, ``mimetype``, holds exactly its type; CSV and text hold no NUL byte);
- ``archive_corrupt``: the zip cannot be read: no end record, truncated, a part that does not
  inflate, a wrong CRC-32, a part whose size is not the one it declares, a name twice;
- ``archive_bomb``: the zip holds or unpacks to more than a document may: more than ``MAX_PARTS``
  parts or a central directory over ``MAX_DIRECTORY_BYTES``, parts that overlap, more than
  ``MAX_UNPACKED_BYTES`` unpacked in all, a part that inflates more than ``MAX_RATIO`` times
  (beyond its first ``RATIO_GRACE_BYTES``), or a part that unpacks to more than it declares;
- ``archive_unsupported``: a part that is encrypted or compressed otherwise than stored or
  deflated (office files use only these two).

Whatever an archive *declares*, the check reads a bounded number of bytes: the end record and
the central directory are size-checked before they are parsed, every part is inflated here in
chunks of ``CHUNK_BYTES`` (at most that much output per step, never a whole part at once), and
reading stops at the first limit. Its memory does not grow with what the archive unpacks to.

This module is on the ground floor: it imports no domain app.
"""

import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from stedennet.web.refusals import Refused

ALLOWED_TYPES = {  # extension: content type
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
}
TYPE_NAMES = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "pptx": "PowerPoint", "odt": "OpenDocument",
              "ods": "OpenDocument", "odp": "OpenDocument", "csv": "CSV", "txt": "TXT"}
# OOXML: the package's [Content_Types].xml names the main part's type (macro-enabled variants differ).
OOXML_MAIN_TYPE = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
ODF_TYPES = {"odt", "ods", "odp"}
TEXT_TYPES = {"csv", "txt"}

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PARTS = 2000
MAX_DIRECTORY_BYTES = 1024 * 1024
MAX_UNPACKED_BYTES = 250 * 1024 * 1024
MAX_RATIO = 100
RATIO_GRACE_BYTES = 256 * 1024
CHUNK_BYTES = 64 * 1024
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
MAX_MIMETYPE_BYTES = 200

_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"


class UploadRefused(Refused):
    """An upload the platform does not take; ``code`` says which rule, the message why."""


@dataclass(frozen=True)
class CheckedUpload:
    upload: object
    name: str
    extension: str
    content_type: str
    size: int


def upload_name(upload) -> str:
    """The file name of an upload without any folder a browser sent along."""
    return posixpath.basename((getattr(upload, "name", "") or "").replace("\\", "/"))


def extension_of(name: str) -> str:
    base = posixpath.basename((name or "").replace("\\", "/"))
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def allowed_extensions_text() -> str:
    return ", ".join(ALLOWED_TYPES)


def accept_attribute() -> str:
    """The ``accept`` attribute of a file input for the allowed types."""
    return ",".join(f".{extension}" for extension in ALLOWED_TYPES)


def check_upload(upload) -> CheckedUpload:
    """The upload, if the platform takes it; else ``UploadRefused`` with the code and the reason."""
    name = upload_name(upload)
    extension = extension_of(name)
    if extension not in ALLOWED_TYPES:
        raise UploadRefused(
            _("%(name)s: this type of file is not accepted; allowed are %(allowed)s.")
            % {"name": name, "allowed": allowed_extensions_text()}, code="type_not_allowed")
    size = _size(upload)
    if size > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("%(name)s is %(size)s MB; the maximum is %(max)s MB.")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}", "max": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="upload_too_large")
    if size == 0:
        raise UploadRefused(_("%(name)s is empty.") % {"name": name}, code="upload_empty")
    try:
        matches = _content_matches(upload, name, extension, size)
    finally:
        upload.seek(0)
    if not matches:
        raise UploadRefused(
            _("%(name)s is not a real %(type)s file: its content does not match its name.")
            % {"name": name, "type": TYPE_NAMES[extension]}, code="content_mismatch")
    return CheckedUpload(upload=upload, name=name, extension=extension, content_type=ALLOWED_TYPES[extension],
                         size=size)


def _size(upload) -> int:
    """The larger of the size the upload handler counted and the bytes that are there."""
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    return max(size, getattr(upload, "size", None) or 0)


def _content_matches(upload, name: str, extension: str, size: int) -> bool:
    upload.seek(0)
    head = upload.read(8)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in TEXT_TYPES:
        return _is_text(upload)
    if not head.startswith(_LOCAL_SIGNATURE):
        return False
    parts = ZipInspection(upload, name, extension, size).run()
    if extension in OOXML_MAIN_TYPE:
        content_types = parts.get("[Content_Types].xml")
        return content_types is not None and OOXML_MAIN_TYPE[extension] in content_types
    # ODF: the first part is "mimetype", stored, holding exactly the document's type.
    first = parts.get("")
    return first == ALLOWED_TYPES[extension].encode()


def _is_text(upload) -> bool:
    upload.seek(0)
    while chunk := upload.read(CHUNK_BYTES):
        if b"\x00" in chunk:
            return False
    return True


class ZipInspection:
    """Reads a zip within fixed limits. ``run()`` inflates every part (so a wrong CRC or a
    truncated part is found) and returns the first bytes of the parts a type check needs:
    ``[Content_Types].xml`` and, under ``""``, the first part if it is ``mimetype``."""

    def __init__(self, upload: IO[bytes], name: str, extension: str, size: int):
        self.upload = upload
        self.name = name
        self.type = TYPE_NAMES.get(extension, extension.upper())
        self.size = size
        self.unpacked = 0

    # refusals
    def corrupt(self) -> UploadRefused:
        return UploadRefused(_("%(name)s is damaged: it cannot be read as a %(type)s file.")
                             % {"name": self.name, "type": self.type}, code="archive_corrupt")

    def bomb(self, reason: str) -> UploadRefused:
        return UploadRefused(_("%(name)s is refused: %(reason)s.") % {"name": self.name, "reason": reason},
                             code="archive_bomb")

    def unsupported(self) -> UploadRefused:
        return UploadRefused(_("%(name)s is encrypted or compressed in a way office files are not.")
                             % {"name": self.name}, code="archive_unsupported")

    # the directory
    def _directory_limits(self) -> None:
        """Refuse before parsing a central directory that is too large or lists too many parts."""
        tail_size = min(self.size, _END.size + 0xFFFF + _ZIP64_LOCATOR.size + _ZIP64_END.size)
        self.upload.seek(self.size - tail_size)
        tail = self.upload.read(tail_size)
        position = len(tail) - _END.size
        if not (position >= 0 and tail[position:position + 4] == _END_SIGNATURE
                and _END.unpack_from(tail, position)[-1] == 0):
            position = tail.rfind(_END_SIGNATURE)  # the record is followed by a comment
            if position < 0 or position + _END.size > len(tail):
                raise self.corrupt()
        (_sig, _disk, _disk_dir, _count_here, count, directory_size, _offset,
         _comment) = _END.unpack_from(tail, position)
        locator_at = position - _ZIP64_LOCATOR.size
        if locator_at >= 0 and tail[locator_at:locator_at + 4] == b"PK\x06\x07":
            end64_at = locator_at - _ZIP64_END.size
            if end64_at < 0 or tail[end64_at:end64_at + 4] != b"PK\x06\x06":
                raise self.corrupt()
            fields = _ZIP64_END.unpack_from(tail, end64_at)
            count, directory_size = max(fields[6], fields[7]), fields[8]
        if count > MAX_PARTS:
            raise self.bomb(_("it has more than %(count)s parts") % {"count": MAX_PARTS})
        if directory_size > MAX_DIRECTORY_BYTES:
            raise self.bomb(_("its list of parts is larger than %(size)s MB")
                            % {"size": MAX_DIRECTORY_BYTES // (1024 * 1024)})

    def run(self) -> dict[str, bytes]:
        self._directory_limits()
        self.upload.seek(0)
        try:
            archive = zipfile.ZipFile(self.upload)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
            raise self.corrupt() from None
        with archive:
            parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise self.bomb(_("it has more than %(count)s parts") % {"count": MAX_PARTS})
        if len({part.filename for part in parts}) != len(parts):
            raise self.corrupt()
        starts = self._data_starts(parts)
        wanted: dict[str, bytes] = {}
        for index, part in enumerate(parts):
            keep = 0
            if part.filename == "[Content_Types].xml":
                keep = MAX_CONTENT_TYPES_BYTES
            elif index == 0 and part.filename == "mimetype":
                keep = MAX_MIMETYPE_BYTES
            kept = self._inflate(part, starts[part.header_offset], keep)
            if part.filename == "[Content_Types].xml":
                wanted["[Content_Types].xml"] = kept
            elif index == 0 and part.filename == "mimetype" and part.compress_type == zipfile.ZIP_STORED:
                wanted[""] = kept.strip()
        return wanted

    def _data_starts(self, parts: list[zipfile.ZipInfo]) -> dict[int, int]:
        """header offset → where the part's data starts; refuses parts that overlap or run past the end."""
        starts: dict[int, int] = {}
        ordered = sorted(parts, key=lambda part: part.header_offset)
        previous_end = 0
        for part in ordered:
            if part.flag_bits & 0x1:
                raise self.unsupported()
            if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise self.unsupported()
            if part.header_offset < previous_end:
                raise self.bomb(_("its parts overlap"))
            self.upload.seek(part.header_offset)
            header = self.upload.read(_LOCAL_HEADER.size)
            if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
                raise self.corrupt()
            name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
            start = part.header_offset + _LOCAL_HEADER.size + name_length + extra_length
            end = start + part.compress_size
            if end > self.size:
                raise self.corrupt()
            starts[part.header_offset] = start
            previous_end = end
        return starts

    def _inflate(self, part: zipfile.ZipInfo, start: int, keep: int) -> bytes:
        """Inflate one part in chunks, checking its size, its CRC-32 and the limits as it goes;
        returns its first ``keep`` bytes."""
        inflater = zlib.decompressobj(-zlib.MAX_WBITS) if part.compress_type == zipfile.ZIP_DEFLATED else None
        self.upload.seek(start)
        remaining = part.compress_size
        consumed = produced = 0
        crc = 0
        kept = bytearray()
        pending = b""
        while True:
            if not pending:
                if remaining <= 0:
                    break
                pending = self.upload.read(min(CHUNK_BYTES, remaining))
                if not pending:
                    raise self.corrupt()
                remaining -= len(pending)
                consumed += len(pending)
            if inflater is None:
                output, pending = pending, b""
            else:
                try:
                    output = inflater.decompress(pending, CHUNK_BYTES)
                except zlib.error:
                    raise self.corrupt() from None
                pending = inflater.unconsumed_tail
            produced += len(output)
            self.unpacked += len(output)
            if produced > part.file_size:
                raise self.bomb(_("a part unpacks to more than it declares"))
            if self.unpacked > MAX_UNPACKED_BYTES:
                raise self.bomb(_("it unpacks to more than %(size)s MB")
                                % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)})
            if produced > RATIO_GRACE_BYTES and produced > MAX_RATIO * max(consumed, 1):
                raise self.bomb(_("a part unpacks to more than %(ratio)s times its packed size")
                                % {"ratio": MAX_RATIO})
            crc = zlib.crc32(output, crc)
            if len(kept) < keep:
                kept += output[:keep - len(kept)]
            if inflater is not None and inflater.eof:
                break
        if inflater is not None and not inflater.eof:
            raise self.corrupt()
        if produced != part.file_size or crc != part.CRC:
            raise self.corrupt()
        return bytes(kept)
