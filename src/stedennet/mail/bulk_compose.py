"""The messages of a mass mailing, built with the email package: what is the same for every
recipient is built once per mailing, per recipient only what differs.

A message is ``multipart/alternative`` with a text and an HTML part (only a text part when the
mailing has no HTML), UTF-8, both quoted-printable (so the bytes on the wire stay readable and
7-bit). Headers: From, To (with the name), Subject, Date, Message-ID (the same for every attempt
to one recipient), Reply-To, List-Id (when the mailing has one), Precedence: bulk, and only for a
recipient with an unsubscribe URL ``List-Unsubscribe: <url>`` and
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058).

The marker ``%%UNSUBSCRIBE%%`` in the text and the HTML becomes the mailing's unsubscribe text or
HTML with ``%%URL%%`` replaced by the recipient's URL (HTML-escaped in the HTML), or nothing for
a recipient without one. Quoted-printable encodes line by line, so the lines without the marker
are encoded once per mailing and only the lines with the marker once per recipient.
"""

import email.quoprimime
import html
from email.header import Header
from email.message import Message
from email.policy import compat32
from email.utils import formataddr, formatdate, parseaddr

from django.conf import settings
from django.core.mail.message import sanitize_address

from stedennet.mail.constants import UNSUBSCRIBE_MARKER, URL_MARKER

CRLF = "\r\n"
# The wire format: CRLF line ends, lines folded at 78 characters.
POLICY = compat32.clone(linesep=CRLF)
ONE_CLICK = "List-Unsubscribe=One-Click"


def qp_encode(text: str) -> str:
    """``text`` as UTF-8 quoted-printable with CRLF line ends (what ``email.charset`` does for a
    body, without its per-message overhead)."""
    return email.quoprimime.body_encode(text.encode("utf-8").decode("latin-1"), maxlinelen=76, eol=CRLF)


class _Body:
    """One part's encoded content: the lines without the marker encoded once, the lines with it
    kept as templates; ``render(url)`` gives the encoded part for one recipient."""

    def __init__(self, content: str, snippet: str, *, escape) -> None:
        content = content.replace("\r\n", "\n").replace("\r", "\n")
        if not content.endswith("\n"):
            content += "\n"
        self.snippet = snippet.replace("\r\n", "\n").replace("\r", "\n")
        self.escape = escape
        self.chunks: list[tuple[bool, str]] = []  # (encoded?, text)
        constant: list[str] = []
        for line in content.splitlines(keepends=True):
            if UNSUBSCRIBE_MARKER in line:
                if constant:
                    self.chunks.append((True, qp_encode("".join(constant))))
                    constant = []
                self.chunks.append((False, line))
            else:
                constant.append(line)
        if constant:
            self.chunks.append((True, qp_encode("".join(constant))))
        self.personal = any(not encoded for encoded, _text in self.chunks)
        self.without_url = self._render("")

    def _render(self, url: str) -> str:
        snippet = self.snippet.replace(URL_MARKER, self.escape(url)) if url else ""
        return "".join(text if encoded else qp_encode(text.replace(UNSUBSCRIBE_MARKER, snippet))
                       for encoded, text in self.chunks)

    def render(self, url: str) -> str:
        return self._render(url) if url and self.personal else self.without_url


# Headers written as they are: one token each (a URL, an id) that folding could only push onto a
# line of its own, with the fold's whitespace left in the value. ASCII, at most 998 characters
# (``bulk`` checks what the caller gives).
_UNFOLDED = frozenset({"Message-ID", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "Precedence",
                       "MIME-Version"})


def _header_line(name: str, value: str) -> str:
    line = f"{name}: {value}{CRLF}"
    if name in _UNFOLDED or (len(line) <= 78 and value.isascii()):
        return line  # nothing to fold or encode
    return POLICY.fold(name, value)


def _header_block(headers: list[tuple[str, str]]) -> str:
    """The headers as the email package writes them (encoded words and addresses folded), each
    line ending in CRLF."""
    return "".join(_header_line(name, value) for name, value in headers)


