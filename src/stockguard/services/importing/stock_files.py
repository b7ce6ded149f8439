"""Stock-level (count) and movement files: both end up in the ledger."""

from __future__ import annotations

from stockguard.domain import errors, ledger
from stockguard.services.importing import checks
from stockguard.services.importing import columns as c
from stockguard.services.importing.csv_rows import Row
from stockguard.services.importing.formats import FileFormat, ImportJob
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork

ALREADY_IN_LEDGER = "already in the ledger (same idempotency key)"

LEVEL_COLUMNS = (
    c.Column("sku", c.text(64)),
    c.Column("location", c.text(32)),
    c.Column("on_hand", c.integer(0, "on-hand quantity")),
    c.optional("counted_at", c.timestamp),
)


def _check_references(job: ImportJob, uow: UnitOfWork) -> None:
    checks.references(job, uow, "sku", Entity.PRODUCT)
    checks.references(job, uow, "location", Entity.LOCATION)


def count_key(row: Row, file_sha256: str) -> str:
    """Idempotency key of a count: the same row of the same count never counts twice."""
    counted_at = row.values["counted_at"]
    when = counted_at.isoformat() if counted_at is not None else file_sha256
    return f"count:{row.values['sku']}:{row.values['location']}:{when}"


def _write_levels(job: ImportJob, uow: UnitOfWork) -> None:
    """Record one count movement per row, bringing on_hand to the counted figure."""
    recorded = 0
    reference = f"import {job.parsed.file}"[:120]
    for row in job.rows:
        key = count_key(row, job.parsed.sha256)
        if uow.ledger.find(key) is not None:
            job.skip(ALREADY_IN_LEDGER)
            continue
        level = uow.levels.get(row.values["sku"], row.values["location"])
        movement = ledger.StockMovement(
            sku=level.sku,
            location=level.location,
            kind=ledger.MovementKind.COUNT,
            quantity=row.values["on_hand"] - level.on_hand,
            occurred_at=row.values["counted_at"] or job.now,
            idempotency_key=key,
            reference=reference,
        )
        level.apply(movement)
        uow.ledger.append(movement)
        recorded += 1
    job.wrote("stock_movement", recorded)


STOCK_LEVELS = FileFormat(
    name="stock-levels",
    summary="On-hand stock counted per SKU and location (recorded as count movements).",
    columns=LEVEL_COLUMNS,
    unique=("sku", "location"),
    check=_check_references,
    write=_write_levels,
)

MOVEMENT_COLUMNS = (
    c.Column("sku", c.text(64)),
    c.Column("location", c.text(32)),
    c.Column("kind", c.choice(ledger.MovementKind)),
    c.Column("quantity", c.integer(what="quantity")),
    c.Column("occurred_at", c.timestamp),
    c.optional("reference", c.text(120)),
    c.Column("idempotency_key", c.text(200)),
)


def _check_movements(job: ImportJob, uow: UnitOfWork) -> None:
    """Signs follow the ledger's rules (sales negative, receipts positive, ...)."""
    for row in job.rows:
        if not row.has("kind", "quantity"):
            continue
        try:
            ledger.check_sign(row.values["kind"], row.values["quantity"])
        except errors.InvalidQuantity as error:
            reason = f"Wrong quantity for a {row.values['kind']}: {error.reason}."
            job.problem(row, "quantity", reason)
    _check_references(job, uow)


def movement_of(row: Row) -> ledger.StockMovement:
    """The ledger movement a checked movements row stands for."""
    return ledger.StockMovement(
        sku=row.values["sku"],
        location=row.values["location"],
        kind=row.values["kind"],
        quantity=row.values["quantity"],
        occurred_at=row.values["occurred_at"],
        idempotency_key=row.values["idempotency_key"],
        reference=row.values["reference"],
    )


def _write_movements(job: ImportJob, uow: UnitOfWork) -> None:
    recorded = uow.bulk.record_movements([movement_of(row) for row in job.rows])
    job.wrote("stock_movement", recorded)
    job.skip(ALREADY_IN_LEDGER, len(job.rows) - recorded)


MOVEMENTS = FileFormat(
    name="movements",
    summary="Stock movements (sales, receipts, returns, adjustments, transfers, counts).",
    columns=MOVEMENT_COLUMNS,
    unique=("idempotency_key",),
    check=_check_movements,
    write=_write_movements,
)
