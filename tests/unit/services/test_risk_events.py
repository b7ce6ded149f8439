"""Risk state changes become events; a movement updates its row from the stored basis."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from stockguard.domain import events, stock
from stockguard.services.risk import incremental
from stockguard.services.risk.model import StockRisk, change_events
from stockguard.services.risk.ports import NoStockRisk

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def a_risk(**overrides: object) -> StockRisk:
    values: dict[str, object] = {
        "sku": "MUG", "location": "PAR", "on_hand": 100, "available": 100, "position": 100,
        "reorder_point": 40, "demand_mean": 3.0, "demand_var": 6.0, "lead_time_mean": 10.0,
        "lead_time_var": 4.0, "next_receipt_on": None, "receipt_delay_mean": 0.0,
        "receipt_delay_var": 0.0, "unit_price": Decimal("12"), "currency": "EUR",
        "days_of_cover": None, "projected_stockout": None, "probability": 0.0,
        "expected_lost_units": 0.0, "expected_lost_revenue": Decimal(0), "state": "ok",
        "basis_run_id": 1, "updated_at": NOW,
    }  # fmt: skip
    values.update(overrides)
    return StockRisk(**values)  # type: ignore[arg-type]


class DictRisks(NoStockRisk):
    """An in-memory ``StockRiskRepository`` for one test (no snapshots, identity map)."""

    def __init__(self, *rows: StockRisk) -> None:
        self.rows = {row.key: row for row in rows}
        self.saved: list[StockRisk] = []
        self.reads = 0

    @property
    def seen(self) -> list[StockRisk]:  # type: ignore[override]
        return self.saved

    def get(self, sku: str, location: str) -> StockRisk | None:
        self.reads += 1
        return self.rows.get((sku, location))

    def save(self, risk: StockRisk) -> None:
        self.saved.append(risk)
        self.rows[risk.key] = risk

    def states(self) -> dict[tuple[str, str], tuple[str, int]]:
        return {key: (row.state, row.position) for key, row in self.rows.items()}

    def replace(self, rows: Sequence[StockRisk]) -> int:
        raise NotImplementedError


def test_a_worse_state_raises_the_risk_with_its_figures() -> None:
    after = a_risk(
        state="at_risk",
        probability=0.7,
        projected_stockout=date(2026, 11, 28),
        expected_lost_revenue=Decimal("36.5000"),
    )

    found = change_events("watch", 100, after)

    assert found == [
        events.StockoutRiskRaised("MUG", "PAR", "at_risk", "watch", 0.7, "2026-11-28", "36.5000")
    ]


def test_a_better_state_clears_the_risk() -> None:
    assert change_events("out_of_stock", 0, a_risk(state="watch")) == [
        events.RiskCleared("MUG", "PAR", "watch", "out_of_stock")
    ]


def test_the_reorder_point_is_crossed_downwards_only_and_only_when_one_is_set() -> None:
    assert change_events("ok", 41, a_risk(position=40)) == [
        events.ReorderPointCrossed("MUG", "PAR", 40, 40)
    ]
    assert change_events("ok", 40, a_risk(position=39)) == []  # was already at it
    assert change_events("ok", 30, a_risk(position=45)) == []  # upwards
    assert change_events("ok", 5, a_risk(position=0, reorder_point=0)) == []  # none set


def test_a_movement_updates_its_row_from_the_stored_basis_and_records_the_change() -> None:
    risks = DictRisks(a_risk())
    level = stock.StockLevel("MUG", "PAR", on_hand=4)

    updated = incremental.follow_levels([level], risks, now=NOW)

    (row,) = risks.saved
    assert updated == 1
    assert risks.reads == 1
    assert (row.on_hand, row.available, row.position) == (4, 4, 4)
    assert row.state == "at_risk"
    assert row.days_of_cover == 4 / 3
    assert row.projected_stockout == date(2026, 11, 26)
    assert float(row.expected_lost_revenue) == pytest.approx(row.expected_lost_units * 12, abs=1e-4)
    assert row.updated_at == NOW
    assert [type(e).__name__ for e in row.events] == ["StockoutRiskRaised", "ReorderPointCrossed"]
    assert dataclasses.replace(row, events=[]).demand_mean == 3.0  # the basis is kept


def test_levels_without_a_row_or_without_a_change_are_left_alone() -> None:
    risks = DictRisks(a_risk())
    unchanged = stock.StockLevel("MUG", "PAR", on_hand=100)
    unknown = stock.StockLevel("CUP", "PAR", on_hand=3)

    assert incremental.follow_levels([unchanged, unknown], risks, now=NOW) == 0
    assert risks.saved == []
