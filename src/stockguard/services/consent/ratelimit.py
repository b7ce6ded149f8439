"""Sliding-window limits on subscription requests, per contact and per client address.

A request at ``now`` is refused when ``n >= limit`` requests were accepted in
``(now - window, now]``. It would be accepted once the oldest request that keeps the
count at the limit leaves the window, so::

    retry_after = times[n - limit] + window - now      (seconds, rounded up, >= 1)

with ``times`` the accepted requests' times, oldest first.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import ClassVar

from stockguard.domain import errors
from stockguard.services.consent.policy import ConsentPolicy
from stockguard.services.consent.ports import ConsentRepository


class RateLimited(errors.DomainError):
    """Too many subscription requests (HTTP 429 with ``Retry-After``)."""

    code: ClassVar[str] = "rate_limited"

    def __init__(self, scope: str, limit: int, window: timedelta, retry_after: int) -> None:
        self.scope = scope
        self.limit = limit
        self.retry_after = retry_after
        minutes = int(window.total_seconds() // 60)
        super().__init__(
            f"Too many subscription requests from this {scope}: at most {limit} in "
            f"{minutes} minutes. Try again in {retry_after} seconds."
        )


def _retry_after(times: list[datetime], limit: int, window: timedelta, now: datetime) -> int:
    seconds = (times[len(times) - limit] + window - now).total_seconds()
    return max(1, math.ceil(seconds))


def check(
    repo: ConsentRepository,
    policy: ConsentPolicy,
    contact_hmac: str,
    ip_hmac: str | None,
    now: datetime,
) -> None:
    """Raise ``RateLimited`` when the contact or the client address is over its limit
    (the contact is checked first); writes nothing."""
    times = repo.request_times(contact_hmac, ip_hmac, now - policy.window)
    if len(times.by_contact) >= policy.per_contact:
        wait = _retry_after(times.by_contact, policy.per_contact, policy.window, now)
        raise RateLimited("contact", policy.per_contact, policy.window, wait)
    if ip_hmac is not None and len(times.by_ip) >= policy.per_ip:
        wait = _retry_after(times.by_ip, policy.per_ip, policy.window, now)
        raise RateLimited("address", policy.per_ip, policy.window, wait)
