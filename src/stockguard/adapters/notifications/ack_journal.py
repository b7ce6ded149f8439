"""The sender's acknowledgement journal on a local file (``services.outbox.delivery.AckJournal``).

One line ``"{delivery id} {attempt}\\n"`` is appended (``O_APPEND``, one ``write`` call)
the moment a receiver accepts a message; the file is truncated once the database has
committed the batch. A killed process loses nothing it wrote: the lines are in the
kernel's page cache and the next worker on the file applies them first. (A power cut
can lose the unsynced tail; the messages then stay ``sending`` and go out again after
their lease, so nothing is lost, at worst one batch is sent twice.)

The file is locked (``flock``) while a worker holds it, so two workers never share one;
``open_journal`` takes the first free file of a numbered family.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; the worker runs without
    fcntl = None  # type: ignore[assignment]


class JournalBusy(Exception):
    """Another worker holds this journal file."""


class FileAckJournal:
    """Acknowledgements in ``path`` (created with mode 0600, locked while open)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if fcntl is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as busy:
                os.close(self._fd)
                raise JournalBusy(f"{path} is held by another worker") from busy

    def record(self, delivery_id: int, attempt: int) -> None:
        os.write(self._fd, f"{delivery_id} {attempt}\n".encode("ascii"))

    def pending(self) -> list[tuple[int, int]]:
        """The recorded pairs; a torn last line (killed mid-write) is ignored."""
        pairs = []
        for line in self.path.read_text(encoding="ascii", errors="replace").splitlines():
            parts = line.split()
            if len(parts) == 2 and all(part.isdigit() for part in parts):
                pairs.append((int(parts[0]), int(parts[1])))
        return pairs

    def clear(self) -> None:
        os.ftruncate(self._fd, 0)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)


def default_folder() -> Path:
    """``$XDG_CACHE_HOME/stockguard`` (``~/.cache/stockguard`` when unset)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "stockguard"


def open_journal(folder: Path, database_url: str, *, tries: int = 16) -> FileAckJournal | None:
    """The first free journal of this database in ``folder``
    (``acks-{sha256(url)[:12]}-{n}.journal``, n = 1, 2, ...); None (with a warning) when
    every one is held or the folder cannot be written: the sender then commits each
    acknowledgement alone."""
    if fcntl is None:  # pragma: no cover
        return None
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:12]
    for number in range(1, tries + 1):
        try:
            return FileAckJournal(folder / f"acks-{digest}-{number}.journal")
        except JournalBusy:
            continue
        except OSError as error:
            logger.warning("no acknowledgement journal in %s (%s); acknowledging each "
                           "message alone", folder, error)  # fmt: skip
            return None
    logger.warning("all %d acknowledgement journals of this database are held; "
                   "acknowledging each message alone", tries)  # fmt: skip
    return None
