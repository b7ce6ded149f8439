"""Operator passwords: argon2id hashes (argon2-cffi), a length rule and a dummy check.

Only hashes are stored. ``verify`` never raises for a wrong password, and
``verify_nothing`` spends the same time as a real check, so an unknown e-mail address
and a wrong password take as long to refuse.
"""

from __future__ import annotations

import argon2
from argon2 import exceptions as argon2_errors

MINIMUM_LENGTH = 10
MAXIMUM_LENGTH = 1024  # argon2 accepts more; refusing megabytes keeps hashing cheap


class WeakPassword(ValueError):
    """The password breaks the length rule."""


def check_password(password: str) -> None:
    """Refuse passwords shorter than ``MINIMUM_LENGTH`` or absurdly long."""
    if len(password) < MINIMUM_LENGTH:
        raise WeakPassword(f"a password needs at least {MINIMUM_LENGTH} characters")
    if len(password) > MAXIMUM_LENGTH:
        raise WeakPassword(f"a password has at most {MAXIMUM_LENGTH} characters")


class PasswordHasher:
    """argon2id with argon2-cffi's default (RFC 9106 low-memory) parameters."""

    def __init__(self, hasher: argon2.PasswordHasher | None = None) -> None:
        self._hasher = hasher or argon2.PasswordHasher()
        self._dummy_hash: str | None = None

    def hash(self, password: str) -> str:
        check_password(password)
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """True when ``password`` matches; False for a mismatch or an unreadable hash."""
        if len(password) > MAXIMUM_LENGTH:
            return False
        try:
            return self._hasher.verify(password_hash, password)
        except (argon2_errors.VerificationError, argon2_errors.InvalidHashError):
            return False

    def verify_nothing(self, password: str) -> None:
        """Spend a verification's time when there is no operator to check against."""
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash("not a real password, it only spends time")
        self.verify(self._dummy_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with weaker parameters than the current ones."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except argon2_errors.InvalidHashError:
            return True
