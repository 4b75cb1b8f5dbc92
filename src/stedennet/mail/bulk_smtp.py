"""Handing the messages of a mass mailing to the SMTP server, one after the other over one
connection, in two steps per message (see ``bulk`` for why):

1. ``MAIL FROM``, ``RCPT TO``, ``DATA`` and the whole dot-stuffed message *without* the final
   ``CRLF . CRLF``; the server holds an unfinished message it will throw away if the connection
   ends now;
2. ``hand_over()`` (the caller commits the recipient as handed over) and only if it says yes the
   final ``CRLF . CRLF``, then the server's answer.

``SmtpSender`` opens its connection through Django's SMTP backend (``EMAIL_HOST``, ``EMAIL_PORT``,
``EMAIL_USE_TLS``/``EMAIL_USE_SSL``, ``EMAIL_HOST_USER``/``EMAIL_HOST_PASSWORD``,
``EMAIL_TIMEOUT``, the certificate settings: whatever that backend would use) and talks smtplib
on it. ``BackendSender`` is for a delivery backend that is no SMTP backend (Django's locmem in
tests, console or file in development): it hands over first and then gives the message to it.
``sender_for_settings()`` picks one after ``STEDENNET_MAIL_DELIVERY_BACKEND``.
"""

import contextlib
import re
import smtplib
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils.module_loading import import_string

from stedennet.mail.services import OUTBOX_BACKEND, StoredMessage, describe_error

# What a message's attempt ended in.
SENT = "sent"  # the server said 250 to the end of the message
UNANSWERED = "unanswered"  # handed over whole, but the connection ended before the server's answer
FAILED = "failed"  # 4xx (or the sender refused): to be retried
BOUNCED = "bounced"  # 5xx for this recipient or message: a hard bounce
NOT_HANDED_OVER = "not_handed_over"  # hand_over() said no: the unfinished message was abandoned

_LEADING_DOT = re.compile(rb"(?m)^\.")
_END = b"\r\n.\r\n"


class ConnectionLost(Exception):
    """The connection broke (or the server said 421) before the message was handed over: nothing
    was delivered; the message may be sent again on a new connection."""


class ConnectFailed(Exception):
    """No connection to the SMTP server could be made."""


@dataclass(frozen=True)
class Attempt:
    outcome: str
    error: str = ""
    handed_over: bool = False


def dot_stuffed(message: bytes) -> bytes:
    """The message as DATA carries it (RFC 5321 4.5.2): every line starting with "." gets another,
    without the last line's CRLF (the terminator ``CRLF . CRLF`` brings it)."""
    return _LEADING_DOT.sub(b"..", message).removesuffix(b"\r\n")


def _answer(code: int, text) -> str:
    return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"


class SmtpSender:
    def __init__(self, backend_class=SmtpBackend) -> None:
        self.backend_class = backend_class
        self.backend = None

    @property
    def connected(self) -> bool:
        return self.backend is not None and self.backend.connection is not None

    def open(self) -> None:
        backend = self.backend_class(fail_silently=False)
        try:
            backend.open()
            # The final dot goes out in a small write of its own after the message: without
            # TCP_NODELAY, Nagle's algorithm holds it until the server's delayed ACK (40 ms here).
            backend.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            backend.connection.ehlo_or_helo_if_needed()
        except Exception as error:
            backend.connection = None
            raise ConnectFailed(describe_error(error)) from error
        self.backend = backend

    def close(self) -> None:
        """QUIT and close (Django's backend ignores a connection that is already gone)."""
        if self.backend is not None:
            with contextlib.suppress(Exception):  # closing a broken connection: nothing left to do
                self.backend.close()
            self.backend = None

    def drop(self) -> None:
        """Close the socket without QUIT: an unfinished message is abandoned, the server discards it."""
        if self.backend is not None and self.backend.connection is not None:
            with contextlib.suppress(Exception):
                self.backend.connection.close()
            self.backend.connection = None
        self.backend = None

    def _reset(self, smtp) -> None:
        try:
            smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.drop()

    def send(self, envelope_from: str, envelope_to: str, message: bytes, hand_over: Callable[[], bool]) -> Attempt:
        """One message to one recipient over the open connection. Raises ``ConnectionLost`` when
        the connection broke before the hand-over."""
        smtp = self.backend.connection
        try:
            code, text = smtp.mail(envelope_from)
            if code != 250:
                return self._refused(smtp, code, text, phase="MAIL FROM", bounce=False)
            code, text = smtp.rcpt(envelope_to)
            if code not in (250, 251):
                return self._refused(smtp, code, text, phase="RCPT TO")
            code, text = smtp.docmd("data")
            if code != 354:
                return self._refused(smtp, code, text, phase="DATA")
            smtp.send(dot_stuffed(message))
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self.drop()
            raise ConnectionLost(describe_error(error)) from error
        if not hand_over():
            self.drop()
            return Attempt(NOT_HANDED_OVER)
        try:
            smtp.send(_END)
            code, text = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self.drop()
            return Attempt(UNANSWERED, f"handed over whole; no answer from the server: {describe_error(error)}",
                           handed_over=True)
        if code == 250:
            return Attempt(SENT, handed_over=True)
        if code == 421:
            self.drop()
        return Attempt(BOUNCED if 500 <= code < 600 else FAILED, f"end of DATA: {_answer(code, text)}",
                       handed_over=True)

    def _refused(self, smtp, code: int, text, *, phase: str, bounce: bool = True) -> Attempt:
        if code == 421 or code == -1:  # the server closes the connection (-1: it closed already)
            self.drop()
            raise ConnectionLost(f"{phase}: {_answer(code, text)}")
        self._reset(smtp)
        outcome = BOUNCED if bounce and 500 <= code < 600 else FAILED
        return Attempt(outcome, f"{phase}: {_answer(code, text)}")


class BackendSender:
    """For a delivery backend without SMTP (locmem, console, file): no wire, so no unfinished
    message; the recipient is handed over, then the message given to the backend."""

    connected = True

    def __init__(self, path: str) -> None:
        self.path = path

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    drop = close

    def send(self, envelope_from: str, envelope_to: str, message: bytes, hand_over: Callable[[], bool]) -> Attempt:
        from stedennet.mail.models import OutgoingMail

        if not hand_over():
            return Attempt(NOT_HANDED_OVER)
        stored = StoredMessage(OutgoingMail(from_email=envelope_from, recipients=[envelope_to], message=message))
        try:
            with get_connection(self.path, fail_silently=False) as connection:
                accepted = connection.send_messages([stored])
        except Exception as error:  # the backend's failure is the recipient's failed attempt
            return Attempt(FAILED, describe_error(error), handed_over=True)
        if not accepted:
            return Attempt(FAILED, "the delivery backend accepted no message", handed_over=True)
        return Attempt(SENT, handed_over=True)


def sender_for_settings():
    """The sender for ``settings.STEDENNET_MAIL_DELIVERY_BACKEND``."""
    path = settings.STEDENNET_MAIL_DELIVERY_BACKEND
    if path == OUTBOX_BACKEND:
        raise ImproperlyConfigured("STEDENNET_MAIL_DELIVERY_BACKEND must not be the outbox itself")
    backend_class = import_string(path)
    if isinstance(backend_class, type) and issubclass(backend_class, SmtpBackend):
        return SmtpSender(backend_class)
    return BackendSender(path)