def _part_head(subtype: str) -> str:
    part = Message()
    part["Content-Type"] = f"text/{subtype}"
    part.set_param("charset", "utf-8")
    part["Content-Transfer-Encoding"] = "quoted-printable"
    return part.as_string(policy=POLICY)  # with the blank line that ends a part's headers


def _encoded_word(value: str) -> str:
    return value if value.isascii() else Header(value, "utf-8").encode()


class MailingComposer:
    """Builds the messages of one mailing. ``message(pk, address, name, url)`` is the message for
    one recipient as bytes with CRLF line ends (not yet dot-stuffed), ``message_id(pk)`` its
    Message-ID, ``envelope_from`` and ``envelope_to(address)`` the SMTP envelope."""

    def __init__(self, mailing) -> None:
        self.mailing = mailing
        self.encoding = settings.DEFAULT_CHARSET or "utf-8"
        self.envelope_from = sanitize_address(parseaddr(mailing.from_email)[1] or mailing.from_email, "utf-8")
        self.domain = self.envelope_from.rpartition("@")[2] or "stedennet.invalid"
        self.localtime = getattr(settings, "EMAIL_USE_LOCALTIME", False)
        self.text = _Body(mailing.text, mailing.unsubscribe_text, escape=str)
        self.html = _Body(mailing.html, mailing.unsubscribe_html, escape=html.escape) if mailing.html else None
        self.boundary = f"=_stedennet_{mailing.uuid.hex}"  # "=_" never occurs in quoted-printable text
        headers = [("From", sanitize_address(mailing.from_email, "utf-8")),
                   ("Subject", _encoded_word(mailing.subject))]
        if mailing.reply_to:
            headers.append(("Reply-To", sanitize_address(mailing.reply_to, "utf-8")))
        if mailing.list_id:
            list_id = mailing.list_id if "<" in mailing.list_id else f"<{mailing.list_id}>"
            headers.append(("List-Id", list_id))
        headers += [("Precedence", "bulk"), ("MIME-Version", "1.0")]
        if self.html is None:
            headers += [("Content-Type", 'text/plain; charset="utf-8"'),
                        ("Content-Transfer-Encoding", "quoted-printable")]
        else:
            headers.append(("Content-Type", f'multipart/alternative; boundary="{self.boundary}"'))
        self.common_head = _header_block(headers)
        self.text_head, self.html_head = _part_head("plain"), _part_head("html")
        self.body_without_url = self._body("")

    def _body(self, url: str) -> str:
        if self.html is None:
            return self.text.render(url)
        boundary = self.boundary
        # Each part ends in CRLF, and the CRLF before a boundary belongs to the boundary (RFC 2046 5.1.1).
        return (f"--{boundary}{CRLF}{self.text_head}{self.text.render(url)}{CRLF}"
                f"--{boundary}{CRLF}{self.html_head}{self.html.render(url)}{CRLF}"
                f"--{boundary}--{CRLF}")

    def message_id(self, recipient_pk: int) -> str:
        return f"<{self.mailing.uuid.hex}.{recipient_pk}@{self.domain}>"

    def envelope_to(self, address: str) -> str:
        """The address as SMTP carries it: the domain in punycode (the local part is ASCII: ``bulk``
        accepts no other)."""
        return address if address.isascii() else sanitize_address(address, "utf-8")

    def message(self, recipient_pk: int, address: str, name: str = "", url: str = "") -> bytes:
        address = self.envelope_to(address)
        headers = [("To", formataddr((name, address), charset="utf-8") if name else address),
                   ("Date", formatdate(localtime=self.localtime)),
                   ("Message-ID", self.message_id(recipient_pk))]
        if url:
            headers += [("List-Unsubscribe", f"<{url}>"), ("List-Unsubscribe-Post", ONE_CLICK)]
        body = self._body(url) if url else self.body_without_url
        return f"{_header_block(headers)}{self.common_head}{CRLF}{body}".encode("ascii")
