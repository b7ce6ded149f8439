"""One SKU x location's stock-out risk: its stored basis, its stock and its figures.

The basis (demand, lead time, next receipt, reorder point, price) comes from a refresh;
the pmfs of the supplier's delay and of the lead time (``[[days, mass], ...]``, at most
8 points) carry the horizon's distribution (None: read from the stored mean and variance);
the stock and the figures change with every movement. Units: demand in units/day
(variance units^2/day), times in days (variances days^2), money in ``currency``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from stockguard.domain import events

STATE_RANK = {"ok": 0, "watch": 1, "at_risk": 2, "out_of_stock": 3}
"""Risk states from the best to the worst (``planning.risk.figures.STATES``)."""


@dataclass(slots=True)
class StockRisk:
    """A ``stock_risk`` row; ``events`` holds what changed, for the outbox."""

    sku: str
    location: str
    on_hand: int
    available: int
    position: int
    reorder_point: int
    demand_mean: float
    demand_var: float
    lead_time_mean: float
    lead_time_var: float
    next_receipt_on: date | None
    receipt_delay_mean: float
    receipt_delay_var: float
    unit_price: Decimal
    currency: str
    days_of_cover: float | None
    projected_stockout: date | None
    probability: float
    expected_lost_units: float
    expected_lost_revenue: Decimal
    state: str
    basis_run_id: int | None
    updated_at: datetime
    receipt_delay_pmf: list[list[float]] | None = None
    lead_time_pmf: list[list[float]] | None = None
    events: list[events.Event] = field(default_factory=list, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.sku, self.location)


def change_events(
    previous_state: str, previous_position: int, after: StockRisk
) -> list[events.Event]:
    """Events of a row's change from (``previous_state``, ``previous_position``) to ``after``.

    ``StockoutRiskRaised`` when the state got worse (``STATE_RANK``), ``RiskCleared`` when
    it got better, and ``ReorderPointCrossed`` when the position fell from above a
    positive reorder point to it or below (a zero reorder point means none was set).
    """
    found: list[events.Event] = []
    rank, previous = STATE_RANK[after.state], STATE_RANK[previous_state]
    if rank > previous:
        found.append(
            events.StockoutRiskRaised(
                sku=after.sku,
                location=after.location,
                state=after.state,
                previous_state=previous_state,
                probability=after.probability,
                projected_stockout=(
                    after.projected_stockout.isoformat() if after.projected_stockout else None
                ),
                expected_lost_revenue=str(after.expected_lost_revenue),
            )
        )
    elif rank < previous:
        found.append(events.RiskCleared(after.sku, after.location, after.state, previous_state))
    crossed = previous_position > after.reorder_point >= after.position
    if after.reorder_point > 0 and crossed:
        found.append(
            events.ReorderPointCrossed(
                after.sku, after.location, after.position, after.reorder_point
            )
        )
    return found
