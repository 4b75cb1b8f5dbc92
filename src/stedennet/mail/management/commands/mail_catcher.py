"""``stedennet mail-catcher [--host 127.0.0.1] [--port 1025] [--dir var/mail]``: a local SMTP server
for the demo and for development that delivers nothing. Every message it receives is written to
``DIR`` as an ``.eml`` file (with the envelope as ``X-Envelope-*`` headers on top) and announced
on the console; ``--list`` lists what it caught (newest last) and exits. ``make run`` starts it
beside the web server and points the outbox at it, unless
``STEDENNET_EMAIL_HOST`` names a real SMTP server. Not for production: anyone on the host may send.
"""

import datetime
import email
import email.policy
import os
import secrets
import signal
import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class CatchingHandler:
    def __init__(self, directory: Path, write) -> None:
        self.directory = directory
        self.write = write

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        name = f"{datetime.datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.eml"
        header = (f"X-Envelope-From: {envelope.mail_from}\r\n"
                  f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n").encode()
        partial = self.directory / f".{name}.part"
        partial.write_bytes(header + content)
        os.replace(partial, self.directory / name)  # whole files only, for whoever reads the directory
        subject = email.message_from_bytes(content, policy=email.policy.default).get("Subject", "")
        self.write(f"mail-catcher: {envelope.mail_from} → {', '.join(envelope.rcpt_tos)}: {subject} "
                   f"({self.directory / name})")
        return "250 Message accepted for delivery (caught, not sent on)"


class Command(BaseCommand):
    help = "Run a local SMTP server that keeps every mail in a directory (demo and development only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
        parser.add_argument("--port", type=int, default=1025, help="port to listen on (default: 1025)")
        parser.add_argument("--dir", default=str(Path(settings.DATA_DIR) / "mail"),
                            help="where the caught mail is written (default: var/mail/)")
        parser.add_argument("--list", action="store_true", help="list the caught mail and exit")

    def handle(self, *args, host: str, port: int, dir: str, list: bool = False, **options) -> None:
        directory = Path(dir)
        if list:
            self.list_caught(directory)
            return
        from aiosmtpd.controller import Controller

        directory.mkdir(parents=True, exist_ok=True)

        def write(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        controller = Controller(CatchingHandler(directory, write), hostname=host, port=port)
        try:
            controller.start()
        except Exception as error:  # the port is taken, or the address is not ours
            raise CommandError(f"cannot listen on {host}:{port}: {error}") from None
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
        write(f"mail-catcher: listening on {host}:{port}, writing every mail to {directory}/")
        try:
            while not stop.wait(1):
                pass
        finally:
            controller.stop()

    def list_caught(self, directory: Path) -> None:
        files = sorted(directory.glob("*.eml")) if directory.is_dir() else []
        for path in files:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            self.stdout.write(f"{path.name}  {message.get('Date', '')}  {message.get('X-Envelope-To', '')}  "
                              f"{message.get('Subject', '')}")
        self.stdout.write(f"{len(files)} mail(s) caught in {directory}/")
