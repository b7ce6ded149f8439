"""One SKU's policy (``sku_policy.policies_of_sku``, what ``GET /policies/{sku}`` and the
SKU page show) against the replenishment run's lines, through the service layer on the
in-memory unit of work.

The shop is ``test_replenishment_pooled_rates``'s 30 fasteners at PAR (10 launched, 20
never sold: one category with 30 slow SKUs, so the run pools them, ADR 0018), every unit
promised so each needs a line, plus MUG, a smooth seller of 2 a day in another category.
The one-SKU computation reads the group figures the run stored with its proposal
(``run_priors``) and must show the reorder point and order-up-to of the run's line.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from stockguard.domain import commands, ledger, parties, stock
from stockguard.services import ports
from stockguard.services.replenishment import compute, propose, run_priors
from stockguard.services.replenishment.sku_policy import SkuPolicies, policies_of_sku
from unit.services.fakes import FakeUnitOfWork
from unit.services.replenishment_shop import NOW, TODAY, a_shop
from unit.services.test_replenishment_pooled_rates import LAUNCHED, NEVER, WINDOW, a_fastener_shop

from builders import a_product


class OneSkuSource:
    """The fake run's source narrowed to one SKU, as ``views.policies`` narrows the DB's."""

    def __init__(self, source: Any, sku: str) -> None:
        self._source, self.sku = source, sku

    def forecast(self, run_id: int) -> ports.StoredForecast | None:
        found = self._source.forecast(run_id)
        if found is None:
            return None
        keep = [i for i, sku in enumerate(found.skus) if sku == self.sku]
        return ports.StoredForecast(
            run_id=found.run_id,
            first_day=found.first_day,
            skus=tuple(found.skus[i] for i in keep),
            locations=tuple(found.locations[i] for i in keep),
            mean=found.mean[keep],
            p10=found.p10[keep],
            p90=found.p90[keep],
        )

    def positions(self) -> list[ports.PositionFacts]:
        return [x for x in self._source.positions() if x.sku == self.sku]

    def products(self) -> list[ports.ProductFacts]:
        return [x for x in self._source.products() if x.sku == self.sku]

    def offers(self) -> list[parties.SupplierOffer]:
        return [x for x in self._source.offers() if x.sku == self.sku]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._source, name)


def a_shop_with_a_smooth_mug() -> FakeUnitOfWork:
    """The module docstring's shop."""
    uow = a_fastener_shop(allocated=50)
    store = uow.store
    store.products["MUG"] = a_product(
        "MUG", price=Decimal("10"), unit_cost=Decimal("4"), category="Mugs"
    )
    store.offers.append(parties.SupplierOffer("ACME", "MUG", Decimal("4.00"), lead_time_days=7))
    start = TODAY - timedelta(days=WINDOW)
    receipt = ledger.MovementKind.RECEIPT
    received = datetime.combine(start - timedelta(days=30), time(9), tzinfo=UTC)
    store.movements.append(ledger.StockMovement("MUG", "PAR", receipt, 200, received, "r-MUG"))
    for day in range(WINDOW):
        sold = datetime.combine(start + timedelta(days=day), time(12), tzinfo=UTC)
        kind = ledger.MovementKind.SALE
        store.movements.append(ledger.StockMovement("MUG", "PAR", kind, -2, sold, f"s-MUG-{day}"))
    store.levels[("MUG", "PAR")] = stock.StockLevel("MUG", "PAR", on_hand=2)
    _, rows = store.planning_runs[-1]
    for step in range(28):
        forecast_day = TODAY + timedelta(days=step)
        rows.append(
            {"sku": "MUG", "location": "PAR", "day": forecast_day, "mean": 2.0}
            | {"lower_80": 2.0 - 1.2816, "p90": 2.0 + 1.2816, "model": "test"}
        )
    return uow


def _run(uow: FakeUnitOfWork) -> tuple[dict[str, Any], run_priors.RunPriors]:
    """Propose; the lines by SKU and the figures the proposal stored."""
    summary = propose.propose_replenishment(commands.ProposeReplenishment(created_at=NOW), uow)
    proposal = uow.proposals.get(summary.proposal_id)
    assert proposal is not None
    stored = proposal.parameters[run_priors.PARAMETER_KEY]
    assert isinstance(stored, dict)
    priors = run_priors.from_json(stored, proposal_id=proposal.id, run_id=proposal.run_id)
    assert priors is not None
    return {line.sku: line for line in proposal.lines}, priors


