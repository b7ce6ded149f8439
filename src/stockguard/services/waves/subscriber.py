"""The relay's waves subscriber and the periodic re-check.

``BackInStock`` events (relayed from the outbox) and ``StockedOut`` events advance the
SKU's waves in the relay's transaction; ``recheck`` advances every SKU with waiting
subscribers (the next wave after the pause, a sell-out noticed, a discontinued SKU) in
one transaction of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from stockguard.services.outbox.model import OutboxMessage
from stockguard.services.outbox.relay import Subscribers
from stockguard.services.waves.ports import WaveSettings, WaveUnitOfWork
from stockguard.services.waves.waves import WaveOutcome, advance

EVENTS = ("BackInStock", "StockedOut")


def subscribe(subscribers: Subscribers[Any], settings: WaveSettings | None = None) -> None:
    """Register the waves on ``BackInStock`` and ``StockedOut``; the relay's unit of
    work must have a ``waves`` store (``WaveUnitOfWork``)."""
    chosen = settings or WaveSettings()

    def on_stock_change(message: OutboxMessage, uow: WaveUnitOfWork) -> None:
        sku = message.payload.get("sku")
        if isinstance(sku, str):
            advance(uow, sku, message.created_at, chosen)

    for event_type in EVENTS:
        subscribers.subscribe(event_type, on_stock_change)


def recheck(
    uow_factory: Callable[[], WaveUnitOfWork], now: datetime, settings: WaveSettings | None = None
) -> list[WaveOutcome]:
    """Advance every SKU with waiting subscribers at ``now`` and commit."""
    with uow_factory() as uow:
        outcomes = [advance(uow, sku, now, settings) for sku in uow.waves.skus_waiting()]
        uow.commit()
    return outcomes
