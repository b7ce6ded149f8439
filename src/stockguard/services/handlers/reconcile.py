"""Reconciliation: recompute stock levels from the ledger and report drift."""

from __future__ import annotations

from dataclasses import dataclass

from stockguard.domain import commands
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Drift:
    """A level whose recorded figures differ from what the ledger says."""

    sku: str
    location: str
    field: str
    recorded: int
    expected: int


@dataclass(frozen=True, slots=True)
class ReconciliationReport:
    levels_checked: int
    drifts: tuple[Drift, ...]
    repaired: bool


def reconcile_stock_levels(
    cmd: commands.ReconcileStockLevels, uow: UnitOfWork
) -> ReconciliationReport:
    """Compare each level's ``on_hand`` to its ledger sum and ``on_order`` to open PO lines.

    With ``repair`` the recorded figures are set to the expected ones in the same
    transaction; without it nothing is written.
    """
    with uow:
        expected = {(t.sku, t.location): t for t in uow.reconciliation.ledger_totals(cmd.skus)}
        recorded = {(r.sku, r.location): r for r in uow.reconciliation.recorded_levels(cmd.skus)}
        drifts: list[Drift] = []
        for key in sorted(expected.keys() | recorded.keys()):
            want = expected.get(key)
            have = recorded.get(key)
            for name in ("on_hand", "on_order"):
                w = getattr(want, name) if want else 0
                h = getattr(have, name) if have else 0
                if w != h:
                    drifts.append(Drift(key[0], key[1], name, h, w))
        if cmd.repair and drifts:
            for drift in drifts:
                level = uow.levels.get(drift.sku, drift.location)
                setattr(level, drift.field, drift.expected)
            uow.commit()
        return ReconciliationReport(
            len(expected.keys() | recorded.keys()), tuple(drifts), cmd.repair
        )
