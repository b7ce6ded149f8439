"""Loopback receivers for the alert tests: a webhook endpoint and an SMTP server.

Both run on a thread on 127.0.0.1 (port chosen by the OS) and record what they got.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy import insert

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.domain import events


def put_event(app: App, event: events.Event, created_at: datetime) -> int:
    """Write ``event`` to the outbox as the unit of work does; returns its id."""
    with app.sessions() as session:
        row = session.execute(
            insert(t.table_of(t.OutboxRow))
            .values(
                event_type=type(event).__name__,
                payload=dataclasses.asdict(event),  # type: ignore[call-overload]
                created_at=created_at,
            )
            .returning(t.OutboxRow.id)
        ).scalar_one()
        session.commit()
    return int(row)


@dataclass(slots=True)
class WebhookCalls:
    """Requests received: (Idempotency-Key header, JSON body). ``status`` is answered."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    status: int = 200
    url: str = ""

    @property
    def distinct_keys(self) -> set[str]:
        return {key for key, _ in self.calls}


@contextmanager
def webhook_receiver(path: str = "/hook") -> Iterator[WebhookCalls]:
    received = WebhookCalls()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            with lock:
                received.calls.append((self.headers.get("Idempotency-Key", ""), body))
            self.send_response(received.status)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    received.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass(slots=True)
class MailBox:
    """Messages received: envelope sender, recipients, raw data; and logins seen."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    port: int = 0


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    mailbox: MailBox

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 localhost test SMTP")
        sender = ""
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode().rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-localhost\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
            elif verb == "AUTH":
                plain = base64.b64decode(command.split()[-1]).split(b"\0")
                self.mailbox.logins.append(plain[1].decode())
                self.reply("235 authenticated")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].split()[0].strip("<>"), []
                self.reply("250 ok")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                self.mailbox.messages.append((sender, recipients, self._data()))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


@contextmanager
def smtp_server() -> Iterator[MailBox]:
    mailbox = MailBox()
    handler = type("Handler", (_SmtpHandler,), {"mailbox": mailbox})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    mailbox.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield mailbox
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
