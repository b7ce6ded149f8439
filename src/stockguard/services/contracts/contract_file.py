"""Contract files (``stockguard import contracts``): one clause per row, all or nothing.

Columns: ``supplier``, ``valid_from`` (YYYY-MM-DD) and optionally ``valid_to``,
``guaranteed_fill_rate`` (share, 0.95), ``max_lead_time_days``, ``late_penalty_percent``
(percent of the delivered value per day late), ``late_cap_percent``, ``quality_threshold``
(maximum rejected share, 0.02), ``quality_penalty_percent``, ``short_fill_penalty_percent``.
Each row is checked as a clause (the domain's own validation) and must name a known
supplier; a row replaces the supplier's clause starting on the same day.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stockguard.domain import contracts as c
from stockguard.services.importing import checks
from stockguard.services.importing import columns as col
from stockguard.services.importing.formats import FileFormat, ImportJob
from stockguard.services.ports import Entity
from stockguard.services.unit_of_work import UnitOfWork

SHARE = col.amount("share", maximum=Decimal(1))
PERCENT = col.amount("percentage", maximum=Decimal(100))

CONTRACT_COLUMNS = (
    col.Column("supplier", col.text(64)),
    col.Column("valid_from", col.calendar_date),
    col.optional("valid_to", col.calendar_date),
    col.optional("guaranteed_fill_rate", SHARE),
    col.optional("max_lead_time_days", col.integer(0, "lead time")),
    col.optional("late_penalty_percent", PERCENT),
    col.optional("late_cap_percent", PERCENT),
    col.optional("quality_threshold", SHARE),
    col.optional("quality_penalty_percent", PERCENT),
    col.optional("short_fill_penalty_percent", PERCENT),
)


def _check(job: ImportJob, uow: UnitOfWork) -> None:
    """Each row a valid clause naming a known supplier."""
    for row in job.rows:
        if not (row.has("supplier") and row.has("valid_from")):
            continue
        values: dict[str, Any] = {
            column.name: row.values.get(column.name) for column in CONTRACT_COLUMNS
        }
        try:
            job.staged.append(c.ContractClause(**values))
        except c.InvalidContract as error:
            column = error.field if error.field in values else None
            job.problem(row, column, str(error))
    checks.references(job, uow, "supplier", Entity.SUPPLIER)


def _write(job: ImportJob, uow: UnitOfWork) -> None:
    for clause in job.staged:
        uow.contracts.put(clause)
    job.wrote("contract_clause", len(job.staged))


CONTRACTS = FileFormat(
    name="contracts",
    summary="Supplier contract clauses: fill rate, lead time, late and quality penalties.",
    columns=CONTRACT_COLUMNS,
    unique=("supplier", "valid_from"),
    check=_check,
    write=_write,
)
