"""A loopback SMTP sink (aiosmtpd) for the messaging tests: keeps every message it
accepts, raw, in arrival order; or, run as a script, a mailbox for tests whose sender is
another process: it stores each Message-ID once (one line in a file) and, like a mailbox
provider that drops a second copy with a Message-ID it already holds, logs a repeated
transmission to a second file instead of storing it again."""

from __future__ import annotations

import argparse
import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Collector:
    """aiosmtpd handler that keeps each accepted message's bytes and envelope."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.messages.append(
                (envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
            )
        return "250 Message accepted for delivery"

    def parsed(self) -> list[EmailMessage]:
        with self.lock:
            raw = [content for _, _, content in self.messages]
        return [email.message_from_bytes(content, policy=email.policy.default) for content in raw]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(handler: Any) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


@contextmanager
def smtp_sink() -> Iterator[tuple[Collector, int]]:
    """Start a sink on 127.0.0.1 (a free port); yields the collector and the port."""
    collector = Collector()
    controller, port = _start(collector)
    try:
        yield collector, port
    finally:
        controller.stop()


@dataclass
class MailboxHandler:
    """Stores each accepted message's Message-ID once in ``path`` and logs a copy whose
    Message-ID it already holds to ``repeats``, both before answering 250 (a kill of the
    sender after the 250 is written cannot undo either)."""

    path: Path
    repeats: Path
    seen: set[str] = field(default_factory=set)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message_id = str(parsed["Message-ID"])
        target = self.repeats if message_id in self.seen else self.path
        self.seen.add(message_id)
        with target.open("a", encoding="ascii") as out:
            out.write(f"{message_id}\n")
            out.flush()
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("ids", type=Path, help="file each stored Message-ID is appended to")
    parser.add_argument("repeats", type=Path, help="file repeated Message-IDs are appended to")
    parser.add_argument("port_file", type=Path, help="file the sink writes its port to")
    args = parser.parse_args()
    _controller, port = _start(MailboxHandler(args.ids, args.repeats))
    args.port_file.write_text(str(port))
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
