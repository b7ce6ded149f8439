"""Pooled rates of slow and never-sold SKUs in a replenishment run, through the service
layer (``services.replenishment``: ``gather_inputs`` on the in-memory unit of work, then
``plan_replenishment`` with and without ``Parameters.pooled_rates``).

The planted shop: 30 fasteners at PAR, each received 50 units long before the 91 days
of sales the run reads. Ten of them sat unsold for the first 60 days and then each sold a
first order of 3 units; twenty never sold. The forecast says 3 / 91 a day for the ten
(their mean: the credibility form then equals the posterior ``(a0 + S) / (b0 + n)``) and
0 for the twenty. Their
category's launch rate is therefore known exactly: the 30 SKUs silent in the first 45
days sold 30 units in 30 x 46 observed days, ``l_1 = 1 / 46`` a day, in lumps of 3.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import numpy as np
import pytest

from stockguard.domain import ledger, parties, stock
from stockguard.planning.inventory import pooled_rate
from stockguard.planning.inventory.pooled_rate import RateSource
from stockguard.services import ports
from stockguard.services.replenishment import compute, explain, pooling
from stockguard.services.replenishment.compute import Parameters, plan_replenishment
from stockguard.services.replenishment.inputs import PlanInputs, gather_inputs
from stockguard.services.replenishment.settings import RowKeys, resolve_settings
from unit.services.fakes import FakeUnitOfWork
from unit.services.replenishment_shop import DEFAULT_RULES, NOW, TODAY

from builders import a_location, a_product, a_supplier

WINDOW = 91
LAUNCHED = [f"B{i:02d}" for i in range(10)]
NEVER = [f"B{i:02d}" for i in range(10, 30)]


def _forecast(skus: list[str]) -> tuple[ports.PlanningRunRecord, list[dict[str, object]]]:
    """A stored forecast (no spread) at PAR: 3 / 91 a day for the launched SKUs, 0 for
    the others."""
    record = ports.PlanningRunRecord(
        started_at=NOW,
        finished_at=NOW,
        seed=7,
        horizon=28,
        history_start_on=TODAY - timedelta(days=365),
        history_end_on=TODAY - timedelta(days=1),
        inputs_hash="0" * 64,
        n_series=len(skus),
        status="completed",
        parameters={},
    )
    rows: list[dict[str, object]] = [
        {
            "sku": sku,
            "location": "PAR",
            "day": TODAY + timedelta(days=step),
            "mean": 3 / WINDOW if sku in LAUNCHED else 0.0,
            "lower_80": 3 / WINDOW if sku in LAUNCHED else 0.0,
            "p90": 3 / WINDOW if sku in LAUNCHED else 0.0,
            "model": "test",
        }
        for sku in skus
        for step in range(28)
    ]
    return record, rows


def a_fastener_shop(*, allocated: int = 0) -> FakeUnitOfWork:
    """The module docstring's shop; ``allocated`` units of every SKU are promised (so
    a position of 50 - allocated)."""
    skus = LAUNCHED + NEVER
    uow = FakeUnitOfWork(
        products=[
            a_product(sku, price=Decimal("3"), unit_cost=Decimal("1"), category="Fasteners")
            for sku in skus
        ],
        locations=[a_location("PAR")],
        suppliers=[a_supplier("ACME")],
    )
    store = uow.store
    start = TODAY - timedelta(days=WINDOW)
    received = datetime.combine(start - timedelta(days=30), time(9), tzinfo=UTC)
    sold_on = datetime.combine(start + timedelta(days=60), time(12), tzinfo=UTC)
    for sku in skus:
        store.offers.append(parties.SupplierOffer("ACME", sku, Decimal("1.00"), lead_time_days=7))
        kind = ledger.MovementKind.RECEIPT
        store.movements.append(ledger.StockMovement(sku, "PAR", kind, 50, received, f"r-{sku}"))
        left = 50
        if sku in LAUNCHED:
            sale = ledger.MovementKind.SALE
            store.movements.append(ledger.StockMovement(sku, "PAR", sale, -3, sold_on, f"s-{sku}"))
            left = 47
        store.levels[(sku, "PAR")] = stock.StockLevel(sku, "PAR", on_hand=left, allocated=allocated)
    store.rules.update({(x.scope.value, x.key): x for x in DEFAULT_RULES})
    store.planning_runs.append(_forecast(skus))
    return uow


def _plan(uow: FakeUnitOfWork, *, pooled: bool) -> tuple[PlanInputs, compute.ReplenishmentPlan]:
    inputs = gather_inputs(uow.replenishment, run_id=None, currency="EUR")
    abc = ["C"] * inputs.n_rows  # the fasteners' forecast revenue is tiny: class C (90%)
    settings = resolve_settings(
        uow.replenishment.rules(),
        RowKeys(inputs.skus, inputs.locations, inputs.categories, abc),
    )
    return inputs, plan_replenishment(inputs, settings, Parameters(pooled_rates=pooled))


def test_never_sold_parts_of_a_category_that_launches_carry_stock_when_the_rule_asks() -> None:
    inputs, plan = _plan(a_fastener_shop(), pooled=True)
    never = [inputs.skus.index(sku) for sku in NEVER]
    pooled = plan.rows.pooled
    assert pooled is not None
    assert set(pooled.source[never].tolist()) == {RateSource.LAUNCH}
    np.testing.assert_allclose(pooled.rate[never], 1 / 46, rtol=1e-12)
    # a first order of 3 leaves the position 0, 1 or 2 below the reorder point: E[U] = 1
    np.testing.assert_allclose(plan.rows.policy.undershoot_mean[never], 1.0, rtol=1e-12)
    assert (plan.rows.policy.reorder_point[never] >= 1.0).all()
    _, unpooled = _plan(a_fastener_shop(), pooled=False)
    assert (unpooled.rows.policy.reorder_point[never] == 0.0).all()
    assert unpooled.rows.pooled is None


def test_sold_parts_are_shrunk_toward_their_category_exactly_as_the_scalar_posterior() -> None:
    inputs, plan = _plan(a_fastener_shop(), pooled=True)
    pooled = plan.rows.pooled
    assert pooled is not None
    launched = [inputs.skus.index(sku) for sku in LAUNCHED]
    assert set(pooled.source[launched].tolist()) == {RateSource.POOLED}
    # the scalar reference: 10 SKUs with 3 units and 20 with none, 91 days each
    units, days = [3.0] * 10 + [0.0] * 20, 91.0
    m = sum(units) / (30 * days)
    spread = sum(days * (s / days - m) ** 2 for s in units)
    between = (spread - 29 * m) / (30 * days - 30 * days**2 / (30 * days))
    a0, b0 = m * m / between, m / between
    posterior = (a0 + 3.0) / (b0 + days)
    assert pooled.rate[launched] == pytest.approx([posterior] * 10, rel=1e-12)
    assert m < posterior < 3.0 / days  # between the group's rate and the part's own
    np.testing.assert_allclose(pooled.group_rate[launched], m, rtol=1e-12)
    prior = pooled_rate.gamma_prior(units=units, periods=[days] * 30, group=[0] * 30, n_groups=1)
    assert prior.shape[0] == pytest.approx(a0, rel=1e-12)


def test_a_line_of_a_pooled_row_says_so_in_words() -> None:
    uow = a_fastener_shop(allocated=50)  # position 0 (3 below for the launched parts)
    inputs, plan = _plan(uow, pooled=True)
    abc = ["C"] * inputs.n_rows
    settings = resolve_settings(
        uow.replenishment.rules(),
        RowKeys(inputs.skus, inputs.locations, inputs.categories, abc),
    )
    proposal = explain.build_proposal(
        inputs=inputs,
        settings=settings,
        abc=abc,
        plan=plan,
        created_at=NOW,
        currency="EUR",
        budget=None,
        parameters={},
    )
    lines = {line.sku: line for line in proposal.lines}
    never = lines[NEVER[0]].explanation
    assert never["demand_rate"]["source"] == "launch"  # type: ignore[index]
    assert never["demand_rate_note"] == (
        f"{NEVER[0]} has not sold in 91 days; it plans with the rate at which SKUs in "
        "Fasteners that had not sold started selling (0.0217 a day), in the lumps they "
        "started with."
    )
    sold = lines[LAUNCHED[0]].explanation
    note = sold["demand_rate_note"]
    assert isinstance(note, str)
    assert note.startswith(
        f"{LAUNCHED[0]} has sold 3 units in 91 days; its rate is pooled with its "
        "category's (Fasteners, 0.0110 a day): "
    )


def test_group_codes_put_rows_without_a_category_together() -> None:
    codes = pooling.group_codes(["Bolts", None, "Anchors", "Bolts", None])
    assert codes.tolist() == [2, 0, 1, 2, 0]
