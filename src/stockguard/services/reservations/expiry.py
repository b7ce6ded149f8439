"""The worker's periodic sweep of expired checkout holds."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from stockguard.services.messagebus import MessageBus
from stockguard.services.reservations.handlers import ReleaseExpired

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class IntervalJob:
    """A job the worker runs in its first cycle at least ``every_seconds`` after the last
    run (the same ``run_if_due`` as the daily jobs)."""

    name: str
    every_seconds: float
    run: Callable[[datetime], object]
    last_run: datetime | None = None

    def run_if_due(self, now: datetime) -> bool:
        """Run the job when due; True when it ran (a failure is logged and retried at
        the next cycle)."""
        if self.last_run is not None and now - self.last_run < timedelta(
            seconds=self.every_seconds
        ):
            return False
        try:
            self.run(now)
        except Exception:
            logger.exception("job %s failed; retrying at the next cycle", self.name)
            return False
        self.last_run = now
        return True


def release_expired_job(bus: MessageBus, every_seconds: float) -> IntervalJob:
    """Release holds past their expiry (batches of 500 until none is left) every
    ``every_seconds`` seconds."""

    def sweep(now: datetime) -> int:
        total = 0
        while released := bus.handle(ReleaseExpired(now=now)):
            total += int(released)
        if total:
            logger.info("released %d expired checkout holds", total)
        return total

    return IntervalJob("release expired reservations", every_seconds, sweep)
