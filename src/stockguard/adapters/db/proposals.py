"""Replenishment proposals with their purchase lines and transfers (write side)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.domain import errors
from stockguard.domain import replenishment as r

ROW_BATCH = 5000
_LINE_FIELDS = (
    "line_no",
    "sku",
    "location",
    "supplier",
    "quantity",
    "unit_cost",
    "currency",
    "position",
    "protection_demand",
    "safety_stock",
    "reorder_point",
    "order_up_to",
    "need",
    "added_by_minimum",
    "added_by_pack",
    "lost_margin_avoided",
    "explanation",
    "purchase_order",
)
_TRANSFER_FIELDS = (
    "line_no",
    "sku",
    "source",
    "destination",
    "quantity",
    "transfer_cost",
    "purchase_cost_avoided",
)


class SqlProposalRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._seen: dict[int, r.ReplenishmentProposal] = {}
        self._loaded: set[int] = set()

    @property
    def seen(self) -> Sequence[r.ReplenishmentProposal]:
        return list(self._seen.values())

    def add(self, proposal: r.ReplenishmentProposal) -> int:
        table = t.table_of(t.ReplenishmentProposalRow)
        values = {**_header_values(proposal), "run_id": proposal.run_id, "version": 1}
        values["created_at"] = proposal.created_at
        proposal_id = int(
            self._session.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
        )
        proposal.id, proposal.version = proposal_id, 1
        self._insert(t.ProposalLineRow, proposal_id, [_line_values(x) for x in proposal.lines])
        transfers = [_transfer_values(x) for x in proposal.transfers]
        self._insert(t.TransferProposalRow, proposal_id, transfers)
        self._seen[proposal_id] = proposal
        return proposal_id

    def get(self, proposal_id: int) -> r.ReplenishmentProposal | None:
        if proposal_id in self._seen:
            return self._seen[proposal_id]
        table = t.table_of(t.ReplenishmentProposalRow)
        query = select(table).where(table.c.id == proposal_id).with_for_update()
        row = self._session.execute(query).first()
        if row is None:
            return None
        lines, transfers = t.table_of(t.ProposalLineRow), t.table_of(t.TransferProposalRow)
        line_rows = self._session.execute(
            select(lines).where(lines.c.proposal_id == proposal_id).order_by(lines.c.line_no)
        ).all()
        transfer_rows = self._session.execute(
            select(transfers)
            .where(transfers.c.proposal_id == proposal_id)
            .order_by(transfers.c.line_no)
        ).all()
        proposal = proposal_from_rows(row, line_rows, transfer_rows)
        self._seen[proposal_id] = proposal
        self._loaded.add(proposal_id)
        return proposal

    def flush(self) -> None:
        """Write the decision (status, note, lines' status and PO) of loaded proposals."""
        for proposal_id in sorted(self._loaded):
            self._write_decision(self._seen[proposal_id])

    def _write_decision(self, proposal: r.ReplenishmentProposal) -> None:
        table = t.table_of(t.ReplenishmentProposalRow)
        result = self._session.execute(
            update(table)
            .where(table.c.id == proposal.id, table.c.version == proposal.version)
            .values(**_header_values(proposal), version=proposal.version + 1)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise errors.ConcurrencyConflict(f"proposal {proposal.id}", "")
        proposal.version += 1
        lines, transfers = t.table_of(t.ProposalLineRow), t.table_of(t.TransferProposalRow)
        self._update_status(
            lines,
            proposal,
            [{"n": x.line_no, "s": x.status.value, "po": x.purchase_order} for x in proposal.lines],
            purchase_order=True,
        )
        self._update_status(
            transfers,
            proposal,
            [{"n": x.line_no, "s": x.status.value} for x in proposal.transfers],
        )

    def _update_status(
        self,
        table: Any,
        proposal: r.ReplenishmentProposal,
        rows: list[dict[str, Any]],
        *,
        purchase_order: bool = False,
    ) -> None:
        if not rows:
            return
        values: dict[str, Any] = {"status": bindparam("s")}
        if purchase_order:
            values["purchase_order"] = bindparam("po")
        statement = (
            update(table)
            .where(table.c.proposal_id == proposal.id, table.c.line_no == bindparam("n"))
            .values(**values)
        )
        self._session.connection().execute(statement, rows)

    def _insert(
        self, row_class: type[t.Base], proposal_id: int, rows: list[dict[str, Any]]
    ) -> None:
        table = t.table_of(row_class)
        for start in range(0, len(rows), ROW_BATCH):
            batch = [{**x, "proposal_id": proposal_id} for x in rows[start : start + ROW_BATCH]]
            self._session.execute(insert(table), batch)


def _header_values(proposal: r.ReplenishmentProposal) -> dict[str, Any]:
    return {
        "status": proposal.status.value,
        "currency": proposal.currency,
        "budget": proposal.budget,
        "parameters": dict(proposal.parameters),
        "decided_at": proposal.decided_at,
        "note": proposal.note,
    }


def _line_values(line: r.ProposalLine) -> dict[str, Any]:
    values = {name: getattr(line, name) for name in _LINE_FIELDS}
    values["explanation"] = dict(line.explanation)
    values["budget_status"] = line.budget_status.value
    values["status"] = line.status.value
    return values


def _transfer_values(transfer: r.TransferLine) -> dict[str, Any]:
    values = {name: getattr(transfer, name) for name in _TRANSFER_FIELDS}
    values["status"] = transfer.status.value
    return values


def proposal_from_rows(
    row: Row[Any], line_rows: Sequence[Row[Any]], transfer_rows: Sequence[Row[Any]]
) -> r.ReplenishmentProposal:
    lines = [
        r.ProposalLine(
            **{name: getattr(x, name) for name in _LINE_FIELDS},
            budget_status=r.BudgetStatus(x.budget_status),
            status=r.LineStatus(x.status),
        )
        for x in line_rows
    ]
    transfers = [
        r.TransferLine(
            **{name: getattr(x, name) for name in _TRANSFER_FIELDS},
            status=r.LineStatus(x.status),
        )
        for x in transfer_rows
    ]
    return r.ReplenishmentProposal(
        id=row.id,
        run_id=row.run_id,
        created_at=row.created_at,
        currency=row.currency,
        lines=lines,
        transfers=transfers,
        budget=row.budget,
        parameters=dict(row.parameters),
        status=r.ProposalStatus(row.status),
        decided_at=row.decided_at,
        note=row.note,
        version=row.version,
    )
