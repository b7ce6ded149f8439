"""Supplier KPIs and scorecards count open order lines as a planning run does: lead times
right-censored at their age (Kaplan-Meier), lines past their promised day late."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from stockguard.domain import errors
from stockguard.planning.inventory import censored
from stockguard.services.suppliers import reports, scorecard
from stockguard.services.suppliers.model import (
    OfferFacts,
    OrderLineFacts,
    SupplierFacts,
    SupplierRating,
)

TODAY = date(2026, 6, 30)
PROMISED = 14


def _line(ordered_days_ago: int, lead: int | None, *, status: str = "received") -> OrderLineFacts:
    """An ACME line for S1 ordered ``ordered_days_ago`` before TODAY, promised in 14 days,
    received ``lead`` days after ordering (None: nothing received yet)."""
    ordered = TODAY - timedelta(days=ordered_days_ago)
    received = ordered + timedelta(days=lead) if lead is not None else None
    return OrderLineFacts(
        supplier="ACME", sku="S1", order_number=f"PO-{ordered_days_ago}-{lead}",
        status=status if lead is not None else "shipped", ordered_on=ordered,
        expected_on=ordered + timedelta(days=PROMISED), first_received_on=received,
        quantity=10, received=10 if lead is not None else 0, rejected=0,
        unit_cost=Decimal("5"), currency="EUR",
    )  # fmt: skip


@dataclass
class History:
    lines: list[OrderLineFacts] = field(default_factory=list)

    def order_lines(
        self, *, supplier: str | None = None, sku: str | None = None, since: date | None = None
    ) -> list[OrderLineFacts]:
        return [x for x in self.lines if supplier is None or x.supplier == supplier]

    def suppliers(self) -> list[SupplierFacts]:
        return [SupplierFacts("ACME", "Acme Ltd", "IN"), SupplierFacts("BOLT", "Bolt SA", "FR")]

    def offers(self) -> list[OfferFacts]:
        return []

    def ratings(self) -> list[SupplierRating]:
        return []

    def country_scores(self) -> dict[str, float]:
        return {}

    def product_categories(self) -> dict[str, str | None]:
        return {}

    def revenue_by_sku(self, *, since: datetime) -> dict[str, Decimal]:
        return {}


def _receipts() -> list[OrderLineFacts]:
    """Eight lines received in 12 days (on time), ordered 120..190 days ago (all due in 2026-Q1)."""
    return [_line(120 + 10 * k, 12) for k in range(8)]


def test_overdue_open_lines_lengthen_the_lead_time_and_count_late() -> None:
    """Two open lines 60 and 40 days old (promised 14 days after ordering, so overdue):
    the KPIs' lead-time mean and std are the Kaplan-Meier ones, the on-time rate 8 / 10."""
    history = History([*_receipts(), _line(60, None), _line(40, None)])
    (row,) = reports.supplier_kpis(history, today=TODAY)
    expected = censored.kaplan_meier_lead_times(
        days=[12] * 8 + [60, 40], received=[True] * 8 + [False] * 2, group=[0] * 10, n_groups=1
    )
    # at 12: 10 at risk, 8 received, S = 0.2, kept at the oldest open line's age, 60
    assert row.lead_time.mean == pytest.approx(0.8 * 12 + 0.2 * 60)
    assert row.lead_time.mean == pytest.approx(float(expected.mean[0]))
    assert row.lead_time.std == pytest.approx(float(expected.std[0]))
    assert (row.lead_time.open_orders, row.lead_time.oldest_open_days) == (2, 60)
    assert row.lead_time.observations == 8  # the receipts the quantiles come from
    assert row.lead_time.p90 == 12.0
    assert row.overdue_open == 2
    assert row.on_time_rate == pytest.approx(8 / 10)
    plain = reports.supplier_kpis(History(_receipts()), today=TODAY)[0]
    assert (plain.lead_time.mean, plain.lead_time.std, plain.on_time_rate) == (12.0, 0.0, 1.0)


def test_open_lines_not_yet_due_leave_the_on_time_rate_and_barely_move_the_lead_time() -> None:
    """An open line 5 days old (due in 9 days) is younger than every receipt: the lead
    time stays the receipts' and the on-time rate ignores it (outcome unknown)."""
    (row,) = reports.supplier_kpis(History([*_receipts(), _line(5, None)]), today=TODAY)
    assert (row.lead_time.mean, row.on_time_rate, row.overdue_open) == (12.0, 1.0, 0)
    assert row.lead_time.open_orders == 1


def test_the_scorecard_censors_open_lines_and_says_how_many() -> None:
    """Per quarter: the open lines' quarter (their promised day) gets the censored mean
    and counts them late; the receipts' quarter is unchanged."""
    history = History([*_receipts(), _line(60, None), _line(40, None)])
    rows = reports.supplier_scorecard(
        history, supplier="ACME", period=scorecard.Period.QUARTER, today=TODAY
    )
    by_period = {r.period: r for r in rows}
    assert set(by_period) == {"2026-Q1", "2026-Q2"}
    open_quarter = by_period["2026-Q2"]  # promised 2026-05-15 and 2026-06-04
    assert (open_quarter.open_lines, open_quarter.overdue_lines) == (2, 2)
    assert open_quarter.on_time_rate == 0.0
    assert open_quarter.lead_time_mean == 60.0  # all censored: a lower bound, the oldest
    receipts_quarter = by_period["2026-Q1"]
    assert receipts_quarter.open_lines == 0
    assert receipts_quarter.lead_time_mean == 12.0
    assert receipts_quarter.on_time_rate == 1.0


def test_the_scorecard_of_an_unknown_supplier_is_refused() -> None:
    with pytest.raises(errors.UnknownSupplier, match="NOPE"):
        reports.supplier_scorecard(History(_receipts()), supplier="NOPE", today=TODAY)
    assert reports.supplier_scorecard(History(_receipts()), supplier="BOLT", today=TODAY) == []
