"""A loopback SMTP sink process for benchmarks/notify_throughput.py (aiosmtpd): counts
accepted messages and appends each Message-ID to a file before answering 250.

    python benchmarks/_smtp_sink.py IDS_FILE PORT_FILE
"""

from __future__ import annotations

import re
import socket
import sys
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


class IdWriter:
    def __init__(self, path: Path) -> None:
        self.out = path.open("a", encoding="ascii", buffering=1)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        found = MESSAGE_ID.search(envelope.content)
        self.out.write((found.group(1).decode() if found else "<none>") + "\n")
        return "250 OK"


def main() -> None:
    ids, port_file = Path(sys.argv[1]), Path(sys.argv[2])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(IdWriter(ids), hostname="127.0.0.1", port=port)
    controller.start()
    port_file.write_text(str(port))
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
