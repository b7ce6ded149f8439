"""A small shop for replenishment tests over the in-memory unit of work.

Two locations (PAR, LYO), two suppliers, three SKUs each forecast at ``DAILY`` units a day
with a daily std of 1 (``p10``/``p90`` = mean -/+ 1.2816):

* MUG: offers from ACME (4.00, 7 days, pack 6) and BOLT (3.80, 21 days, often late);
  out of stock in PAR, plenty in LYO (the transfer case);
* TEE: one offer from ACME (8.00, 5 days, MOQ 20), nearly out in PAR;
* TOY: forecast but no offer (cannot be bought).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from stockguard.domain import commands, parties, purchasing, stock
from stockguard.domain import replenishment as r
from stockguard.services import ports
from unit.services.fakes import FakeUnitOfWork

from builders import a_location, a_product, a_supplier

TODAY = date(2026, 9, 1)
NOW = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
DAILY = 2.0
Z90 = 1.2815515655446004

DEFAULT_RULES = (
    r.ReplenishmentRule(
        r.RuleScope.DEFAULT,
        policy=r.PolicyName.ORDER_UP_TO,
        service_measure=r.ServiceMeasure.FILL,
        service_level=0.95,
        max_supplier_share=1.0,
    ),
    r.ReplenishmentRule(r.RuleScope.ABC_CLASS, abc_class="A", service_level=0.98),
    r.ReplenishmentRule(r.RuleScope.ABC_CLASS, abc_class="B", service_level=0.95),
    r.ReplenishmentRule(r.RuleScope.ABC_CLASS, abc_class="C", service_level=0.90),
)


def a_shop(*, mug_in_lyon: int = 200, late_deliveries: int = 4) -> FakeUnitOfWork:
    uow = FakeUnitOfWork(
        products=[
            a_product("MUG", price=Decimal("10"), unit_cost=Decimal("4"), category="Mugs"),
            a_product("TEE", price=Decimal("20"), unit_cost=Decimal("8"), category="Shirts"),
            a_product("TOY", price=Decimal("5"), category="Toys"),
        ],
        locations=[a_location("PAR"), a_location("LYO")],
        suppliers=[a_supplier("ACME"), a_supplier("BOLT")],
    )
    store = uow.store
    store.offers.extend(
        [
            parties.SupplierOffer("ACME", "MUG", Decimal("4.00"), pack_size=6, lead_time_days=7),
            parties.SupplierOffer("BOLT", "MUG", Decimal("3.80"), lead_time_days=21),
            parties.SupplierOffer(
                "ACME", "TEE", Decimal("8.00"), minimum_order_quantity=20, lead_time_days=5
            ),
        ]
    )
    store.levels[("MUG", "LYO")] = stock.StockLevel("MUG", "LYO", on_hand=mug_in_lyon)
    store.levels[("TEE", "PAR")] = stock.StockLevel("TEE", "PAR", on_hand=1)
    store.rules.update({(x.scope.value, x.key): x for x in DEFAULT_RULES})
    store.orders.update(_late_history(late_deliveries))
    store.planning_runs.append(
        a_forecast_run([("MUG", "PAR"), ("MUG", "LYO"), ("TEE", "PAR"), ("TOY", "PAR")])
    )
    return uow


def a_forecast_run(
    series: list[tuple[str, str]], *, daily: float = DAILY, horizon: int = 28
) -> tuple[ports.PlanningRunRecord, list[dict[str, object]]]:
    record = ports.PlanningRunRecord(
        started_at=NOW,
        finished_at=NOW,
        seed=7,
        horizon=horizon,
        history_start_on=TODAY - timedelta(days=365),
        history_end_on=TODAY - timedelta(days=1),
        inputs_hash="0" * 64,
        n_series=len(series),
        status="completed",
        parameters={},
    )
    rows: list[dict[str, object]] = [
        {
            "sku": sku,
            "location": location,
            "day": TODAY + timedelta(days=step),
            "mean": daily,
            "lower_80": daily - Z90,
            "p90": daily + Z90,
            "model": "test",
        }
        for sku, location in series
        for step in range(horizon)
    ]
    return record, rows


def propose(uow: FakeUnitOfWork, **overrides: object) -> commands.ProposeReplenishment:
    values: dict[str, object] = {"created_at": NOW}
    values.update(overrides)
    return commands.ProposeReplenishment(**values)  # type: ignore[arg-type]


def _late_history(count: int) -> dict[str, purchasing.PurchaseOrder]:
    """``count`` past BOLT orders, each received 10 days after its expected day."""
    orders = {}
    for i in range(count):
        expected = TODAY - timedelta(days=60 + 15 * i)
        order = purchasing.PurchaseOrder(
            number=f"OLD-{i}",
            supplier="BOLT",
            location="PAR",
            lines=[purchasing.PurchaseOrderLine("MUG", 10, Decimal("3.80"), received=10)],
            status=purchasing.PurchaseOrderStatus.RECEIVED,
            ordered_on=expected - timedelta(days=21),
            expected_on=expected,
        )
        at = datetime.combine(expected + timedelta(days=10), datetime.min.time(), tzinfo=UTC)
        order.receipts.append(purchasing.Receipt("MUG", 10, 0, at, f"old-{i}"))
        orders[order.number] = order
    return orders
