"""Who is signed in, CSRF tokens, and a throttle for failed sign-ins.

The session lives in a signed cookie (Starlette's SessionMiddleware): it holds the
operator's e-mail address and a random CSRF token. Every POST form carries the token
in a hidden ``csrf_token`` field; ``check_csrf`` compares it in constant time.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable

from starlette.requests import Request

OPERATOR_KEY = "operator"
CSRF_KEY = "csrf"


class LoginRequired(Exception):
    """Raised by protected pages when nobody is signed in."""


class CsrfRejected(Exception):
    """A POST without the session's CSRF token."""


def operator_email(request: Request) -> str | None:
    email = request.session.get(OPERATOR_KEY)
    return email if isinstance(email, str) else None


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_KEY] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get(CSRF_KEY)
    if not isinstance(expected, str) or not expected or not submitted:
        raise CsrfRejected
    if not hmac.compare_digest(expected.encode(), submitted.encode()):
        raise CsrfRejected


def sign_in(request: Request, email: str) -> None:
    """Start a fresh session (new CSRF token) so that no earlier value survives."""
    request.session.clear()
    request.session[OPERATOR_KEY] = email
    request.session[CSRF_KEY] = secrets.token_urlsafe(32)


def sign_out(request: Request) -> None:
    request.session.clear()


class LoginThrottle:
    """Refuse sign-ins after too many failures for one address or one client, per process.

    Each key (an address or a client's IP) keeps the times of its recent failures; a key
    with ``limit`` failures inside ``window`` seconds is blocked until the oldest one
    leaves the window. Memory stays bounded by forgetting the oldest keys.
    """

    def __init__(
        self,
        *,
        limit: int = 5,
        window: float = 900.0,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limit = limit
        self._window = window
        self._max_keys = max_keys
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, *keys: str) -> float:
        """Seconds until ``keys`` may try again; 0 when none of them is blocked."""
        now = self._clock()
        waits = [0.0]
        for key in keys:
            failures = self._recent(key, now)
            if len(failures) >= self._limit:
                waits.append(failures[0] + self._window - now)
        return max(waits)

    def failed(self, *keys: str) -> None:
        now = self._clock()
        for key in keys:
            self._recent(key, now).append(now)
        while len(self._failures) > self._max_keys:
            del self._failures[next(iter(self._failures))]

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        return failures


class SignInGuard:
    """Throttles per address (5 failures in 15 minutes) and per client (20, since one
    office may share an address)."""

    def __init__(
        self, by_address: LoginThrottle | None = None, by_client: LoginThrottle | None = None
    ) -> None:
        self.by_address = by_address or LoginThrottle(limit=5)
        self.by_client = by_client or LoginThrottle(limit=20)

    def retry_after(self, address: str, client: str) -> float:
        return max(self.by_address.retry_after(address), self.by_client.retry_after(client))

    def failed(self, address: str, client: str) -> None:
        self.by_address.failed(address)
        self.by_client.failed(client)

    def succeeded(self, address: str) -> None:
        self.by_address.succeeded(address)
