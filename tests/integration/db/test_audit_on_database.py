"""The stock audit on SQLite and PostgreSQL: report sections, stock-out history from the
same mask as the planning panel, cycle counts recorded through the ledger.

The shop (today 2026-09-01, history: the 365 days before):
* FAST: 1,000 received 301 days ago, 3 sold every day since -> 100 on hand;
* DEAD: 50 received 300 days ago, 5 sold 200 days ago, nothing since -> 45 dead units;
* GAP: 100 received 150 days ago, 5 a day for 20 days (out of stock at the end of the day
  131 days ago), 300 received 110 days ago, then 1 a day -> a ledger stock-out of 21 days
  and 191 on hand, 191 days of cover: 71 units of excess over 120 days;
* SALESONLY: sales only (no receipts), 4 a day for 150 days except a run of 30 zero days
  -> an inferred stock-out of 30 days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy import func, insert, select

from stockguard.adapters.db import tables as t
from stockguard.adapters.db import tables_audit as ta
from stockguard.adapters.db import tables_risk as tr
from stockguard.adapters.db.audit import SqlAuditSource
from stockguard.bootstrap import App
from stockguard.domain import errors, ledger
from stockguard.services import queries
from stockguard.services.audit import counts, history, report
from stockguard.services.audit.settings import AuditSettings

from builders import a_location, a_product
from conftest import random_sku

TODAY = date(2026, 9, 1)
NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def _day(days_ago: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), UTC).replace(
        hour=12
    )


def _move(
    sku: str, kind: ledger.MovementKind, quantity: int, days_ago: int
) -> ledger.StockMovement:
    return ledger.StockMovement(
        sku=sku,
        location="WH1",
        kind=kind,
        quantity=quantity,
        occurred_at=_day(days_ago),
        idempotency_key=f"{sku}-{kind.value}-{days_ago}-{quantity}",
    )


def _shop(app: App) -> dict[str, str]:
    names = {name: random_sku(name) for name in ("FAST", "DEAD", "GAP", "SALESONLY")}
    costs = {"FAST": ("10", "6"), "DEAD": ("20", "12"), "GAP": ("5", "2"), "SALESONLY": ("8", "3")}
    receipt, sale = ledger.MovementKind.RECEIPT, ledger.MovementKind.SALE
    moves = [_move(names["FAST"], receipt, 1000, 301)]
    moves += [_move(names["FAST"], sale, -3, d) for d in range(1, 301)]
    moves += [_move(names["DEAD"], receipt, 50, 300), _move(names["DEAD"], sale, -5, 200)]
    moves += [_move(names["GAP"], receipt, 100, 150), _move(names["GAP"], receipt, 300, 110)]
    moves += [_move(names["GAP"], sale, -5, d) for d in range(131, 151)]
    moves += [_move(names["GAP"], sale, -1, d) for d in range(1, 110)]
    moves += [_move(names["SALESONLY"], sale, -4, d) for d in range(1, 151) if not 60 <= d < 90]
    with app.unit_of_work() as uow:
        if uow.locations.get("WH1") is None:
            uow.locations.add(a_location("WH1"))
        for name, sku in names.items():
            price, cost = costs[name]
            uow.products.add(a_product(sku, price=Decimal(price), unit_cost=Decimal(cost)))
        uow.bulk.record_movements(moves)
        uow.commit()
    return names


def _report(app: App) -> report.AuditReport:
    return report.audit_report(
        app.ledger_history(), SqlAuditSource(app.sessions), today=TODAY, settings=AuditSettings()
    )


def test_audit_report_finds_dead_stock_classes_and_stockout_periods(app: App) -> None:
    names = _shop(app)
    audit = _report(app)
    rows = {r.sku: r for r in audit.rows}
    assert rows[names["FAST"]].on_hand == 100
    assert rows[names["FAST"]].abc_class == "A"
    assert rows[names["FAST"]].xyz_class == "X"
    assert not rows[names["FAST"]].dead
    assert not rows[names["FAST"]].excess
    dead = rows[names["DEAD"]]
    assert (dead.dead, dead.on_hand, dead.stock_value) == (True, 45, Decimal("540.00"))
    assert [r.sku for r in audit.dead] == [names["DEAD"]]
    gap_row = rows[names["GAP"]]
    assert (gap_row.excess, gap_row.days_of_cover, gap_row.excess_units) == (True, 191.0, 71)
    assert gap_row.excess_value == Decimal("142.00")
    assert sum(cell.count for cell in audit.matrix) == 4
    assert sum(cell.revenue for cell in audit.matrix) == sum(r.revenue for r in audit.rows)
    periods = {(p.sku, p.source): p for p in audit.stockouts}
    gap = periods[(names["GAP"], "ledger")]
    assert (gap.start, gap.days) == (TODAY - timedelta(days=131), 21)
    assert gap.lost_units == pytest.approx(5.0 * 21)  # 5 a day in stock before it
    assert gap.lost_revenue == Decimal("525.00")
    inferred = periods[(names["SALESONLY"], "inferred")]
    assert (inferred.start, inferred.end, inferred.days) == (
        TODAY - timedelta(days=89),
        TODAY - timedelta(days=60),
        30,
    )
    assert audit.at_risk == []  # nothing in the risk table yet


def test_planning_panel_censors_the_days_the_history_audit_lists(app: App) -> None:
    names = _shop(app)
    start, end = TODAY - timedelta(days=365), TODAY - timedelta(days=1)
    panel = queries.demand_panel(app.ledger_history(), start=start, end=end)
    listed = history.stockout_history(app.ledger_history(), today=TODAY, days=365)
    from_periods = np.zeros_like(panel.stockout)
    row = {(s, loc): i for i, (s, loc) in enumerate(zip(panel.skus, panel.locations, strict=True))}
    for period in listed:
        first = (period.start - start).days
        from_periods[row[(period.sku, period.location)], first : first + period.days] = True
    ledger = queries.ledger_arrays(app.ledger_history(), start=start, end=end)
    np.testing.assert_array_equal(panel.stockout & ledger.on_sale, from_periods)
    # before its first stock a series is not on sale: censored for the forecast, not listed
    assert not (panel.stockout & ~ledger.on_sale & ~ledger.levels_known[:, None]).any()
    sales_only = row[(names["SALESONLY"], "WH1")]
    assert panel.stockout[sales_only].sum() == 30


def test_at_risk_section_ranks_the_risk_table_by_expected_lost_revenue(app: App) -> None:
    names = _shop(app)
    base = {
        "location": "WH1", "on_hand": 1, "available": 1, "position": 1, "reorder_point": 5,
        "demand_mean": 1.0, "demand_var": 1.0, "lead_time_mean": 7.0, "lead_time_var": 1.0,
        "receipt_delay_mean": 0.0, "receipt_delay_var": 0.0, "unit_price": Decimal(10),
        "currency": "EUR", "probability": 0.5, "expected_lost_units": 3.0, "updated_at": NOW,
    }  # fmt: skip
    rows = [
        {**base, "sku": names["FAST"], "state": "at_risk", "expected_lost_revenue": Decimal(30)},
        {**base, "sku": names["GAP"], "state": "watch", "expected_lost_revenue": Decimal(80)},
        {**base, "sku": names["DEAD"], "state": "ok", "expected_lost_revenue": Decimal(0)},
    ]
    with app.sessions() as session:
        session.execute(insert(t.table_of(tr.StockRiskRow)), rows)
        session.commit()
    assert [r.sku for r in _report(app).at_risk] == [names["GAP"], names["FAST"]]


def test_count_is_recorded_through_the_ledger_with_its_variance_and_moves_the_due_date(
    app: App,
) -> None:
    names = _shop(app)
    settings = AuditSettings()
    source = SqlAuditSource(app.sessions)
    due = counts.counts_due(
        app.bus, app.ledger_history(), source, today=TODAY, on=TODAY, now=NOW, settings=settings
    )
    assert {d.sku for d in due} == set(names.values())  # never counted: all due today
    fast = names["FAST"]
    record = counts.record_cycle_count(
        app.bus,
        sku=fast,
        location="WH1",
        counted=95,
        counted_at=NOW,
        intervals=settings.count_intervals,
        counted_by="ana",
    )
    assert (record.expected, record.counted, record.variance_units) == (100, 95, -5)
    assert record.variance_value == Decimal("-30.00")
    with app.unit_of_work() as uow:
        assert uow.levels.get(fast, "WH1").on_hand == 95
        movement = uow.ledger.find(record.idempotency_key)
        assert movement is not None
        assert (movement.kind, movement.quantity) == (ledger.MovementKind.COUNT, -5)
        entry = uow.cycle_counts.schedule([(fast, "WH1")])[0]
    assert (entry.abc_class, entry.last_counted_on) == ("A", TODAY)
    assert entry.next_due_on == TODAY + timedelta(days=30)
    again = counts.record_cycle_count(
        app.bus,
        sku=fast,
        location="WH1",
        counted=95,
        counted_at=NOW,
        intervals=settings.count_intervals,
    )
    assert again == record  # same count replayed, not stored twice
    due = counts.counts_due(
        app.bus, app.ledger_history(), source, today=TODAY, on=TODAY, now=NOW, settings=settings
    )
    assert fast not in {d.sku for d in due}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"counted": -1}, errors.InvalidQuantity),
        ({"sku": "NO-SUCH-SKU"}, errors.UnknownSku),
        ({"location": "NOWHERE"}, errors.UnknownLocation),
        ({"counted_by": "x" * 121}, errors.InvalidParameter),
    ],
)
def test_a_rejected_count_leaves_ledger_levels_and_counts_unchanged(
    app: App, change: dict[str, object], error: type[Exception]
) -> None:
    names = _shop(app)
    request: dict[str, object] = {"sku": names["FAST"], "location": "WH1", "counted": 90}

    def snapshot() -> tuple[int, int, int]:
        with app.sessions() as session:
            return (
                session.execute(select(func.count()).select_from(t.StockMovementRow)).scalar_one(),
                session.execute(select(func.sum(t.StockLevelRow.on_hand))).scalar_one(),
                session.execute(select(func.count()).select_from(ta.CycleCountRow)).scalar_one(),
            )

    before = snapshot()
    with pytest.raises(error):
        counts.record_cycle_count(
            app.bus,
            counted_at=NOW,
            intervals=AuditSettings().count_intervals,
            **{**request, **change},  # type: ignore[arg-type]
        )
    assert snapshot() == before


def test_the_schedule_of_a_catalogue_larger_than_one_key_batch_is_written_and_read(
    app: App,
) -> None:
    prefix = random_sku("BIG")
    skus = [f"{prefix}-{i:03d}" for i in range(450)]
    receipt = ledger.MovementKind.RECEIPT
    with app.unit_of_work() as uow:
        if uow.locations.get("WH1") is None:
            uow.locations.add(a_location("WH1"))
        for sku in skus:
            uow.products.add(a_product(sku))
        uow.bulk.record_movements([_move(sku, receipt, 5, 10) for sku in skus])
        uow.commit()
    settings = AuditSettings(count_intervals={"A": 7, "B": 14, "C": 28})
    source = SqlAuditSource(app.sessions)
    due = counts.counts_due(
        app.bus, app.ledger_history(), source, today=TODAY, on=TODAY, now=NOW, settings=settings
    )
    assert len(due) == 450
    with app.unit_of_work() as uow:
        entries = uow.cycle_counts.schedule([(sku, "WH1") for sku in skus])
    assert [e.sku for e in entries] == skus
    assert {(e.abc_class, e.interval_days) for e in entries} == {("C", 28)}  # no revenue: C
