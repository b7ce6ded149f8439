"""Checks across rows: duplicate keys, references to other records, repeated header fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stockguard.services.importing.csv_rows import ParsedFile, Row
from stockguard.services.importing.formats import ImportJob
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork

_REFERENCES: dict[Entity, str] = {
    Entity.PRODUCT: "There is no product with this SKU; import it first "
    "(stockguard import products).",
    Entity.LOCATION: "There is no location with this code; import it first "
    "(stockguard import locations).",
    Entity.SUPPLIER: "There is no supplier with this code; import it first "
    "(stockguard import suppliers).",
    Entity.CUSTOMER: "There is no customer with this identifier; import it first "
    "(stockguard import customers).",
    Entity.CARRIER: "There is no carrier with this code; import it first "
    "(stockguard import carriers).",
    Entity.PURCHASE_ORDER: "There is no purchase order with this number; import it first "
    "(stockguard import purchase-orders).",
}


def duplicates(parsed: ParsedFile, key: Sequence[str]) -> None:
    """One problem per row whose ``key`` columns repeat an earlier row's."""
    if not key:
        return
    first_line: dict[tuple[Any, ...], int] = {}
    for row in parsed.rows:
        if not row.has(*key):
            continue
        values = tuple(row.values[name] for name in key)
        if values in first_line:
            names = " and ".join(key)
            parsed.problem(
                row,
                key[-1],
                f"Line {first_line[values]} already has the same {names}; "
                "each may appear only once in a file.",
            )
        else:
            first_line[values] = row.line


def references(job: ImportJob, uow: UnitOfWork, column: str, entity: Entity) -> None:
    """One problem per row whose ``column`` names a record stockguard does not have."""
    rows = [row for row in job.rows if row.has(column)]
    known = uow.bulk.existing_keys(entity, {row.values[column] for row in rows})
    for row in rows:
        if row.values[column] not in known:
            job.problem(row, column, _REFERENCES[entity])


def same_header(job: ImportJob, group: str, columns: Sequence[str], what: str) -> dict[Any, Row]:
    """Check that rows of one document (same ``group`` value) repeat the same ``columns``.

    Returns the first row of each document, in file order.
    """
    first = first_of_each(job.rows, group)
    for row in job.rows:
        if not row.has(group):
            continue
        head = first[row.values[group]]
        for column in columns:
            if _disagree(row, head, column):
                job.problem(
                    row,
                    column,
                    f"Line {head.line} of the same {what} says "
                    f"{head.cells.get(column) or '(empty)'}; all lines of "
                    f"one {what} must repeat the same {column}.",
                )
    return first


def _disagree(row: Row, head: Row, column: str) -> bool:
    """True when both rows read ``column`` and the values differ."""
    if column not in row.values or column not in head.values:
        return False
    return bool(row.values[column] != head.values[column])


def first_of_each(rows: Sequence[Row], group: str) -> dict[Any, Row]:
    """The first row of each distinct ``group`` value, in file order."""
    first: dict[Any, Row] = {}
    for row in rows:
        if row.has(group):
            first.setdefault(row.values[group], row)
    return first
