"""Per-channel throughput limits (provider limits): a token bucket per channel.

A bucket holds at most ``burst`` tokens and refills at ``rate`` tokens per second; each
message takes one. When the bucket is empty :meth:`TokenBucket.acquire` sleeps
``(1 - tokens) / rate`` seconds, so over any interval of ``t`` seconds at most
``burst + rate * t`` messages leave.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class TokenBucket:
    """``rate`` messages per second (> 0), bursts of ``burst`` (>= 1)."""

    rate: float
    burst: float = 1.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    tokens: float = field(init=False)
    updated: float = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst < 1:
            raise ValueError(f"token bucket needs rate > 0 and burst >= 1, got {self.rate}, "
                             f"{self.burst}")  # fmt: skip
        self.tokens = self.burst
        self.updated = self.clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def acquire(self) -> float:
        """Take one token, sleeping until there is one; returns the seconds slept. Safe
        from several sending threads (they queue on the bucket)."""
        with self._lock:
            return self._take()

    def _take(self) -> float:
        self._refill()
        waited = 0.0
        if self.tokens < 1:
            waited = (1 - self.tokens) / self.rate
            self.sleep(waited)
            self._refill()
            self.tokens = max(self.tokens, 1.0)
        self.tokens -= 1
        return waited
