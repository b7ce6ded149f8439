"""Import one CSV file: read it, check every row, then write it all in one transaction.

Nothing is written unless the whole file is valid; a rejected file raises
``ImportRejected`` listing every problem with its line, column and value. Writes are
upserts by natural key and ledger appends by idempotency key, so importing the same
file twice changes nothing the second time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TextIO

from stockguard.services.contracts import contract_file
from stockguard.services.importing import (
    catalog_files,
    checks,
    csv_rows,
    marketing_files,
    order_files,
    party_files,
    purchasing_files,
    replenishment_files,
    stock_files,
)
from stockguard.services.importing.formats import FileFormat, ImportJob
from stockguard.services.importing.problems import (
    ImportProblem,
    ImportRejected,
    ImportReport,
    ProgressCallback,
)
from stockguard.services.unit_of_work import UnitOfWork

FORMATS: dict[str, FileFormat] = {
    file_format.name: file_format
    for file_format in (
        catalog_files.PRODUCTS,
        catalog_files.LOCATIONS,
        stock_files.STOCK_LEVELS,
        stock_files.MOVEMENTS,
        order_files.ORDERS,
        party_files.CUSTOMERS,
        party_files.SUPPLIERS,
        party_files.SUPPLIER_OFFERS,
        purchasing_files.PURCHASE_ORDERS,
        purchasing_files.RECEIPTS,
        marketing_files.PROMOTIONS,
        party_files.CARRIERS,
        replenishment_files.RULES,
        contract_file.CONTRACTS,
    )
}
"""Every importable file kind by its command name, in a workable import order."""


def import_file(
    entity: str,
    stream: TextIO,
    file_name: str,
    uow: UnitOfWork,
    progress: ProgressCallback | None = None,
    *,
    now: datetime | None = None,
) -> ImportReport:
    """Import ``stream`` as a file of ``entity`` (a key of FORMATS); all or nothing.

    ``progress`` is told how many rows were read as reading goes on. ``now`` stamps
    counts that carry no ``counted_at`` (default: the current time, UTC).
    """
    file_format = _format(entity, file_name)
    parsed = csv_rows.read_file(stream, file_name, file_format.columns, progress)
    checks.duplicates(parsed, file_format.unique)
    report = ImportReport(file_name, entity, rows_read=len(parsed.rows))
    job = ImportJob(parsed, report, now or datetime.now(UTC))
    with uow:
        file_format.check(job, uow)
        if parsed.problems:
            ordered = sorted(parsed.problems, key=lambda problem: problem.line or 0)
            raise ImportRejected(file_name, ordered)
        file_format.write(job, uow)
        uow.commit()
    return report


def _format(entity: str, file_name: str) -> FileFormat:
    if entity not in FORMATS:
        reason = f"stockguard cannot import {entity!r}; choose one of {', '.join(FORMATS)}."
        raise ImportRejected(file_name, [ImportProblem(file_name, None, None, None, reason)])
    return FORMATS[entity]