def _policy(uow: FakeUnitOfWork, sku: str, priors: run_priors.RunPriors | None) -> SkuPolicies:
    return policies_of_sku(OneSkuSource(uow.replenishment, sku), sku=sku, revenue={}, priors=priors)


@pytest.mark.parametrize("sku", [LAUNCHED[0], NEVER[0]])
def test_a_slow_sku_s_policy_shows_the_levels_of_the_run_s_line(sku: str) -> None:
    uow = a_shop_with_a_smooth_mug()
    lines, priors = _run(uow)
    found = _policy(uow, sku, priors)
    (paris,) = found.locations
    line = lines[sku]
    assert paris.reorder_point == pytest.approx(line.reorder_point, abs=1e-4)
    assert paris.order_up_to == pytest.approx(line.order_up_to, abs=1e-4)
    assert paris.safety_stock == pytest.approx(line.safety_stock, abs=1e-4)
    assert paris.demand_rate_note == line.explanation["demand_rate_note"]
    assert paris.demand_rate_source == ("pooled" if sku in LAUNCHED else "launch")
    assert found.pooled_with == priors.proposal_id
    assert f"replenishment proposal {priors.proposal_id}" in found.pooling_note
    assert "learnt from its 30 slow rows" in found.pooling_note


def test_without_a_stored_run_nothing_is_pooled_and_the_policy_says_so() -> None:
    uow = a_shop_with_a_smooth_mug()
    lines, _ = _run(uow)
    found = _policy(uow, NEVER[0], None)
    (paris,) = found.locations
    assert (paris.demand_rate_source, paris.demand_rate_note) == ("forecast", None)
    assert paris.reorder_point == 0.0 < lines[NEVER[0]].reorder_point  # the gap it closes
    assert found.pooled_with is None
    assert found.pooling_note.startswith("No replenishment run has stored pooled rates yet")


def test_a_smooth_sku_keeps_its_forecast_with_or_without_the_figures() -> None:
    uow = a_shop_with_a_smooth_mug()
    lines, priors = _run(uow)
    pooled, alone = _policy(uow, "MUG", priors), _policy(uow, "MUG", None)
    for name in ("demand_rate_source", "demand_rate_per_day", "forecast_per_day"):
        assert getattr(pooled.locations[0], name) == getattr(alone.locations[0], name)
    (paris,) = pooled.locations
    assert paris.demand_rate_source == "forecast"
    assert paris.forecast_per_day == 2.0
    assert paris.reorder_point == pytest.approx(lines["MUG"].reorder_point, abs=1e-4)
    assert "0 of this SKU's 1 rows are pooled" in pooled.pooling_note


def test_a_run_with_too_few_slow_rows_lends_nothing_and_the_policy_says_so() -> None:
    uow = a_shop()  # three SKUs forecast at 2 a day with no sales history: fewer than 10
    _, priors = _run(uow)
    assert priors.slow_rows < priors.min_group_rows
    found = _policy(uow, "MUG", priors)
    assert found.pooled_with == priors.proposal_id
    assert found.pooling_note.endswith("so it pooled none and nothing is pooled here either.")
    assert found.locations == _policy(uow, "MUG", None).locations


def test_figures_stored_before_the_lump_shapes_leave_a_sku_on_its_own_moments() -> None:
    """ADR 0028: with the run's stored shapes MUG's undershoot reads its category's lump
    shape (its line's); with figures stored before (no ``lumps``) its own sales' moments,
    as a run with ``common_lump_shape=False`` computes them."""
    uow = a_shop_with_a_smooth_mug()
    lines, priors = _run(uow)
    older = _policy(uow, "MUG", run_priors.without_lumps(priors))
    own = policies_of_sku(
        OneSkuSource(uow.replenishment, "MUG"),
        sku="MUG",
        revenue={},
        priors=priors,
        parameters=compute.Parameters(common_lump_shape=False),
    )
    assert older.locations == own.locations
    shaped = _policy(uow, "MUG", priors).locations[0]
    assert shaped.undershoot != older.locations[0].undershoot
    assert shaped.reorder_point == pytest.approx(lines["MUG"].reorder_point, abs=1e-4)
