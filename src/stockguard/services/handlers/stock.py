"""Handlers that record stock movements in the ledger and keep levels in step."""

from __future__ import annotations

from dataclasses import dataclass

from stockguard.domain import commands, errors, ledger
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class MovementResult:
    """What a movement command did. ``recorded`` is False for a replayed idempotency key."""

    movements: tuple[ledger.StockMovement, ...]
    recorded: bool
    on_hand: dict[str, int]
    """Units on hand after the command, per location."""


def record_sale(cmd: commands.RecordSale, uow: UnitOfWork) -> MovementResult:
    _require_positive(cmd.quantity, "a sale must sell at least one unit")
    return _record_single(uow, cmd, ledger.MovementKind.SALE, -cmd.quantity)


def record_return(cmd: commands.RecordReturn, uow: UnitOfWork) -> MovementResult:
    _require_positive(cmd.quantity, "a return must bring back at least one unit")
    return _record_single(uow, cmd, ledger.MovementKind.RETURN, cmd.quantity)


def record_adjustment(cmd: commands.RecordAdjustment, uow: UnitOfWork) -> MovementResult:
    return _record_single(uow, cmd, ledger.MovementKind.ADJUSTMENT, cmd.quantity)


def record_stock_count(cmd: commands.RecordStockCount, uow: UnitOfWork) -> MovementResult:
    if cmd.counted < 0:
        raise errors.InvalidQuantity(cmd.counted, "a count cannot find fewer than zero units")
    with uow:
        replay = _replayed(
            uow, cmd.idempotency_key, cmd.sku, cmd.location, ledger.MovementKind.COUNT
        )
        if replay is not None:
            return replay
        _require_known(uow, cmd.sku, cmd.location)
        level = uow.levels.get(cmd.sku, cmd.location)
        movement = ledger.StockMovement(
            sku=cmd.sku,
            location=cmd.location,
            kind=ledger.MovementKind.COUNT,
            quantity=cmd.counted - level.on_hand,
            occurred_at=cmd.occurred_at,
            idempotency_key=cmd.idempotency_key,
            reference=cmd.reference,
        )
        level.apply(movement)
        uow.ledger.append(movement)
        uow.commit()
        return MovementResult((movement,), True, {cmd.location: level.on_hand})


def transfer_stock(cmd: commands.TransferStock, uow: UnitOfWork) -> MovementResult:
    """Move units between two locations as two ledger legs with keys ``<key>:out``/``:in``."""
    _require_positive(cmd.quantity, "a transfer must move at least one unit")
    if cmd.source == cmd.destination:
        raise errors.InvalidQuantity(cmd.quantity, "source and destination are the same location")
    legs = (
        (cmd.source, -cmd.quantity, f"{cmd.idempotency_key}:out"),
        (cmd.destination, cmd.quantity, f"{cmd.idempotency_key}:in"),
    )
    movements = tuple(
        ledger.StockMovement(
            sku=cmd.sku,
            location=location,
            kind=ledger.MovementKind.TRANSFER,
            quantity=quantity,
            occurred_at=cmd.occurred_at,
            idempotency_key=key,
            reference=cmd.reference or cmd.idempotency_key,
        )
        for location, quantity, key in legs
    )
    with uow:
        first_leg = uow.ledger.find(movements[0].idempotency_key)
        if first_leg is not None:
            if not first_leg.same_movement_as(movements[0]):
                raise errors.IdempotencyKeyReused(cmd.idempotency_key)
            return _replay_result(uow, movements)
        for location in sorted((cmd.source, cmd.destination)):  # one lock order: no deadlock
            _require_known(uow, cmd.sku, location)
            uow.levels.get(cmd.sku, location)
        on_hand = {}
        for movement in movements:
            level = uow.levels.get(movement.sku, movement.location)
            level.apply(movement)
            uow.ledger.append(movement)
            on_hand[movement.location] = level.on_hand
        uow.commit()
        return MovementResult(movements, True, on_hand)


_MovementCommand = commands.RecordSale | commands.RecordReturn | commands.RecordAdjustment


def _record_single(
    uow: UnitOfWork, cmd: _MovementCommand, kind: ledger.MovementKind, quantity: int
) -> MovementResult:
    movement = ledger.StockMovement(
        sku=cmd.sku,
        location=cmd.location,
        kind=kind,
        quantity=quantity,
        occurred_at=cmd.occurred_at,
        idempotency_key=cmd.idempotency_key,
        reference=cmd.reference,
    )
    with uow:
        return record_movement(uow, movement)


def record_movement(uow: UnitOfWork, movement: ledger.StockMovement) -> MovementResult:
    """Append ``movement`` and update its level inside the open ``uow``; then commit.

    A movement whose idempotency key is already in the ledger is not recorded again:
    the result says so. The same key with different facts is an error.
    """
    existing = uow.ledger.find(movement.idempotency_key)
    if existing is not None:
        if not existing.same_movement_as(movement):
            raise errors.IdempotencyKeyReused(movement.idempotency_key)
        return _replay_result(uow, (existing,))
    _require_known(uow, movement.sku, movement.location)
    level = uow.levels.get(movement.sku, movement.location)
    level.apply(movement)
    uow.ledger.append(movement)
    uow.commit()
    return MovementResult((movement,), True, {movement.location: level.on_hand})


def _replayed(
    uow: UnitOfWork, key: str, sku: str, location: str, kind: ledger.MovementKind
) -> MovementResult | None:
    existing = uow.ledger.find(key)
    if existing is None:
        return None
    if (existing.sku, existing.location, existing.kind) != (sku, location, kind):
        raise errors.IdempotencyKeyReused(key)
    return _replay_result(uow, (existing,))


def _replay_result(uow: UnitOfWork, movements: tuple[ledger.StockMovement, ...]) -> MovementResult:
    on_hand = {m.location: uow.levels.get(m.sku, m.location).on_hand for m in movements}
    return MovementResult(movements, False, on_hand)


def _require_known(uow: UnitOfWork, sku: str, location: str) -> None:
    if uow.products.get(sku) is None:
        raise errors.UnknownSku(sku)
    if uow.locations.get(location) is None:
        raise errors.UnknownLocation(location)


def _require_positive(quantity: int, reason: str) -> None:
    if quantity <= 0:
        raise errors.InvalidQuantity(quantity, reason)
