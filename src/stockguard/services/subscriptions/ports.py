"""Ports of the subscriptions area."""

from __future__ import annotations

from typing import Protocol

from stockguard.domain import subscriptions as s


class SubscriptionRepository(Protocol):
    """Subscriptions inside a unit of work, one per (contact, SKU)."""

    def get(self, contact: str, sku: str) -> s.Subscription | None:
        """The subscription of ``contact`` (normalised) for ``sku``, if any."""
        ...

    def get_in_family(self, contact: str, family: str) -> s.Subscription | None:
        """The contact's subscription to any variant of ``family``, if any."""
        ...

    def add(self, subscription: s.Subscription) -> int:
        """Store a new subscription and return its id. Raises ``ConcurrencyConflict``
        when another transaction stored the same (contact, SKU) first."""
        ...

    def save(self, subscription: s.Subscription) -> None:
        """Write back a subscription read with ``get`` (status, consent, created_at,
        family)."""
        ...


class NoSubscriptions:
    """A repository without subscriptions (units of work that do not hold them)."""

    def get(self, contact: str, sku: str) -> s.Subscription | None:
        return None

    def get_in_family(self, contact: str, family: str) -> s.Subscription | None:
        return None

    def add(self, subscription: s.Subscription) -> int:
        raise NotImplementedError("this unit of work stores no subscriptions")

    def save(self, subscription: s.Subscription) -> None:
        raise NotImplementedError("this unit of work stores no subscriptions")
