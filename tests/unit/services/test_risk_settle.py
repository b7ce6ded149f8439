"""Settling risk snapshots from ledger steps: the first receipt after the snapshot's day
ends the horizon; only the days before the receipt's day count."""

from __future__ import annotations

from datetime import date

from stockguard.services.risk.calibrate import settle
from stockguard.services.risk.ports import LedgerStep, OpenSnapshot

D1, D2, D3, D4 = (date(2026, 11, day) for day in (1, 2, 3, 4))


def _step(day: date, quantity: int, receipt: bool = False, sku: str = "MUG") -> LedgerStep:
    return LedgerStep(sku, "PAR", day, quantity, receipt)


def test_the_docstring_example_stocks_out_before_the_receipt() -> None:
    snapshot = OpenSnapshot(1, "MUG", "PAR", D1, 3)
    steps = [_step(D2, -2), _step(D3, -1), _step(D4, 10, receipt=True)]

    assert settle([snapshot], steps) == {1: (D4, True)}


def test_sales_of_the_receipt_day_and_of_the_snapshot_day_do_not_count() -> None:
    snapshot = OpenSnapshot(1, "MUG", "PAR", D1, 3)
    steps = [_step(D1, -5), _step(D2, -2), _step(D3, -9), _step(D3, 10, receipt=True)]

    assert settle([snapshot], steps) == {1: (D3, False)}


def test_without_a_later_receipt_the_snapshot_stays_open() -> None:
    snapshots = [OpenSnapshot(1, "MUG", "PAR", D1, 3), OpenSnapshot(2, "CUP", "PAR", D1, 1)]
    steps = [_step(D1, 4, receipt=True), _step(D2, -3), _step(D3, 1, receipt=True, sku="CUP")]

    assert settle(snapshots, steps) == {2: (D3, False)}
