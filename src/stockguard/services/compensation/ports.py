"""Ports of the compensation and notices areas (implemented in ``adapters.db.compensation``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, Self

from stockguard.domain.compensation import Policy
from stockguard.services.compensation.model import (
    AffectedOrder,
    Contact,
    IssuedCode,
    Notice,
)
from stockguard.services.outbox.ports import DeliveryStore
from stockguard.services.substitutes.query import Suggestion


class CompensationStore(Protocol):
    def policy(self) -> Policy | None: ...

    def save_policy(self, policy: Policy, source: str, now: datetime) -> None: ...

    def delete_policy(self) -> bool: ...

    def issued_value(self, month: str) -> Decimal:
        """Sum of ``face_value`` of the codes issued in ``month`` (``YYYY-MM``)."""
        ...

    def add_code(self, code: IssuedCode) -> None: ...

    def code(self, code: str) -> IssuedCode | None: ...

    def code_for_key(self, idempotency_key: str) -> IssuedCode | None: ...

    def codes(self, *, customer: str | None = None, limit: int = 100) -> list[IssuedCode]: ...

    def redeem(self, code: str, now: datetime, reference: str | None) -> bool:
        """Mark ``code`` redeemed if it is not yet (one conditional UPDATE); True when
        this call redeemed it."""
        ...

    def customer_spend(self, customer: str, since: datetime) -> Decimal:
        """Money of the customer's non-cancelled sales orders since ``since``."""
        ...

    def contact(self, customer: str) -> Contact: ...

    def has_notice(self, idempotency_key: str) -> bool: ...

    def add_notice(self, notice: Notice) -> None: ...

    def notices(self, *, customer: str | None = None, limit: int = 100) -> list[Notice]: ...

    def open_orders_with(self, sku: str) -> list[AffectedOrder]:
        """Open sales orders with a line of ``sku`` (value: the order's lines)."""
        ...

    def preorder(self, preorder_id: str) -> AffectedOrder | None: ...

    def orders_of(self, customer: str) -> list[AffectedOrder]:
        """The customer's open sales orders and waiting pre-orders."""
        ...

    def substitutes(self, sku: str, customer: str, limit: int) -> Sequence[Suggestion]:
        """Up to ``limit`` in-stock substitutes of ``sku``, ranked for ``customer`` (their
        purchase history lifts what they bought before); empty when there are none."""
        ...

    def promise_of(self, sku: str, location: str | None) -> date | None:
        """The storefront's current restock promise of ``sku`` (earliest over locations
        when ``location`` is None)."""
        ...

    def customers_like(self, query: str, *, limit: int = 20) -> Sequence[Contact]: ...


class CompensationUnitOfWork(Protocol):
    @property
    def compensation(self) -> CompensationStore: ...

    @property
    def deliveries(self) -> DeliveryStore: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *args: object) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
